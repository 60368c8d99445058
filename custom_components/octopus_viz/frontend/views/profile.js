/**
 * Profile: the 48 half-hour slots of the period, as the mean day or the total, in the colour
 * of the flow (import blue, export orange, gas; net by sign).
 */
import { flowColour, numberOrNull, slotLabel, SLOTS_PER_DAY } from "../format.js";
import { barChart } from "./bars.js";

/** "00:00 to 00:30" */
export function slotRange(t, slot) {
  return t("range.to", { from: slotLabel(slot), to: slotLabel(slot + 1) });
}

/** Bars of 48 slots (also a day's half-hours in the daily view). */
export function slotBars(values, ctx, { cls, ariaLabel, flow }) {
  return barChart({
    values,
    colour: (v) => flowColour(flow, v),
    xLabel: (i) => (i % 6 === 0 ? slotLabel(i).slice(0, 2) : null),
    attrs: (i) => ({ class: "item slot", "data-slot": i }),
    fmt: ctx.fmt,
    width: ctx.width,
    cls,
    ariaLabel,
  });
}

export function isEmpty(data) {
  return (
    !data.slots?.length ||
    data.slots.every((s) => typeof s.sum !== "number" && typeof s.mean !== "number")
  );
}

export function render(data, ctx) {
  const { t, fmt, stat } = ctx;
  const values = data.slots.map((s) => numberOrNull(s[stat]));
  const what = t(`stat.${stat}`);
  const html = slotBars(values, ctx, {
    cls: "profile",
    ariaLabel: t("chart.profile", { what, unit: fmt.unitLabel }),
    flow: data.direction,
  });
  const present = values.filter((v) => v !== null);
  const total = present.reduce((a, b) => a + b, 0);
  let peak = -1;
  values.forEach((v, i) => {
    if (v !== null && (peak < 0 || v > values[peak])) peak = i;
  });
  const summary = [
    t(stat === "mean" ? "meta.average_day" : "meta.total", { value: fmt.value(total) }),
    t("meta.peak", { slot: slotLabel(peak), value: fmt.value(values[peak]) }),
    stat === "mean"
      ? t("meta.per_half_hour_mean", { unit: fmt.unitLabel })
      : t("meta.per_half_hour_sum", { unit: fmt.unitLabel, days: data.days }),
  ];
  const describe = (el) => {
    const slot = Number(el.dataset.slot);
    const v = values[slot];
    const info = data.slots[slot];
    const detail =
      stat === "mean" ? t("tip.mean_of", { days: info?.days ?? 0 }) : t("tip.total");
    return [slotRange(t, slot), v === null ? t("value.no_data") : `${fmt.value(v)} (${detail})`];
  };
  return { html, summary, legend: "", describe, count: SLOTS_PER_DAY };
}
