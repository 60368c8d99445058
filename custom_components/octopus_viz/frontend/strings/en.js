/**
 * English: every string the card and its editor show. The fallback for any language without
 * a table, and the list of keys every other table must have (a browser test compares them).
 * `{name}` is a placeholder; a key ending in `_one` is used when the count is 1.
 * Month and weekday names come from Intl in the user's language; the `date.*` lists serve
 * only browsers whose Intl lacks the language (Chromium has no Welsh data).
 */
export default {
  "card.title": "Octopus half-hours",
  "card.picker_description":
    "Half-hourly electricity and gas over days and months: profile, import and export, heatmap, daily totals and tariff comparison.",

  "field.title": "Title",
  "field.entry_id": "Account",
  "field.view": "View",
  "field.period": "Period",
  "field.anchor": "Periods end",
  "field.start": "Start date",
  "field.end": "End date",
  "field.direction": "Direction or fuel",
  "field.unit": "Unit",
  "field.stat": "Statistic",

  "view.profile": "Profile",
  "view.combined": "Import and export",
  "view.heatmap": "Heatmap",
  "view.daily": "Daily totals",
  "view.compare": "Compare tariffs",

  "period.last_7_days": "Last 7 days",
  "period.last_30_days": "Last 30 days",
  "period.last_90_days": "Last 90 days",
  "period.this_month": "This month",
  "period.last_month": "Last month",
  "period.this_year": "This year",
  "period.custom": "Custom dates",

  "anchor.latest": "At the newest reading",
  "anchor.today": "Today",

  "direction.import": "Import",
  "direction.export": "Export",
  "direction.net": "Net",
  "direction.gas": "Gas",

  "unit.kwh": "kWh",
  "unit.money": "Money",

  "stat.mean": "Mean per day",
  "stat.sum": "Total",

  "state.waiting": "Waiting for Home Assistant…",
  "state.loading": "Loading…",
  "state.empty": "No data for this period.",
  "state.error": "Error: {message}",
  "state.unknown_error": "Unknown error",
  "state.choose_dates": "Choose a start and an end date to show this period.",
  "state.dates_order": "The start date must be on or before the end date.",

  // Used only where the browser's Intl has no data for the language (comma-separated).
  "date.month_long": "January,February,March,April,May,June,July,August,September,October,November,December",
  "date.month_short": "Jan,Feb,Mar,Apr,May,Jun,Jul,Aug,Sep,Oct,Nov,Dec",
  "date.weekday_short": "Sun,Mon,Tue,Wed,Thu,Fri,Sat",

  "range.to": "{from} to {to}",
  "value.no_data": "no data",
  "meta.data_until": "Data until {time}",
  "meta.total": "Total: {value}",
  "meta.total_days": "Total: {value} over {days} days",
  "meta.total_days_one": "Total: {value} over {days} day",
  "meta.average_day": "Average day: {value}",
  "meta.peak": "peak {slot} ({value})",
  "meta.per_half_hour_mean": "{unit} per half hour, mean per day",
  "meta.per_half_hour_sum": "{unit} per half hour, total over {days} days",
  "meta.per_half_hour_sum_one": "{unit} per half hour, total over {days} day",
  "meta.no_standing": "Standing charges not included",

  "tip.mean_of": "mean of {days} days",
  "tip.mean_of_one": "mean of {days} day",
  "tip.total": "total",

  "chart.profile": "Half-hour profile ({what}, {unit}). Use the arrow keys to go through the slots.",
  "chart.combined":
    "Import above and export below the axis per half hour, net as a line, {unit}. Use the arrow keys to go through the slots.",
  "chart.heatmap":
    "Heatmap of {days} days by half hour, {unit}. Use the arrow keys to move between cells.",
  "chart.daily":
    "One bar per day, {unit}. Use the arrow keys to go through the days; Enter shows a day's half hours.",
  "chart.day": "Half hours of {date}, {unit}. Use the arrow keys to go through the slots.",
  "chart.compare":
    "Net cost over the period per tariff. Use the arrow keys to go through the tariffs; Enter shows the months.",

  "combined.legend_import": "Import",
  "combined.legend_export": "Export",
  "combined.legend_net": "Net",

  "daily.hint": "Select a day to see its half hours.",
  "daily.back": "Back to all days",
  "daily.day_title": "Half hours of {date}",

  "compare.actual": "your tariff",
  "compare.net": "Net",
  "compare.difference": "{value} compared with your tariff",
  "compare.cheaper": "{value} cheaper",
  "compare.dearer": "{value} dearer",
  "compare.same": "same as your tariff",
  "compare.unavailable": "Unavailable: {reason}",
  "compare.uncovered": "No rates for {days} days of the period",
  "compare.uncovered_one": "No rates for {days} day of the period",
  "compare.eligibility": "Eligibility: {text}",
  "compare.months": "Month by month: {name}",
  "compare.month": "Month",
  "compare.import_cost": "Import cost",
  "compare.export_revenue": "Export revenue",
  "compare.standing_charges": "Standing charges",
  "compare.caveat":
    "Same consumption, different prices: a battery or EV schedule would change under another tariff. Eligibility is shown, not enforced.",
  "compare.select_hint": "Select a tariff to see its months.",
};
