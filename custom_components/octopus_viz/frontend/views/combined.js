/**
 * Import and export together: per slot, import above the axis (blue) and export below it
 * (orange), net (import minus export) as a line, so a solar or Flux household sees in one
 * picture when it pays and when it earns. One answer (octopus_viz/combined) holds all three.
 */
import { escapeHtml, numberOrNull, slotLabel, tag, SLOTS_PER_DAY } from "../format.js";
import { HEIGHT, MARGIN, yAxis, yScale } from "./bars.js";
import { slotRange } from "./profile.js";

const pick = (side, stat) => (side ? numberOrNull(side[stat]) : null);

export function isEmpty(data) {
  return (
    !data.slots?.length ||
    data.slots.every((s) => ["import", "export"].every((k) => pick(s[k], "sum") === null))
  );
}

export function render(data, ctx) {
  const { t, fmt, stat, width } = ctx;
  const imports = data.slots.map((s) => pick(s.import, stat));
  const exports = data.slots.map((s) => pick(s.export, stat));
  const nets = data.slots.map((s) => pick(s.net, stat));
  const scale = yScale([...imports, ...exports.map((v) => (v === null ? null : -v)), ...nets]);
  const plotW = Math.max(SLOTS_PER_DAY, width - MARGIN.left - MARGIN.right);
  const slotW = plotW / SLOTS_PER_DAY;
  const zeroY = scale.y(0);
  const parts = [yAxis(scale, fmt, width)];
  const points = [];
  for (let i = 0; i < SLOTS_PER_DAY; i += 1) {
    const x = MARGIN.left + i * slotW;
    let content = tag("rect", { class: "hit", x, y: MARGIN.top, width: slotW, height: scale.plotH });
    const bar = (v, cls, fill) =>
      tag("rect", {
        class: `bar ${cls}`,
        x: x + slotW * 0.12,
        y: Math.min(scale.y(v), zeroY),
        width: slotW * 0.76,
        height: Math.abs(scale.y(v) - zeroY),
        fill,
      });
    if (imports[i] !== null) content += bar(imports[i], "import", "var(--ovz-import)");
    if (exports[i] !== null) content += bar(-exports[i], "export", "var(--ovz-export)");
    parts.push(tag("g", { class: "item slot", "data-i": i, "data-slot": i }, content));
    if (nets[i] !== null) points.push([x + slotW / 2, scale.y(nets[i])]);
    if (i % 6 === 0) {
      const at = { x: x + slotW / 2, y: HEIGHT - 6, "text-anchor": "middle" };
      parts.push(tag("text", at, slotLabel(i).slice(0, 2)));
    }
  }
  if (points.length) {
    const d = points.map(([x, y], i) => `${i ? "L" : "M"}${x.toFixed(1)},${y.toFixed(1)}`);
    parts.push(tag("path", { class: "net-line", d: d.join("") }));
    for (const [cx, cy] of points) parts.push(tag("circle", { class: "net-dot", cx, cy, r: 1.6 }));
  }
  const html = tag(
    "svg",
    {
      class: "combined",
      viewBox: `0 0 ${width} ${HEIGHT}`,
      height: HEIGHT,
      role: "group",
      tabindex: 0,
      "aria-label": t("chart.combined", { unit: fmt.unitLabel }),
    },
    parts.join(""),
  );
  const total = (values) => values.reduce((a, v) => a + (v ?? 0), 0);
  const summary = [
    `${t("direction.import")}: ${fmt.value(total(imports))}`,
    `${t("direction.export")}: ${fmt.value(total(exports))}`,
    `${t("direction.net")}: ${fmt.value(total(nets))}`,
    stat === "mean"
      ? t("meta.per_half_hour_mean", { unit: fmt.unitLabel })
      : t("meta.per_half_hour_sum", { unit: fmt.unitLabel, days: data.days }),
  ];
  const key = (colour, label) =>
    `<span class="legend"><span class="key" style="background:${colour}"></span>` +
    `${escapeHtml(label)}</span>`;
  const legend =
    key("var(--ovz-import)", t("combined.legend_import")) +
    key("var(--ovz-export)", t("combined.legend_export")) +
    key("var(--ovz-text)", t("combined.legend_net"));
  const shown = (v) => (v === null ? t("value.no_data") : fmt.value(v));
  const describe = (el) => {
    const i = Number(el.dataset.slot);
    return [
      slotRange(t, i),
      `${t("direction.import")} ${shown(imports[i])}`,
      `${t("direction.export")} ${shown(exports[i])}`,
      `${t("direction.net")} ${shown(nets[i])}`,
    ];
  };
  return { html, summary, legend, describe, count: SLOTS_PER_DAY };
}
