/**
 * The card's static markup: header, the controls (labelled in the user's language), the
 * chart's body, the summary line, a live region for what the keyboard focus reaches, and
 * the tooltip. Built once per configuration or language.
 */
import { OPTIONS } from "./config.js";
import { escapeHtml } from "./format.js";
import { STYLES } from "./styles.js";

export function skeleton(t) {
  const select = (key) =>
    `<select data-key="${key}" aria-label="${escapeHtml(t(`field.${key}`))}">` +
    OPTIONS[key]
      .map((value) => `<option value="${value}">${escapeHtml(t(`${key}.${value}`))}</option>`)
      .join("") +
    `</select>`;
  return `
    <style>${STYLES}</style>
    <ha-card>
      <div class="wrap">
        <header><h2></h2><span class="subtitle"></span></header>
        <div class="controls">
          ${select("view")}${select("period")}
          <span class="custom">
            <input type="date" data-key="start" aria-label="${escapeHtml(t("field.start"))}">
            <span aria-hidden="true">–</span>
            <input type="date" data-key="end" aria-label="${escapeHtml(t("field.end"))}">
          </span>
          ${select("direction")}${select("unit")}${select("stat")}
        </div>
        <div class="body"></div>
        <div class="meta"></div>
        <div class="sr" aria-live="polite"></div>
      </div>
      <div class="tooltip" role="tooltip" hidden></div>
    </ha-card>`;
}
