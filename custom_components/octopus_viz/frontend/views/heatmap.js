/**
 * Heatmap: days (rows) x 48 half-hours (columns), for import, export, net or gas. Colours are
 * quantised into level classes (format.levelClass) rather than one inline colour per cell, so
 * a year (17,520 cells) is cheap to style; cells carry no per-cell label: the card describes
 * the cell under the pointer or the keyboard focus.
 */
import {
  escapeHtml,
  levelClass,
  levelPercent,
  LEVELS,
  numberOrNull,
  slotLabel,
  tag,
  utcDate,
  SLOTS_PER_DAY,
} from "../format.js";
import { slotRange } from "./profile.js";

const FLOW_COLOURS = {
  import: ["var(--ovz-import)", "var(--ovz-export)"],
  export: ["var(--ovz-export)", "var(--ovz-import)"],
  net: ["var(--ovz-import)", "var(--ovz-export)"],
  gas: ["var(--ovz-gas)", "var(--ovz-export)"],
};

export function isEmpty(data) {
  return (
    !data.days?.length ||
    data.days.every((d) => (d.values ?? []).every((v) => typeof v !== "number"))
  );
}

export function render(data, ctx) {
  const { t, fmt, width, dateFmt } = ctx;
  const days = data.days;
  let lo = 0;
  let hi = 0;
  let total = 0;
  for (const day of days) {
    for (const v of day.values ?? []) {
      if (typeof v !== "number") continue;
      if (v < lo) lo = v;
      if (v > hi) hi = v;
      total += v;
    }
  }
  // One symmetric scale: equal magnitudes get equal intensity whatever their sign.
  const extent = Math.max(-lo, hi);
  const margin = { left: 58, right: 8, top: 18, bottom: 4 };
  const plotW = Math.max(SLOTS_PER_DAY, width - margin.left - margin.right);
  const cellW = plotW / SLOTS_PER_DAY;
  // Short periods get tall, readable rows; a year shrinks to about 1 px per day.
  const rowH = Math.max(1, Math.min(16, 420 / days.length));
  const height = Math.round(margin.top + rowH * days.length + margin.bottom);
  const w = Math.round(Math.max(0.5, cellW - (cellW >= 6 ? 1 : 0)) * 100) / 100;
  const h = Math.round(Math.max(0.5, rowH - (rowH >= 6 ? 1 : 0)) * 100) / 100;
  const xs = Array.from({ length: SLOTS_PER_DAY }, (_, s) => Math.round((margin.left + s * cellW) * 100) / 100);
  const labelEvery = Math.ceil(13 / rowH); // date labels at least 13 px apart

  const parts = [];
  for (let s = 0; s < SLOTS_PER_DAY; s += 6) {
    parts.push(tag("text", { x: xs[s], y: 11 }, slotLabel(s).slice(0, 2)));
  }
  days.forEach((day, r) => {
    const y = Math.round((margin.top + r * rowH) * 100) / 100;
    if (r % labelEvery === 0) {
      const at = { x: margin.left - 6, y: y + Math.max(rowH, 11) / 2 };
      const label = escapeHtml(dateFmt.short.format(utcDate(day.date)));
      parts.push(tag("text", { ...at, "text-anchor": "end", "dominant-baseline": "middle" }, label));
    }
    // Cells are written by hand: this loop runs 17,520 times for a year.
    let cells = "";
    for (let s = 0; s < SLOTS_PER_DAY; s += 1) {
      const v = numberOrNull(day.values?.[s]);
      cells +=
        `<rect class="cell ${levelClass(v, extent)}" data-slot="${s}" data-value="${v ?? ""}"` +
        ` x="${xs[s]}" y="${y}" width="${w}" height="${h}"></rect>`;
    }
    parts.push(`<g class="row" data-row="${r}" data-date="${escapeHtml(day.date)}">${cells}</g>`);
  });
  const [pos, neg] = FLOW_COLOURS[data.direction] ?? FLOW_COLOURS.import;
  const html = tag(
    "svg",
    {
      class: "heatmap",
      viewBox: `0 0 ${width} ${height}`,
      height,
      style: `--ovz-hp: ${pos}; --ovz-hn: ${neg}`,
      // Rows of a fraction of a pixel would otherwise show anti-aliasing seams as stripes.
      "shape-rendering": "crispEdges",
      role: "group",
      tabindex: 0,
      "aria-label": t("chart.heatmap", { days: days.length, unit: fmt.unitLabel }),
    },
    parts.join(""),
  );

  const full = levelPercent(LEVELS - 1);
  const end = (colour) => `color-mix(in srgb, ${colour} ${full}%, var(--ovz-base))`;
  const diverging = lo < 0;
  const ramp = diverging
    ? `linear-gradient(to right, ${end(neg)}, var(--ovz-base), ${end(pos)})`
    : `linear-gradient(to right, var(--ovz-base), ${end(pos)})`;
  const legend =
    `<span class="legend">${escapeHtml(fmt.value(diverging ? -extent : 0))}` +
    `${tag("span", { class: "ramp", style: `background: ${ramp}` })}` +
    `${escapeHtml(fmt.value(extent))}</span>`;
  const summary = [t("meta.total_days", { value: fmt.value(total), days: days.length })];
  const describe = (el) => {
    const row = el.closest("[data-date]");
    const raw = el.dataset.value;
    return [
      dateFmt.long.format(utcDate(row.dataset.date)),
      slotRange(t, Number(el.dataset.slot)),
      raw === "" ? t("value.no_data") : fmt.value(Number(raw)),
    ];
  };
  return { html, summary, legend, describe, columns: SLOTS_PER_DAY };
}
