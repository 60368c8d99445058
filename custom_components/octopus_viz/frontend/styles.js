/**
 * The card's styles. Colours come from the theme; three variables may be set in a theme:
 *   --octopus-viz-import-color (default: the Energy dashboard's grid consumption blue)
 *   --octopus-viz-export-color (default: an orange, told apart from the blue with red-green
 *                               colour blindness, unlike the dashboard's purple)
 *   --octopus-viz-gas-color    (default: a teal)
 * The older --octopus-viz-positive-color / --octopus-viz-negative-color still work.
 * Each default has a contrast of at least 3:1 against the light and the dark card (tested).
 */
import { levelStyles } from "./format.js";

export const STYLES = `
  :host {
    display: block;
    --ovz-import: var(--octopus-viz-import-color,
      var(--octopus-viz-positive-color, var(--energy-grid-consumption-color, #488fc2)));
    --ovz-export: var(--octopus-viz-export-color,
      var(--octopus-viz-negative-color, #d46f00));
    --ovz-gas: var(--octopus-viz-gas-color, #1f9a8a);
    --ovz-base: var(--ha-card-background, var(--card-background-color, #fff));
    --ovz-text: var(--primary-text-color, #212121);
    --ovz-muted: var(--secondary-text-color, #727272);
    --ovz-line: var(--divider-color, rgba(0, 0, 0, 0.12));
    --ovz-focus: var(--primary-color, #03a9f4);
  }
  /* Only when ha-card is not defined (e.g. a bare test page): look like a card anyway. */
  ha-card:not(:defined) {
    display: block;
    background: var(--ovz-base);
    color: var(--ovz-text);
    border-radius: var(--ha-card-border-radius, 12px);
    border: 1px solid var(--ha-card-border-color, var(--ovz-line));
  }
  ha-card { position: relative; overflow: hidden; }
  .wrap {
    padding: 12px 16px 16px;
    color: var(--ovz-text);
    font-family: var(--ha-font-family-body, inherit);
  }
  header { display: flex; align-items: baseline; flex-wrap: wrap; gap: 4px 12px; }
  h2 { margin: 0; font-size: var(--ha-card-header-font-size, 1.25rem); font-weight: 400; }
  .subtitle { color: var(--ovz-muted); font-size: 0.85rem; }
  .controls { display: flex; flex-wrap: wrap; gap: 6px; margin: 10px 0 6px; }
  .controls select, .controls input, button {
    font: inherit; font-size: 0.85rem; color: var(--ovz-text); background: var(--ovz-base);
    border: 1px solid var(--ovz-line); border-radius: 6px; padding: 3px 6px;
  }
  button { cursor: pointer; }
  select:focus-visible, input:focus-visible, button:focus-visible, svg:focus-visible {
    outline: 2px solid var(--ovz-focus); outline-offset: 1px;
  }
  .custom { display: inline-flex; gap: 4px; align-items: center; }
  [hidden] { display: none !important; }
  .body { position: relative; min-height: 120px; }
  .state { padding: 32px 8px; text-align: center; color: var(--ovz-muted); }
  .state.error { color: var(--error-color, #db4437); }
  .meta { display: flex; flex-wrap: wrap; justify-content: space-between; gap: 4px 12px;
          color: var(--ovz-muted); font-size: 0.8rem; margin-top: 4px; }
  .sr { position: absolute; width: 1px; height: 1px; overflow: hidden; clip: rect(0 0 0 0);
        white-space: nowrap; }
  svg { display: block; width: 100%; overflow: visible; }
  svg text { fill: var(--ovz-muted); font-size: 11px; }
  svg .grid { stroke: var(--ovz-line); stroke-width: 1; }
  svg .axis { stroke: var(--ovz-muted); stroke-width: 1; }
  .item .hit { fill: transparent; }
  .item:hover .hit, .item.focused .hit { fill: var(--ovz-line); }
  rect.cell:hover, rect.cell.focused { stroke: var(--ovz-text); stroke-width: 1; }
  .net-line { fill: none; stroke: var(--ovz-text); stroke-width: 1.5; }
  .net-dot { fill: var(--ovz-text); }
  .daily .item { cursor: pointer; }
  .compare .item { cursor: pointer; }
  .compare .actual-mark { fill: none; stroke: var(--ovz-text); stroke-width: 1.5; }
  .compare .item.selected .hit { fill: var(--ovz-line); }
  .legend { display: inline-flex; align-items: center; gap: 6px; }
  .legend .ramp { width: 96px; height: 10px; border-radius: 2px; border: 1px solid var(--ovz-line); }
  .legend .key { display: inline-block; width: 10px; height: 10px; border-radius: 2px; }
  .caveat, .hint, .unavailable { color: var(--ovz-muted); font-size: 0.8rem; margin: 6px 0 0; }
  .unavailable { padding-left: 18px; }
  table.months { border-collapse: collapse; font-size: 0.8rem; margin-top: 8px; width: 100%; }
  table.months th, table.months td { padding: 2px 6px; text-align: right;
                                      border-bottom: 1px solid var(--ovz-line); }
  table.months th:first-child, table.months td:first-child { text-align: left; }
  caption { text-align: left; font-weight: 500; padding: 4px 0; }
  .tooltip {
    position: absolute; pointer-events: none; z-index: 2; white-space: nowrap;
    background: var(--ovz-base); color: var(--ovz-text); border: 1px solid var(--ovz-line);
    border-radius: 6px; padding: 4px 8px; font-size: 0.8rem;
    box-shadow: 0 2px 6px rgba(0, 0, 0, 0.2);
  }
  .tooltip b { font-weight: 600; }
  /* Motion only for those who have not asked the system for less. */
  @media (prefers-reduced-motion: no-preference) {
    .bar, .tooltip { transition: opacity 150ms ease, fill 150ms ease; }
  }
  ${levelStyles()}
`;
