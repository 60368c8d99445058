/**
 * Compare: what the period's half-hours would have cost on each candidate tariff (the answer
 * of octopus_viz/compare): one bar per candidate (net cost), the actual tariff marked, the
 * month-by-month breakdown of the selected candidate, unavailable candidates with their
 * reason, and the caveat that only prices change, not behaviour.
 */
import { escapeHtml, tag, utcDate } from "../format.js";

const ROW = 26;
const TOP = 6;

export function isEmpty(data) {
  return !data.candidates?.length;
}

/** "£3.20 cheaper" / "£1.10 dearer" / "same as your tariff", from the difference to actual. */
export function differenceText(t, fmt, difference) {
  if (typeof difference !== "number" || Math.abs(difference) < 0.005) return t("compare.same");
  const value = fmt.money(Math.abs(difference));
  return t(difference < 0 ? "compare.cheaper" : "compare.dearer", { value });
}

function monthsTable(t, fmt, dateFmt, candidate) {
  const head = ["compare.month", "compare.import_cost", "compare.export_revenue"]
    .concat(["compare.standing_charges", "compare.net"])
    .map((key) => `<th scope="col">${escapeHtml(t(key))}</th>`)
    .join("");
  const rows = (candidate.months ?? [])
    .map((m) => {
      const month = dateFmt.month.format(utcDate(`${m.month}-01`));
      const cells = [m.import_cost, m.export_revenue, m.standing_charges, m.net]
        .map((v) => `<td>${typeof v === "number" ? escapeHtml(fmt.money(v)) : ""}</td>`)
        .join("");
      return `<tr><th scope="row">${escapeHtml(month)}</th>${cells}</tr>`;
    })
    .join("");
  const caption = escapeHtml(t("compare.months", { name: candidate.name }));
  return `<table class="months"><caption>${caption}</caption><thead><tr>${head}</tr></thead><tbody>${rows}</tbody></table>`;
}

export function render(data, ctx) {
  const { t, fmt, width, dateFmt, selected } = ctx;
  const shown = data.candidates.filter((c) => c.available);
  const missing = data.candidates.filter((c) => !c.available);
  const nets = shown.map((c) => c.net);
  const lo = Math.min(0, ...nets);
  const hi = Math.max(0, ...nets);
  const labelW = Math.min(220, Math.round(width * 0.38));
  const valueW = 150;
  const plotW = Math.max(40, width - labelW - valueW - 8);
  const x = (v) => labelW + ((v - lo) / (hi - lo || 1)) * plotW;
  const height = TOP + ROW * shown.length + 4;
  const parts = [tag("line", { class: "axis", x1: x(0), x2: x(0), y1: 0, y2: height })];
  shown.forEach((c, i) => {
    const y = TOP + i * ROW;
    const name = c.is_actual ? `${c.name} (${t("compare.actual")})` : c.name;
    const colour = c.net < 0 ? "var(--ovz-export)" : "var(--ovz-import)";
    let content = tag("rect", { class: "hit", x: 0, y, width, height: ROW });
    content += tag("rect", {
      class: "bar",
      x: Math.min(x(0), x(c.net)),
      y: y + 5,
      width: Math.max(1, Math.abs(x(c.net) - x(0))),
      height: ROW - 10,
      fill: colour,
    });
    if (c.is_actual) {
      const mark = { x: labelW - 2, y: y + 2, width: plotW + 4, height: ROW - 4, rx: 4 };
      content += tag("rect", { class: "actual-mark", ...mark });
    }
    content += tag("text", { x: 4, y: y + ROW / 2, "dominant-baseline": "middle" }, escapeHtml(name));
    const value = `${fmt.money(c.net)} · ${c.is_actual ? "" : differenceText(t, fmt, c.difference)}`;
    const at = { x: width - 4, y: y + ROW / 2, "text-anchor": "end", "dominant-baseline": "middle" };
    content += tag("text", at, escapeHtml(value.replace(/ · $/, "")));
    const cls = `item candidate${c.key === selected ? " selected" : ""}${c.is_actual ? " actual" : ""}`;
    parts.push(tag("g", { class: cls, "data-key": c.key, "data-value": String(c.net) }, content));
  });
  let html = tag(
    "svg",
    {
      class: "compare",
      viewBox: `0 0 ${width} ${height}`,
      height,
      role: "group",
      tabindex: 0,
      "aria-label": t("chart.compare"),
    },
    parts.join(""),
  );
  if (missing.length) {
    const items = missing
      .map((c) => `<li>${escapeHtml(c.name)}: ${escapeHtml(t("compare.unavailable", { reason: c.reason ?? "" }))}</li>`)
      .join("");
    html += `<ul class="unavailable">${items}</ul>`;
  }
  const chosen = shown.find((c) => c.key === selected);
  html += chosen
    ? monthsTable(t, fmt, dateFmt, chosen)
    : `<p class="hint">${escapeHtml(t("compare.select_hint"))}</p>`;
  html += `<p class="caveat">${escapeHtml(t("compare.caveat"))}</p>`;

  const describe = (el) => {
    const c = shown.find((candidate) => candidate.key === el.dataset.key);
    const lines = [c.is_actual ? `${c.name} (${t("compare.actual")})` : c.name];
    lines.push(`${t("compare.net")}: ${fmt.money(c.net)}`);
    if (!c.is_actual) lines.push(differenceText(t, fmt, c.difference));
    const uncovered = c.uncovered_days?.length ?? 0;
    if (uncovered) lines.push(t("compare.uncovered", { days: uncovered }));
    if (c.eligibility) lines.push(t("compare.eligibility", { text: c.eligibility }));
    return lines;
  };
  return { html, summary: [], legend: "", describe, activate: (el) => el.dataset.key };
}
