/**
 * Vertical bars from a zero line, one per item (a half-hour slot, a day), with a y axis of round
 * ticks. Shared by the profile, the daily totals and a day's half-hours.
 *
 * Each item is a <g class="item" data-i> holding a full-height transparent target (tiny bars
 * stay easy to hover and tap) and its bar; the card moves the keyboard focus over the items.
 */
import { escapeHtml, niceTicks, tag } from "../format.js";

export const MARGIN = { left: 58, right: 8, top: 8, bottom: 22 };
export const HEIGHT = 220;

/** The y scale of a set of values (always including zero). */
export function yScale(values, height = HEIGHT, margin = MARGIN) {
  const present = values.filter((v) => v !== null);
  const ticks = niceTicks(Math.min(0, ...present), Math.max(0, ...present));
  const lo = ticks[0];
  const hi = ticks[ticks.length - 1];
  const plotH = height - margin.top - margin.bottom;
  const y = (v) => margin.top + ((hi - v) / (hi - lo)) * plotH;
  return { ticks, y, plotH };
}

/** Grid lines and tick labels of a y scale; the zero line is drawn as the axis. */
export function yAxis(scale, fmt, width, margin = MARGIN) {
  const parts = [];
  for (const t of scale.ticks) {
    const line = { x1: margin.left, x2: width - margin.right, y1: scale.y(t), y2: scale.y(t) };
    parts.push(
      tag("line", { class: t === 0 ? "axis" : "grid", ...line }),
      tag(
        "text",
        { x: margin.left - 6, y: scale.y(t), "text-anchor": "end", "dominant-baseline": "middle" },
        escapeHtml(fmt.axis(t)),
      ),
    );
  }
  return parts.join("");
}

/**
 * An SVG bar chart. `values[i]` is a number or null; `colour(v, i)` the fill; `xLabel(i)` the
 * label under item i or null; `attrs(i)` extra attributes of item i (data-slot, data-date...).
 */
export function barChart({ values, colour, xLabel, attrs, fmt, width, cls, ariaLabel }) {
  const scale = yScale(values);
  const plotW = Math.max(values.length, width - MARGIN.left - MARGIN.right);
  const itemW = plotW / values.length;
  const zeroY = scale.y(0);
  const parts = [yAxis(scale, fmt, width)];
  values.forEach((v, i) => {
    const x = MARGIN.left + i * itemW;
    let content = tag("rect", {
      class: "hit",
      x,
      y: MARGIN.top,
      width: itemW,
      height: scale.plotH,
    });
    if (v !== null) {
      // Solid colours: the height encodes the size, the hue the flow (or the sign of net).
      content += tag("rect", {
        class: "bar",
        x: x + itemW * 0.12,
        y: Math.min(scale.y(v), zeroY),
        width: itemW * 0.76,
        height: Math.abs(scale.y(v) - zeroY),
        fill: colour(v, i),
      });
    }
    const item = { class: "item", "data-i": i, "data-value": v === null ? "" : String(v) };
    parts.push(tag("g", { ...item, ...attrs(i) }, content));
    const label = xLabel(i);
    if (label !== null) {
      const at = { x: x + itemW / 2, y: HEIGHT - 6, "text-anchor": "middle" };
      parts.push(tag("text", at, escapeHtml(label)));
    }
  });
  return tag(
    "svg",
    {
      class: cls,
      viewBox: `0 0 ${width} ${HEIGHT}`,
      height: HEIGHT,
      role: "group",
      tabindex: 0,
      "aria-label": ariaLabel,
    },
    parts.join(""),
  );
}
