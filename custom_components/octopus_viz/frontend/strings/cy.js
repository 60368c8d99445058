/**
 * Cymraeg (Welsh): the same keys as en.js, complete (a browser test checks). Numerals take
 * the singular noun in Welsh ("30 diwrnod"), so no `_one` forms are needed.
 */
export default {
  "card.title": "Hanner oriau Octopus",
  "card.picker_description":
    "Trydan a nwy fesul hanner awr dros ddyddiau a misoedd: proffil, mewnforio ac allforio, map gwres, cyfansymiau dyddiol a chymharu tariffau.",

  "field.title": "Teitl",
  "field.entry_id": "Cyfrif",
  "field.view": "Golwg",
  "field.period": "Cyfnod",
  "field.anchor": "Diwedd y cyfnodau",
  "field.start": "Dyddiad dechrau",
  "field.end": "Dyddiad gorffen",
  "field.direction": "Cyfeiriad neu danwydd",
  "field.unit": "Uned",
  "field.stat": "Ystadegyn",

  "view.profile": "Proffil",
  "view.combined": "Mewnforio ac allforio",
  "view.heatmap": "Map gwres",
  "view.daily": "Cyfansymiau dyddiol",
  "view.compare": "Cymharu tariffau",

  "period.last_7_days": "Y 7 diwrnod diwethaf",
  "period.last_30_days": "Y 30 diwrnod diwethaf",
  "period.last_90_days": "Y 90 diwrnod diwethaf",
  "period.this_month": "Y mis hwn",
  "period.last_month": "Y mis diwethaf",
  "period.this_year": "Eleni",
  "period.custom": "Dyddiadau penodol",

  "anchor.latest": "Ar y darlleniad diweddaraf",
  "anchor.today": "Heddiw",

  "direction.import": "Mewnforio",
  "direction.export": "Allforio",
  "direction.net": "Net",
  "direction.gas": "Nwy",

  "unit.kwh": "kWh",
  "unit.money": "Arian",

  "stat.mean": "Cyfartaledd y dydd",
  "stat.sum": "Cyfanswm",

  "state.waiting": "Yn aros am Home Assistant…",
  "state.loading": "Yn llwytho…",
  "state.empty": "Dim data ar gyfer y cyfnod hwn.",
  "state.error": "Gwall: {message}",
  "state.unknown_error": "Gwall anhysbys",
  "state.choose_dates": "Dewiswch ddyddiad dechrau a dyddiad gorffen i ddangos y cyfnod hwn.",
  "state.dates_order": "Rhaid i'r dyddiad dechrau fod ar y dyddiad gorffen neu cyn hynny.",

  // Used only where the browser's Intl has no data for the language (comma-separated).
  "date.month_long": "Ionawr,Chwefror,Mawrth,Ebrill,Mai,Mehefin,Gorffennaf,Awst,Medi,Hydref,Tachwedd,Rhagfyr",
  "date.month_short": "Ion,Chwef,Maw,Ebr,Mai,Meh,Gorff,Awst,Medi,Hyd,Tach,Rhag",
  "date.weekday_short": "Sul,Llun,Maw,Mer,Iau,Gwen,Sad",

  "range.to": "{from} i {to}",
  "value.no_data": "dim data",
  "meta.data_until": "Data hyd at {time}",
  "meta.total": "Cyfanswm: {value}",
  "meta.total_days": "Cyfanswm: {value} dros {days} diwrnod",
  "meta.average_day": "Diwrnod cyfartalog: {value}",
  "meta.peak": "uchafbwynt {slot} ({value})",
  "meta.per_half_hour_mean": "{unit} fesul hanner awr, cyfartaledd y dydd",
  "meta.per_half_hour_sum": "{unit} fesul hanner awr, cyfanswm dros {days} diwrnod",
  "meta.no_standing": "Heb gynnwys taliadau sefydlog",

  "tip.mean_of": "cyfartaledd {days} diwrnod",
  "tip.total": "cyfanswm",

  "chart.profile":
    "Proffil hanner awr ({what}, {unit}). Defnyddiwch y bysellau saeth i fynd drwy'r slotiau.",
  "chart.combined":
    "Mewnforio uwchben yr echelin ac allforio oddi tani fesul hanner awr, net fel llinell, {unit}. Defnyddiwch y bysellau saeth i fynd drwy'r slotiau.",
  "chart.heatmap":
    "Map gwres o {days} diwrnod fesul hanner awr, {unit}. Defnyddiwch y bysellau saeth i symud rhwng y celloedd.",
  "chart.daily":
    "Un bar y dydd, {unit}. Defnyddiwch y bysellau saeth i fynd drwy'r dyddiau; mae Enter yn dangos hanner oriau'r diwrnod.",
  "chart.day":
    "Hanner oriau {date}, {unit}. Defnyddiwch y bysellau saeth i fynd drwy'r slotiau.",
  "chart.compare":
    "Cost net dros y cyfnod ar gyfer pob tariff. Defnyddiwch y bysellau saeth i fynd drwy'r tariffau; mae Enter yn dangos y misoedd.",

  "combined.legend_import": "Mewnforio",
  "combined.legend_export": "Allforio",
  "combined.legend_net": "Net",

  "daily.hint": "Dewiswch ddiwrnod i weld ei hanner oriau.",
  "daily.back": "Yn ôl i'r holl ddyddiau",
  "daily.day_title": "Hanner oriau {date}",

  "compare.actual": "eich tariff chi",
  "compare.net": "Net",
  "compare.difference": "{value} o'i gymharu â'ch tariff chi",
  "compare.cheaper": "{value} yn rhatach",
  "compare.dearer": "{value} yn ddrutach",
  "compare.same": "yr un fath â'ch tariff chi",
  "compare.unavailable": "Ddim ar gael: {reason}",
  "compare.uncovered": "Dim prisiau ar gyfer {days} diwrnod o'r cyfnod",
  "compare.eligibility": "Cymhwysedd: {text}",
  "compare.months": "Fesul mis: {name}",
  "compare.month": "Mis",
  "compare.import_cost": "Cost mewnforio",
  "compare.export_revenue": "Incwm allforio",
  "compare.standing_charges": "Taliadau sefydlog",
  "compare.caveat":
    "Yr un defnydd, prisiau gwahanol: byddai amserlen batri neu gerbyd trydan yn newid ar dariff arall. Dangosir pwy sy'n gymwys, ond nid yw hynny'n cael ei orfodi.",
  "compare.select_hint": "Dewiswch dariff i weld ei fisoedd.",
};
