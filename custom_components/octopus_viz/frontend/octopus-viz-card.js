/**
 * octopus-viz-card: half-hourly usage and money from the octopus_viz integration, over periods
 * longer than a day, as a 48-bar "average day" profile or a days x half-hours heatmap.
 *
 * One self-contained ES module (no build step, no imports, no network): Home Assistant serves
 * it at /octopus_viz/octopus-viz-card.js and loads it on every dashboard.
 *
 * Card configuration (all optional except `type`):
 *
 *   type: custom:octopus-viz-card
 *   entry_id: <config entry id>  # default: the server picks the first configured account
 *   title: My half hours         # default: "Octopus half-hours"
 *   view: profile                # profile | heatmap
 *   period: last_30_days         # last_7_days | last_30_days | last_90_days | this_month |
 *                                # last_month | this_year | custom
 *   start: 2025-01-01            # local dates, inclusive; required with period: custom
 *   end: 2025-01-31
 *   direction: import            # import | export | net
 *   unit: kwh                    # kwh | money
 *   stat: mean                   # sum | mean (profile view: total over the period, or per day)
 *
 * Controls inside the card switch view, period (custom dates too), direction, unit and stat for
 * the session without editing the YAML. Data come from the websocket commands
 * `octopus_viz/profile` and `octopus_viz/heatmap`.
 *
 * Colours follow the HA theme. Two extra variables may be set in a theme:
 *   --octopus-viz-positive-color  (import / cost; default: the energy dashboard's grid colour)
 *   --octopus-viz-negative-color  (export / credit; default: the energy dashboard's return colour)
 */

const SLOTS_PER_DAY = 48;
const REFRESH_MS = 30 * 60 * 1000; // readings arrive at most a few times a day
const DEFAULT_TITLE = "Octopus half-hours";

const OPTIONS = {
  view: { profile: "Profile", heatmap: "Heatmap" },
  period: {
    last_7_days: "Last 7 days",
    last_30_days: "Last 30 days",
    last_90_days: "Last 90 days",
    this_month: "This month",
    last_month: "Last month",
    this_year: "This year",
    custom: "Custom dates",
  },
  direction: { import: "Import", export: "Export", net: "Net" },
  unit: { kwh: "kWh", money: "Cost" },
  stat: { mean: "Mean per day", sum: "Total" },
};

/** Human names of the options, for control labels (card) and field labels (editor). */
const FIELD_LABELS = {
  title: "Title",
  entry_id: "Account",
  view: "View",
  period: "Period",
  start: "Start date",
  end: "End date",
  direction: "Direction",
  unit: "Unit",
  stat: "Profile statistic",
};

const DEFAULTS = {
  view: "profile",
  period: "last_30_days",
  direction: "import",
  unit: "kwh",
  stat: "mean",
};

// ---------------------------------------------------------------------------------------------
// Pure helpers (exported so the browser test can check them directly)
// ---------------------------------------------------------------------------------------------

/** True for a real calendar date written as YYYY-MM-DD. */
export function isIsoDate(value) {
  if (typeof value !== "string" || !/^\d{4}-\d{2}-\d{2}$/.test(value)) return false;
  const [y, m, d] = value.split("-").map(Number);
  const date = new Date(Date.UTC(y, m - 1, d));
  return date.getUTCFullYear() === y && date.getUTCMonth() === m - 1 && date.getUTCDate() === d;
}

/** YAML turns an unquoted 2025-01-01 into a Date; accept both and return YYYY-MM-DD. */
function dateOption(value) {
  if (value instanceof Date && !Number.isNaN(value.getTime())) {
    return value.toISOString().slice(0, 10);
  }
  return value;
}

/**
 * Validate a card configuration and return it with defaults filled in.
 * Throws an Error with a readable message, which Home Assistant shows in place of the card.
 */
export function validateConfig(config) {
  if (!config || typeof config !== "object") throw new Error("Invalid configuration");
  const out = { ...DEFAULTS };
  for (const key of ["view", "period", "direction", "unit", "stat"]) {
    if (config[key] === undefined || config[key] === null) continue;
    if (!Object.hasOwn(OPTIONS[key], config[key])) {
      const allowed = Object.keys(OPTIONS[key]).join(", ");
      throw new Error(`Invalid ${key} "${config[key]}": use one of ${allowed}`);
    }
    out[key] = config[key];
  }
  for (const key of ["entry_id", "title"]) {
    if (config[key] === undefined || config[key] === null || config[key] === "") continue;
    if (typeof config[key] !== "string") throw new Error(`${key} must be a string`);
    out[key] = config[key];
  }
  for (const key of ["start", "end"]) {
    const value = dateOption(config[key]);
    if (value === undefined || value === null || value === "") continue;
    if (!isIsoDate(value)) throw new Error(`${key} must be a date written as YYYY-MM-DD`);
    out[key] = value;
  }
  if (out.period === "custom") {
    if (!out.start || !out.end) throw new Error("period: custom needs both start and end dates");
    if (out.start > out.end) throw new Error("start must be on or before end");
  }
  return out;
}

/** "HH:MM" of the start of half-hour slot `index` (48 means midnight at the end of the day). */
export function slotLabel(index) {
  const minutes = (index * 30) % (24 * 60);
  const hh = String(Math.floor(minutes / 60)).padStart(2, "0");
  const mm = String(minutes % 60).padStart(2, "0");
  return `${hh}:${mm}`;
}

/** Round axis ticks (steps of 1, 2, 2.5 or 5 x 10^n) covering [lo, hi]; includes 0 when inside. */
export function niceTicks(lo, hi, target = 5) {
  if (!(hi > lo)) hi = lo + 1;
  const raw = (hi - lo) / target;
  const mag = 10 ** Math.floor(Math.log10(raw));
  const norm = raw / mag;
  const step = (norm <= 1 ? 1 : norm <= 2 ? 2 : norm <= 2.5 ? 2.5 : norm <= 5 ? 5 : 10) * mag;
  const first = Math.floor(lo / step + 1e-9);
  const last = Math.ceil(hi / step - 1e-9);
  const ticks = [];
  // toPrecision strips binary noise such as 0.30000000000000004.
  for (let i = first; i <= last; i += 1) ticks.push(Number((i * step).toPrecision(12)));
  return ticks;
}

/** Escape text for HTML/SVG markup built from strings. */
export function escapeHtml(value) {
  return String(value).replace(
    /[&<>"']/g,
    (c) => ({ "&": "&amp;", "<": "&lt;", ">": "&gt;", '"': "&quot;", "'": "&#39;" })[c],
  );
}

/**
 * Value formatters for a response: `value` for tooltips and labels ("0.412 kWh", "£1.23"),
 * `axis` for compact tick labels.
 */
export function makeFormatters(locale, unit, currency) {
  if (unit === "money") {
    const code = currency || "GBP";
    const money = new Intl.NumberFormat(locale, { style: "currency", currency: code });
    // Half-hour costs are often pennies: keep a third decimal below one unit of currency.
    const small = new Intl.NumberFormat(locale, {
      style: "currency",
      currency: code,
      minimumFractionDigits: 2,
      maximumFractionDigits: 3,
    });
    return {
      unitLabel: code,
      value: (v) => (Math.abs(v) < 1 ? small : money).format(v),
      axis: (v) => small.format(v),
    };
  }
  const kwh = new Intl.NumberFormat(locale, { minimumFractionDigits: 2, maximumFractionDigits: 3 });
  const axis = new Intl.NumberFormat(locale, { maximumFractionDigits: 3 });
  return { unitLabel: "kWh", value: (v) => `${kwh.format(v)} kWh`, axis: (v) => axis.format(v) };
}

/** Build the websocket message for the card's current selection. */
export function buildRequest(state, entryId) {
  const msg = {
    type: state.view === "heatmap" ? "octopus_viz/heatmap" : "octopus_viz/profile",
    direction: state.direction,
    unit: state.unit,
  };
  if (entryId) msg.entry_id = entryId;
  if (state.period === "custom") {
    msg.start = state.start;
    msg.end = state.end;
  } else {
    msg.period = state.period;
  }
  return msg;
}

/** Parse YYYY-MM-DD as a UTC midnight Date, so formatting with timeZone UTC keeps the day. */
function utcDate(iso) {
  const [y, m, d] = iso.split("-").map(Number);
  return new Date(Date.UTC(y, m - 1, d));
}

/**
 * Date formats of a locale. Local dates from the server are formatted as UTC midnights so the
 * day never shifts; `time` (data_until, an instant) uses Home Assistant's time zone.
 */
function dateFormats(locale, timeZone = "UTC") {
  return {
    short: new Intl.DateTimeFormat(locale, { day: "numeric", month: "short", timeZone: "UTC" }),
    long: new Intl.DateTimeFormat(locale, {
      weekday: "short",
      day: "numeric",
      month: "short",
      year: "numeric",
      timeZone: "UTC",
    }),
    time: new Intl.DateTimeFormat(locale, {
      day: "numeric",
      month: "short",
      hour: "2-digit",
      minute: "2-digit",
      timeZone,
    }),
  };
}

/**
 * Fill colour for a value. Sequential scales fade from the card background to one colour;
 * diverging scales (net, or any negative value such as an Agile credit) use a second colour
 * below zero so that zero stays neutral.
 */
export function fillFor(value, scale) {
  if (value === null || value === undefined) return "var(--ovz-empty)";
  const colour = value < 0 ? "var(--ovz-neg)" : "var(--ovz-pos)";
  const t = scale.extent > 0 ? Math.min(1, Math.abs(value) / scale.extent) : 0;
  const pct = Math.round(8 + 92 * t);
  return `color-mix(in srgb, ${colour} ${pct}%, var(--ovz-base))`;
}

// ---------------------------------------------------------------------------------------------
// Styles
// ---------------------------------------------------------------------------------------------

const STYLES = `
  :host {
    display: block;
    --ovz-pos: var(--octopus-viz-positive-color, var(--energy-grid-consumption-color, #488fc2));
    --ovz-neg: var(--octopus-viz-negative-color, var(--energy-grid-return-color, #8353d1));
    --ovz-base: var(--ha-card-background, var(--card-background-color, #fff));
    --ovz-empty: transparent;
    --ovz-text: var(--primary-text-color, #212121);
    --ovz-muted: var(--secondary-text-color, #727272);
    --ovz-line: var(--divider-color, rgba(0, 0, 0, 0.12));
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
  .controls select, .controls input {
    font: inherit; font-size: 0.85rem; color: var(--ovz-text); background: var(--ovz-base);
    border: 1px solid var(--ovz-line); border-radius: 6px; padding: 3px 6px;
  }
  .controls select:focus-visible, .controls input:focus-visible {
    outline: 2px solid var(--primary-color, #03a9f4); outline-offset: 1px;
  }
  .custom { display: inline-flex; gap: 4px; align-items: center; }
  .custom[hidden], [hidden] { display: none !important; }
  .body { position: relative; min-height: 120px; }
  .state { padding: 32px 8px; text-align: center; color: var(--ovz-muted); }
  .state.error { color: var(--error-color, #db4437); }
  .meta { display: flex; flex-wrap: wrap; justify-content: space-between; gap: 4px 12px;
          color: var(--ovz-muted); font-size: 0.8rem; margin-top: 4px; }
  svg { display: block; width: 100%; overflow: visible; }
  svg text { fill: var(--ovz-muted); font-size: 11px; }
  .grid { stroke: var(--ovz-line); stroke-width: 1; }
  .zero { stroke: var(--ovz-muted); stroke-width: 1; }
  .slot .hit { fill: transparent; }
  .slot:hover .hit { fill: var(--ovz-line); }
  .cell:hover { stroke: var(--ovz-text); stroke-width: 1; }
  .legend { display: inline-flex; align-items: center; gap: 6px; }
  .legend .ramp {
    width: 96px;
    height: 10px;
    border-radius: 2px;
    border: 1px solid var(--ovz-line);
  }
  .tooltip {
    position: absolute; pointer-events: none; z-index: 2; white-space: nowrap;
    background: var(--ovz-base); color: var(--ovz-text); border: 1px solid var(--ovz-line);
    border-radius: 6px; padding: 4px 8px; font-size: 0.8rem;
    box-shadow: 0 2px 6px rgba(0, 0, 0, 0.2);
  }
  .tooltip b { font-weight: 600; }
`;

// ---------------------------------------------------------------------------------------------
// Chart renderers: data in, SVG markup out (plus summary lines and a legend)
// ---------------------------------------------------------------------------------------------

/**
 * Markup for one element. Attribute values are escaped; numbers (geometry) are rounded to 2
 * decimals, finer than a pixel, which keeps a year-long heatmap's markup small. Data values
 * are passed as strings so they stay exact.
 */
function tag(name, attrs, content = "") {
  const text = Object.entries(attrs)
    .filter(([, value]) => value !== undefined && value !== null)
    .map(([key, value]) => {
      const shown = typeof value === "number" ? Number(value.toFixed(2)) : value;
      return ` ${key}="${escapeHtml(shown)}"`;
    })
    .join("");
  return `<${name}${text}>${content}</${name}>`;
}

/** "00:00 to 00:30: 0.412 kWh"; "to" rather than a dash because screen readers read it well. */
function slotAria(prefix, slot, value, fmt) {
  const shown = value === null ? "no data" : fmt.value(value);
  return `${prefix}${slotLabel(slot)} to ${slotLabel(slot + 1)}: ${shown}`;
}

/** A number from a response, or null for missing data. */
const numberOrNull = (value) => (typeof value === "number" ? value : null);

/** Bars for the 48 slots of a profile response. `stat` picks sum or mean. */
function renderProfile(data, stat, fmt, width) {
  const values = data.slots.map((s) => numberOrNull(s[stat]));
  const present = values.filter((v) => v !== null);
  const ticks = niceTicks(Math.min(0, ...present), Math.max(0, ...present));
  const lo = ticks[0];
  const hi = ticks[ticks.length - 1];

  const margin = { left: 58, right: 8, top: 8, bottom: 22 };
  const height = 220;
  const plotW = Math.max(48, width - margin.left - margin.right);
  const plotH = height - margin.top - margin.bottom;
  const slotW = plotW / SLOTS_PER_DAY;
  const y = (v) => margin.top + ((hi - v) / (hi - lo)) * plotH;
  const zeroY = y(0);

  const parts = [];
  for (const t of ticks) {
    const line = { x1: margin.left, x2: width - margin.right, y1: y(t), y2: y(t) };
    parts.push(
      tag("line", { class: t === 0 ? "zero" : "grid", ...line }),
      tag(
        "text",
        { x: margin.left - 6, y: y(t), "text-anchor": "end", "dominant-baseline": "middle" },
        escapeHtml(fmt.axis(t)),
      ),
    );
  }
  values.forEach((v, i) => {
    const x = margin.left + i * slotW;
    // A full-height transparent target per slot: tiny bars stay easy to hover.
    let content = tag("rect", { class: "hit", x, y: margin.top, width: slotW, height: plotH });
    if (v !== null) {
      // Solid colours: the height already encodes the size; the hue encodes the sign.
      content += tag("rect", {
        class: "bar",
        x: x + slotW * 0.12,
        y: Math.min(y(v), zeroY),
        width: slotW * 0.76,
        height: Math.abs(y(v) - zeroY),
        fill: v < 0 ? "var(--ovz-neg)" : "var(--ovz-pos)",
      });
    }
    const attrs = {
      class: "slot",
      role: "img",
      "data-slot": i,
      "data-value": v === null ? "" : String(v),
    };
    parts.push(tag("g", { ...attrs, "aria-label": slotAria("", i, v, fmt) }, content));
    if (i % 6 === 0) {
      const hour = slotLabel(i).slice(0, 2);
      parts.push(tag("text", { x: x + slotW / 2, y: height - 6, "text-anchor": "middle" }, hour));
    }
  });

  const what = stat === "mean" ? "mean per day" : `total over ${data.days} days`;
  const svg = tag(
    "svg",
    {
      class: "profile",
      viewBox: `0 0 ${width} ${height}`,
      height,
      role: "group",
      "aria-label": `Half-hourly ${what}, ${fmt.unitLabel}`,
    },
    parts.join(""),
  );

  const total = present.reduce((a, b) => a + b, 0);
  const peak = values.reduce(
    (best, v, i) => (v !== null && (best < 0 || v > values[best]) ? i : best),
    -1,
  );
  const summary = [
    `${stat === "mean" ? "Average day" : "Total"}: ${fmt.value(total)}`,
    `peak ${slotLabel(peak)} (${fmt.value(values[peak])})`,
    `${fmt.unitLabel} per half hour, ${what}`,
  ];
  return { svg, summary, legend: "" };
}

/** Days (rows) x 48 half-hours (columns) for a heatmap response. */
function renderHeatmap(data, fmt, width, dateFmt) {
  const days = data.days;
  let lo = 0;
  let hi = 0;
  let total = 0;
  for (const v of days.flatMap((day) => day.values ?? [])) {
    if (typeof v !== "number") continue;
    lo = Math.min(lo, v);
    hi = Math.max(hi, v);
    total += v;
  }
  // One symmetric scale: equal magnitudes get equal intensity whatever their sign.
  const scale = { extent: Math.max(Math.abs(lo), Math.abs(hi)) };

  const margin = { left: 58, right: 8, top: 18, bottom: 4 };
  const plotW = Math.max(48, width - margin.left - margin.right);
  const cellW = plotW / SLOTS_PER_DAY;
  // Short periods get tall, readable rows; a year shrinks to about 1 px per day.
  const rowH = Math.max(1, Math.min(16, 420 / days.length));
  const height = Math.round(margin.top + rowH * days.length + margin.bottom);
  const cellSize = {
    width: Math.max(0.5, cellW - (cellW >= 6 ? 1 : 0)),
    height: Math.max(0.5, rowH - (rowH >= 6 ? 1 : 0)),
  };
  const labelEvery = Math.ceil(13 / rowH); // date labels at least 13 px apart

  const parts = [];
  for (let s = 0; s < SLOTS_PER_DAY; s += 6) {
    parts.push(tag("text", { x: margin.left + s * cellW, y: 11 }, slotLabel(s).slice(0, 2)));
  }
  days.forEach((day, r) => {
    const y = margin.top + r * rowH;
    const date = utcDate(day.date);
    if (r % labelEvery === 0) {
      const at = { x: margin.left - 6, y: y + Math.max(rowH, 11) / 2 };
      const label = escapeHtml(dateFmt.short.format(date));
      parts.push(
        tag("text", { ...at, "text-anchor": "end", "dominant-baseline": "middle" }, label),
      );
    }
    const prefix = `${dateFmt.long.format(date)} `;
    const cells = [];
    for (let s = 0; s < SLOTS_PER_DAY; s += 1) {
      const v = numberOrNull(day.values?.[s]);
      cells.push(
        tag("rect", {
          class: "cell",
          role: "img",
          "data-slot": s,
          "data-value": v === null ? "" : String(v),
          "aria-label": slotAria(prefix, s, v, fmt),
          x: margin.left + s * cellW,
          y,
          ...cellSize,
          fill: fillFor(v, scale),
        }),
      );
    }
    parts.push(tag("g", { class: "row", "data-row": r, "data-date": day.date }, cells.join("")));
  });

  const svg = tag(
    "svg",
    {
      class: "heatmap",
      viewBox: `0 0 ${width} ${height}`,
      height,
      // Rows of a fraction of a pixel would otherwise show anti-aliasing seams as stripes.
      "shape-rendering": "crispEdges",
      role: "group",
      "aria-label": `Heatmap of ${days.length} days by half hour, ${fmt.unitLabel}`,
    },
    parts.join(""),
  );

  const diverging = lo < 0;
  const { extent } = scale;
  const high = fillFor(extent, scale);
  const ramp = diverging
    ? `linear-gradient(to right, ${fillFor(-extent, scale)}, var(--ovz-base), ${high})`
    : `linear-gradient(to right, ${fillFor(0, scale)}, ${high})`;
  const legend =
    `<span class="legend">${escapeHtml(fmt.value(diverging ? -extent : 0))}` +
    `${tag("span", { class: "ramp", style: `background: ${ramp}` })}` +
    `${escapeHtml(fmt.value(extent))}</span>`;
  return { svg, summary: [`Total: ${fmt.value(total)} over ${days.length} days`], legend };
}

/** True when a response holds no value at all (the empty state). */
function isEmpty(view, data) {
  if (view === "heatmap") {
    return (
      !data.days?.length ||
      data.days.every((d) => (d.values ?? []).every((v) => typeof v !== "number"))
    );
  }
  return (
    !data.slots?.length ||
    data.slots.every((s) => typeof s.sum !== "number" && typeof s.mean !== "number")
  );
}

// ---------------------------------------------------------------------------------------------
// The card
// ---------------------------------------------------------------------------------------------

class OctopusVizCard extends HTMLElement {
  constructor() {
    super();
    this.attachShadow({ mode: "open" });
    this._config = undefined;
    this._hass = undefined;
    this._state = { ...DEFAULTS };
    // status: "waiting" (no hass yet), "loading", "error", "ready".
    this._status = { kind: "waiting" };
    this._seq = 0; // only the latest request may update the card
    this._inFlight = false;
    this._loadedAt = 0;
    this._timer = undefined;
    this._width = 0;
    this._resize = new ResizeObserver(() => this._onResize());
  }

  static getStubConfig() {
    return { ...DEFAULTS };
  }

  static getConfigElement() {
    return document.createElement("octopus-viz-card-editor");
  }

  setConfig(config) {
    const validated = validateConfig(config);
    // The dashboard editor calls this on every keystroke: an unchanged card keeps its data.
    if (this._config && JSON.stringify(validated) === JSON.stringify(this._config)) return;
    this._config = validated;
    const { view, period, direction, unit, stat, start, end } = this._config;
    this._state = { view, period, direction, unit, stat, start, end };
    this._build();
    if (this._hass) this._load();
  }

  set hass(hass) {
    const first = !this._hass;
    this._hass = hass;
    // HA sets hass on every state change anywhere: only the first one triggers a query.
    if (first && this._config) this._load();
  }

  get hass() {
    return this._hass;
  }

  connectedCallback() {
    this._timer = setInterval(() => this._refreshIfStale(), 60 * 1000);
    if (this._body) this._resize.observe(this._body);
    this._refreshIfStale();
  }

  disconnectedCallback() {
    clearInterval(this._timer);
    this._timer = undefined;
    this._resize.disconnect();
  }

  getCardSize() {
    return this._state.view === "heatmap" ? 9 : 6;
  }

  getGridOptions() {
    return { columns: 12, min_columns: 6, min_rows: 4 };
  }

  _refreshIfStale() {
    if (!this._hass || !this._config || this._inFlight) return;
    // A background refresh keeps the chart on screen until the new data arrive.
    if (Date.now() - this._loadedAt >= REFRESH_MS) this._load({ quiet: this._loadedAt > 0 });
  }

  get _locale() {
    return this._hass?.locale?.language || this._hass?.language || navigator.language || "en";
  }

  /** Create the static skeleton (header, controls, body) once per configuration. */
  _build() {
    const root = this.shadowRoot;
    const select = (key) =>
      `<select data-key="${key}" aria-label="${FIELD_LABELS[key]}">` +
      Object.entries(OPTIONS[key])
        .map(([value, label]) => `<option value="${value}">${escapeHtml(label)}</option>`)
        .join("") +
      `</select>`;
    root.innerHTML = `
      <style>${STYLES}</style>
      <ha-card>
        <div class="wrap">
          <header><h2></h2><span class="subtitle"></span></header>
          <div class="controls">
            ${select("view")}${select("period")}
            <span class="custom">
              <input type="date" data-key="start" aria-label="${FIELD_LABELS.start}">
              <span aria-hidden="true">–</span>
              <input type="date" data-key="end" aria-label="${FIELD_LABELS.end}">
            </span>
            ${select("direction")}${select("unit")}${select("stat")}
          </div>
          <div class="body" aria-live="polite"></div>
          <div class="meta"></div>
        </div>
        <div class="tooltip" role="tooltip" hidden></div>
      </ha-card>`;
    root.querySelector("h2").textContent = this._config.title || DEFAULT_TITLE;
    this._body = root.querySelector(".body");
    this._tooltip = root.querySelector(".tooltip");
    root.querySelector(".controls").addEventListener("change", (ev) => this._onControl(ev));
    // pointerdown too: a tap on a touch screen shows the value without any pointer movement.
    this._body.addEventListener("pointermove", (ev) => this._onPointer(ev));
    this._body.addEventListener("pointerdown", (ev) => this._onPointer(ev));
    this._body.addEventListener("pointerleave", () => {
      this._tooltip.hidden = true;
    });
    this._resize.disconnect();
    if (this.isConnected) this._resize.observe(this._body);
    this._syncControls();
    this._render();
  }

  _syncControls() {
    const root = this.shadowRoot;
    for (const el of root.querySelectorAll("[data-key]")) {
      el.value = this._state[el.dataset.key] ?? "";
    }
    root.querySelector(".custom").hidden = this._state.period !== "custom";
    // Sum vs mean only applies to the profile.
    root.querySelector('[data-key="stat"]').hidden = this._state.view !== "profile";
  }

  _onControl(ev) {
    const key = ev.target.dataset.key;
    if (!key) return;
    const previous = this._state;
    this._state = { ...previous, [key]: ev.target.value };
    if (key === "period" && ev.target.value === "custom" && !(previous.start && previous.end)) {
      // Start from the range on screen, so "custom" first shows what the user was looking at.
      const shown = this._status.data;
      this._state.start = shown?.start ?? previous.start;
      this._state.end = shown?.end ?? previous.end;
    }
    this._syncControls();
    if (key === "stat") {
      // Both statistics come in every profile response: redraw, no round trip needed.
      this._render();
      return;
    }
    this._load();
  }

  /**
   * Query the server for the current selection; answers to superseded requests are dropped.
   * `quiet` (background refresh) skips the loading state so the chart does not flicker.
   */
  async _load({ quiet = false } = {}) {
    if (!this._hass) return;
    const state = this._state;
    const seq = ++this._seq; // supersedes any request still in flight
    this._inFlight = false;
    if (state.period === "custom") {
      const invalid = !isIsoDate(state.start) || !isIsoDate(state.end);
      if (invalid || state.start > state.end) {
        this._setStatus({
          kind: "error",
          message: invalid
            ? "Choose a start and an end date."
            : "The start date must be on or before the end date.",
        });
        return;
      }
    }
    const view = state.view;
    this._inFlight = true;
    if (!quiet) this._setStatus({ kind: "loading" });
    let status;
    try {
      const data = await this._hass.callWS(buildRequest(state, this._config.entry_id));
      status = { kind: "ready", view, data };
    } catch (err) {
      // HA rejects with {code, message}; anything else is shown as best we can.
      const message = err?.message || (typeof err === "string" ? err : "Unknown error");
      status = { kind: "error", message };
    }
    if (seq !== this._seq) return;
    this._inFlight = false;
    this._loadedAt = Date.now(); // after errors too: do not hammer a failing server
    this._setStatus(status);
  }

  _setStatus(status) {
    this._status = status;
    this._render();
  }

  _onResize() {
    const width = Math.round(this._body?.clientWidth ?? 0);
    if (width && Math.abs(width - this._width) > 1 && this._status.kind === "ready") {
      // Deferred: redrawing inside the observer callback could trigger a resize loop.
      requestAnimationFrame(() => this._render());
    }
  }

  /** Draw the current status: a message, the empty state, or the chart with its summary. */
  _render() {
    if (!this._body) return;
    this._tooltip.hidden = true;
    const { kind } = this._status;
    if (kind !== "ready") {
      const text = {
        waiting: "Waiting for Home Assistant…",
        loading: "Loading…",
        error: `Error: ${this._status.message}`,
      }[kind];
      // While loading, the previous range stays in the subtitle as context; an error clears it.
      if (kind === "error") this.shadowRoot.querySelector(".subtitle").textContent = "";
      this._showMessage(kind, text);
      return;
    }

    const { data, view } = this._status;
    const locale = this._locale;
    this._dateFmt = dateFormats(locale);
    const range =
      isIsoDate(data.start) && isIsoDate(data.end)
        ? this._dateFmt.long.formatRange(utcDate(data.start), utcDate(data.end))
        : "";
    this.shadowRoot.querySelector(".subtitle").textContent = [data.title, range]
      .filter(Boolean)
      .join(" · ");
    if (isEmpty(view, data)) {
      this._showMessage("empty", "No data for this period.");
      return;
    }

    this._fmt = makeFormatters(locale, data.unit, data.currency);
    this._width = Math.round(this._body.clientWidth) || 480;
    const chart =
      view === "heatmap"
        ? renderHeatmap(data, this._fmt, this._width, this._dateFmt)
        : renderProfile(data, this._state.stat, this._fmt, this._width);
    this._body.innerHTML = chart.svg;
    const meta = this.shadowRoot.querySelector(".meta");
    meta.innerHTML =
      chart.summary.map((item) => `<span>${escapeHtml(item)}</span>`).join("") + chart.legend;
    const until = new Date(data.data_until ?? "");
    if (!Number.isNaN(until.getTime())) {
      const span = document.createElement("span");
      const timeZone = this._hass?.config?.time_zone || "Europe/London";
      span.textContent = `Data until ${dateFormats(locale, timeZone).time.format(until)}`;
      meta.append(span);
    }
  }

  /** A text state in place of the chart (never a blank card). */
  _showMessage(kind, text) {
    const role = kind === "error" ? "alert" : "status";
    this._body.innerHTML = `<div class="state ${kind}" role="${role}"></div>`;
    this._body.firstElementChild.textContent = text;
    this.shadowRoot.querySelector(".meta").innerHTML = "";
  }

  /** Tooltip: slot time, date (heatmap) and formatted value of the hovered bar or cell. */
  _onPointer(ev) {
    const target = ev.target.closest?.("[data-slot]");
    if (!target || this._status.kind !== "ready") {
      this._tooltip.hidden = true;
      return;
    }
    const slot = Number(target.dataset.slot);
    const raw = target.dataset.value;
    const value = raw === "" ? "no data" : this._fmt.value(Number(raw));
    const lines = [];
    const row = target.closest("[data-date]");
    if (row) lines.push(escapeHtml(this._dateFmt.long.format(utcDate(row.dataset.date))));
    lines.push(`${slotLabel(slot)}–${slotLabel(slot + 1)}`);
    let detail = "";
    if (!row) {
      const info = this._status.data.slots[slot];
      detail = this._state.stat === "mean" ? ` (mean of ${info?.days ?? "?"} days)` : " (total)";
    }
    lines.push(`<b>${escapeHtml(value)}</b>${escapeHtml(detail)}`);
    this._tooltip.innerHTML = lines.join("<br>");
    this._tooltip.hidden = false;
    // Keep the tooltip inside the card: flip it to the left of the pointer near the right edge.
    const card = this.shadowRoot.querySelector("ha-card").getBoundingClientRect();
    const tip = this._tooltip.getBoundingClientRect();
    let x = ev.clientX - card.left + 12;
    if (x + tip.width > card.width) x = Math.max(0, ev.clientX - card.left - tip.width - 12);
    const y = Math.max(0, ev.clientY - card.top - tip.height - 8);
    this._tooltip.style.left = `${x}px`;
    this._tooltip.style.top = `${y}px`;
  }
}

// ---------------------------------------------------------------------------------------------
// The visual editor
// ---------------------------------------------------------------------------------------------

class OctopusVizCardEditor extends HTMLElement {
  constructor() {
    super();
    this.attachShadow({ mode: "open" });
    this._config = {};
    this._entries = undefined; // [{entry_id, title}] once known
    this._built = false;
  }

  setConfig(config) {
    this._config = { ...config };
    if (!this._built) this._build();
    this._sync();
  }

  set hass(hass) {
    const first = !this._hass;
    this._hass = hass;
    if (first) this._fetchEntries();
  }

  get hass() {
    return this._hass;
  }

  /** List the integration's accounts so the user can pick one instead of typing an id. */
  async _fetchEntries() {
    try {
      const { entries } = await this._hass.callWS({ type: "octopus_viz/entries" });
      this._entries = entries.map((e) => ({ entry_id: e.entry_id, title: e.title }));
    } catch {
      return; // keep the text field
    }
    this._build();
    this._sync();
  }

  /** Create the form. Rebuilt only when the account list arrives, so focus is not lost. */
  _build() {
    this._built = true;
    const select = (key) =>
      `<select data-key="${key}">` +
      Object.entries(OPTIONS[key])
        .map(([value, text]) => `<option value="${value}">${escapeHtml(text)}</option>`)
        .join("") +
      `</select>`;
    const controls = {
      title: `<input data-key="title" placeholder="${DEFAULT_TITLE}">`,
      entry_id: this._entries
        ? `<select data-key="entry_id"><option value="">Default account</option>${this._entries
            .map((e) => `<option value="${escapeHtml(e.entry_id)}">${escapeHtml(e.title)}</option>`)
            .join("")}</select>`
        : `<input data-key="entry_id" placeholder="Default account">`,
      view: select("view"),
      period: select("period"),
      start: `<input type="date" data-key="start">`,
      end: `<input type="date" data-key="end">`,
      direction: select("direction"),
      unit: select("unit"),
      stat: select("stat"),
    };
    const fields = Object.entries(controls)
      .map(
        ([key, control]) =>
          `<label data-field="${key}"><span>${FIELD_LABELS[key]}</span>${control}</label>`,
      )
      .join("");
    this.shadowRoot.innerHTML = `
      <style>
        .form {
          display: grid;
          grid-template-columns: repeat(auto-fill, minmax(180px, 1fr));
          gap: 8px 12px;
        }
        label { display: flex; flex-direction: column; gap: 2px; font-size: 0.85rem;
                color: var(--secondary-text-color, #727272); }
        select, input { font: inherit; font-size: 1rem; padding: 4px 6px; border-radius: 4px;
                        color: var(--primary-text-color, #212121);
                        background: var(--card-background-color, #fff);
                        border: 1px solid var(--divider-color, #ccc); }
        [hidden] { display: none !important; }
      </style>
      <div class="form">${fields}</div>`;
    this.shadowRoot.querySelector(".form").addEventListener("change", (ev) => this._onChange(ev));
  }

  /** Show the current configuration in the form. */
  _sync() {
    const c = this._config;
    for (const el of this.shadowRoot.querySelectorAll("[data-key]")) {
      el.value = dateOption(c[el.dataset.key]) ?? DEFAULTS[el.dataset.key] ?? "";
    }
    const custom = (c.period ?? DEFAULTS.period) === "custom";
    for (const key of ["start", "end"]) {
      this.shadowRoot.querySelector(`[data-field="${key}"]`).hidden = !custom;
    }
  }

  _onChange(ev) {
    const key = ev.target.dataset.key;
    if (!key) return;
    const config = { ...this._config };
    if (ev.target.value === "") delete config[key];
    else config[key] = ev.target.value;
    // Dates only mean something with a custom period: keep the YAML clean otherwise.
    if (config.period !== "custom") {
      delete config.start;
      delete config.end;
    }
    this._config = config;
    this._sync();
    this.dispatchEvent(
      new CustomEvent("config-changed", { detail: { config }, bubbles: true, composed: true }),
    );
  }
}

// Guards: HA (or a second resource entry) may load this module more than once.
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
    description: "Half-hourly usage and cost over days and months: average-day profile or heatmap.",
    preview: true,
    documentationURL: "https://github.com/octopus-viz/octopus_viz",
  });
}
