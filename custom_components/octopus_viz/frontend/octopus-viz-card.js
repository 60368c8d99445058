/**
 * octopus-viz-card: half-hourly electricity and gas from the octopus_viz integration over
 * periods longer than a day: profile, import with export, heatmap, daily totals, and the
 * tariff comparison.
 *
 * ES modules, no build step, nothing fetched from outside Home Assistant: the integration
 * serves this folder under one versioned path and loads this module on every dashboard
 * (a Lovelace resource and the frontend's extra module URL; see card.py). Options: config.js.
 * The pure helpers are re-exported for the browser tests.
 */
import { OctopusVizCard } from "./card.js";
import { OctopusVizCardEditor } from "./editor.js";
import en from "./strings/en.js";

export * from "./config.js";
export * from "./format.js";
export { editorSchema, cleanConfig } from "./editor.js";
export { translator, tableFor, TABLES } from "./i18n.js";
export { nextFocus, tipPosition } from "./interaction.js";

// Guards: the same module may be asked for twice (resource and extra module URL).
if (!customElements.get("octopus-viz-card-editor")) {
  customElements.define("octopus-viz-card-editor", OctopusVizCardEditor);
}
if (!customElements.get("octopus-viz-card")) {
  customElements.define("octopus-viz-card", OctopusVizCard);
}
window.customCards = window.customCards || [];
if (!window.customCards.some((c) => c.type === "octopus-viz-card")) {
  window.customCards.push({
    type: "octopus-viz-card",
    name: "Octopus Energy Viz",
    description: en["card.picker_description"],
    preview: true,
    documentationURL: "https://github.com/octopus-viz/octopus_viz",
  });
}
