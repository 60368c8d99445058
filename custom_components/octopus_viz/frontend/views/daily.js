/**
 * Daily totals: one bar per local day of the period (kWh or money; import, export, net or gas).
 * Selecting a day (click, tap, or Enter on the focused bar) opens its 48 half-hours, asked for
 * as a one-day heatmap row: the same cells the day's bar was summed from.
 */
import { escapeHtml, flowColour, numberOrNull, utcDate } from "../format.js";
import { barChart } from "./bars.js";
import { slotBars, slotRange } from "./profile.js";

export function isEmpty(data) {
  return !data.days?.length || data.days.every((d) => typeof d.value !== "number");
}

export function render(data, ctx) {
  const { t, fmt, width, dateFmt } = ctx;
  const values = data.days.map((d) => numberOrNull(d.value));
  const every = Math.max(1, Math.ceil((data.days.length * 44) / Math.max(width - 66, 1)));
  const html = barChart({
    values,
    colour: (v) => flowColour(data.direction, v),
    xLabel: (i) => (i % every === 0 ? dateFmt.short.format(utcDate(data.days[i].date)) : null),
    attrs: (i) => ({ class: "item day", "data-date": data.days[i].date }),
    fmt,
    width,
    cls: "daily",
    ariaLabel: t("chart.daily", { unit: fmt.unitLabel }),
  });
  const total = values.reduce((a, v) => a + (v ?? 0), 0);
  const summary = [t("meta.total_days", { value: fmt.value(total), days: values.length })];
  if (data.unit === "money") summary.push(t("meta.no_standing"));
  const describe = (el) => {
    const i = Number(el.dataset.i);
    return [
      dateFmt.long.format(utcDate(data.days[i].date)),
      values[i] === null ? t("value.no_data") : fmt.value(values[i]),
    ];
  };
  const legend = `<span class="hint">${escapeHtml(t("daily.hint"))}</span>`;
  return { html, summary, legend, describe, activate: (el) => el.dataset.date };
}

/** One day's half-hours (a one-row heatmap answer) as 48 bars. */
export function renderDay(data, ctx) {
  const { t, fmt, dateFmt } = ctx;
  const row = data.days?.[0];
  const values = (row?.values ?? Array(48).fill(null)).map(numberOrNull);
  const date = dateFmt.long.format(utcDate(data.start));
  const html = slotBars(values, ctx, {
    cls: "profile day-detail",
    ariaLabel: t("chart.day", { date, unit: fmt.unitLabel }),
    flow: data.direction,
  });
  const total = values.reduce((a, v) => a + (v ?? 0), 0);
  const describe = (el) => {
    const v = values[Number(el.dataset.slot)];
    return [slotRange(t, Number(el.dataset.slot)), v === null ? t("value.no_data") : fmt.value(v)];
  };
  return {
    html,
    summary: [t("daily.day_title", { date }), t("meta.total", { value: fmt.value(total) })],
    legend: "",
    describe,
  };
}
