/**
 * Heatmap: days (rows) x 48 half-hours (columns), for import, export, net or gas. Colours are
 * quantised into levels (format.levelClass), whose colours the theme resolves once; cells are
 * painted on a canvas, one fill per level, so a year (17,520 cells) draws in milliseconds. The
 * card describes the cell under the pointer or the keyboard focus (cellAt, describeCell).
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

/** The cell colours of the level classes, as the theme resolves them (read once per draw). */
function levelColours(host) {
  const probe = document.createElementNS("http://www.w3.org/2000/svg", "rect");
  host.append(probe);
  const colours = {};
  for (let level = 1; level < LEVELS; level += 1) {
    for (const sign of ["p", "n"]) {
      probe.setAttribute("class", `cell ${sign}${level}`);
      colours[`${sign}${level}`] = getComputedStyle(probe).fill;
    }
  }
  probe.setAttribute("class", "cell zero");
  colours.zero = getComputedStyle(probe).fill;
  probe.remove();
  return colours;
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
  const gapX = cellW >= 6 ? 1 : 0;
  const gapY = rowH >= 6 ? 1 : 0;
  const labelEvery = Math.ceil(13 / rowH); // date labels at least 13 px apart

  const parts = [];
  for (let s = 0; s < SLOTS_PER_DAY; s += 6) {
    parts.push(tag("text", { x: margin.left + s * cellW, y: 11 }, slotLabel(s).slice(0, 2)));
  }
  days.forEach((day, r) => {
    if (r % labelEvery !== 0) return;
    const at = { x: margin.left - 6, y: margin.top + r * rowH + Math.max(rowH, 11) / 2 };
    const label = escapeHtml(dateFmt.short.format(utcDate(day.date)));
    parts.push(tag("text", { ...at, "text-anchor": "end", "dominant-baseline": "middle" }, label));
  });
  parts.push(tag("rect", { class: "focus-ring", hidden: "", fill: "none" }));
  const [pos, neg] = FLOW_COLOURS[data.direction] ?? FLOW_COLOURS.import;
  // Cells are painted on a canvas under the SVG of labels: 17,520 SVG elements for a year
  // would take most of a second to lay out; the SVG on top takes the pointer and the focus.
  const html =
    `<div class="heat" style="position: relative; --ovz-hp: ${pos}; --ovz-hn: ${neg}">` +
    `<canvas aria-hidden="true" style="position: absolute; left: 0; top: 0; width: ${width}px;` +
    ` height: ${height}px"></canvas>` +
    tag(
      "svg",
      {
        class: "heatmap",
        viewBox: `0 0 ${width} ${height}`,
        height,
        style: "position: relative",
        role: "img",
        tabindex: 0,
        "aria-label": t("chart.heatmap", { days: days.length, unit: fmt.unitLabel }),
      },
      parts.join(""),
    ) +
    `</div>`;

  /** Paint the cells, batched by colour level (one fill per level). */
  const mount = (root) => {
    const canvas = root.querySelector(".heat canvas");
    const scale = window.devicePixelRatio || 1;
    canvas.width = Math.round(width * scale);
    canvas.height = Math.round(height * scale);
    const paint = canvas.getContext("2d");
    paint.scale(scale, scale);
    const colours = levelColours(root.querySelector("svg.heatmap"));
    const paths = {};
    days.forEach((day, r) => {
      const y = margin.top + r * rowH;
      const values = day.values ?? [];
      for (let s = 0; s < SLOTS_PER_DAY; s += 1) {
        const level = levelClass(numberOrNull(values[s]), extent);
        if (level === "none") continue;
        (paths[level] ??= new Path2D()).rect(
          margin.left + s * cellW,
          y,
          Math.max(0.5, cellW - gapX),
          Math.max(0.5, rowH - gapY),
        );
      }
    });
    for (const [level, path] of Object.entries(paths)) {
      paint.fillStyle = colours[level];
      paint.fill(path);
    }
  };

  const count = days.length * SLOTS_PER_DAY;
  /** The cell index under a pointer event (null outside the cells). */
  const cellAt = (ev, svg) => {
    const box = svg.getBoundingClientRect();
    const x = ((ev.clientX - box.left) * width) / box.width;
    const y = ((ev.clientY - box.top) * height) / box.height;
    const s = Math.floor((x - margin.left) / cellW);
    const r = Math.floor((y - margin.top) / rowH);
    if (s < 0 || s >= SLOTS_PER_DAY || r < 0 || r >= days.length) return null;
    return r * SLOTS_PER_DAY + s;
  };
  /** Outline a cell (keyboard focus); returns its box on screen. */
  const focusCell = (svg, i) => {
    const ring = svg.querySelector(".focus-ring");
    const x = margin.left + (i % SLOTS_PER_DAY) * cellW;
    const y = margin.top + Math.floor(i / SLOTS_PER_DAY) * rowH;
    for (const [k, v] of Object.entries({ x, y, width: cellW, height: Math.max(rowH, 2) })) {
      ring.setAttribute(k, String(v));
    }
    ring.removeAttribute("hidden");
    return ring.getBoundingClientRect();
  };
  const describeCell = (i) => {
    const day = days[Math.floor(i / SLOTS_PER_DAY)];
    const slot = i % SLOTS_PER_DAY;
    const v = numberOrNull(day.values?.[slot]);
    return [
      dateFmt.long.format(utcDate(day.date)),
      slotRange(t, slot),
      v === null ? t("value.no_data") : fmt.value(v),
    ];
  };

  const full = levelPercent(LEVELS - 1);
  const end = (colour) => `color-mix(in srgb, ${colour} ${full}%, var(--ovz-base))`;
  const diverging = lo < 0;
  const ramp = diverging
    ? `linear-gradient(to right, ${end(neg)}, var(--ovz-base), ${end(pos)})`
    : `linear-gradient(to right, var(--ovz-base), ${end(pos)})`;
  const legend =
    `<span class="legend" style="--ovz-hp: ${pos}; --ovz-hn: ${neg}">` +
    `${escapeHtml(fmt.value(diverging ? -extent : 0))}` +
    `${tag("span", { class: "ramp", style: `background: ${ramp}` })}` +
    `${escapeHtml(fmt.value(extent))}</span>`;
  const summary = [t("meta.total_days", { value: fmt.value(total), days: days.length })];
  return {
    html,
    summary,
    legend,
    mount,
    count,
    columns: SLOTS_PER_DAY,
    cellAt,
    focusCell,
    describeCell,
  };
}
