/**
 * The card element: controls, the status state machine (waiting, loading, prompt, error,
 * ready), one websocket request per change of option, keyboard and pointer access to the
 * items of the chart. What a view draws lives in views/*.js; strings in strings/*.js.
 */
import { buildRequest, missingDates, VIEW_OPTIONS, validateConfig } from "./config.js";
import { dateFormats, escapeHtml, isoRange, makeFormatters } from "./format.js";
import { dateNames, localeOf, translator } from "./i18n.js";
import { nextFocus, tipPosition } from "./interaction.js";
import { skeleton } from "./skeleton.js";
import * as combined from "./views/combined.js";
import * as compare from "./views/compare.js";
import * as daily from "./views/daily.js";
import * as heatmap from "./views/heatmap.js";
import * as profile from "./views/profile.js";

export const VIEWS = { profile, combined, heatmap, daily, compare };
const REFRESH_MS = 30 * 60 * 1000; // readings arrive at most a few times a day
const CONTROLS = ["view", "period", "direction", "unit", "stat"];
const STATE_KEYS = ["view", "period", "anchor", "direction", "unit", "stat", "start", "end"];

export class OctopusVizCard extends HTMLElement {
  constructor() {
    super();
    this.attachShadow({ mode: "open" });
    this._config = undefined;
    this._hass = undefined;
    this._state = {};
    this._status = { kind: "waiting" };
    this._seq = 0; // only the latest request may update the card
    this._inFlight = false;
    this._loadedAt = 0;
    this._day = null; // daily view: the day whose half-hours are open
    this._daysData = null; // daily view: the days, kept while a day is open
    this._selected = null; // compare view: the candidate whose months are shown
    this._hasGas = false;
    this._width = 0;
    this._resize = new ResizeObserver(() => this._onResize());
  }

  static getStubConfig() {
    return { view: "profile", period: "last_30_days" };
  }

  static getConfigElement() {
    return document.createElement("octopus-viz-card-editor");
  }

  setConfig(config) {
    const validated = validateConfig(config);
    // The dashboard editor calls this on every keystroke: an unchanged card keeps its data.
    if (this._config && JSON.stringify(validated) === JSON.stringify(this._config)) return;
    this._config = validated;
    this._state = Object.fromEntries(STATE_KEYS.map((key) => [key, validated[key]]));
    this._day = null;
    this._daysData = null;
    this._selected = null;
    this._build();
    if (this._hass) this._load();
  }

  set hass(hass) {
    const first = !this._hass;
    this._hass = hass;
    // A first hass, or the user switched language: new labels, same data.
    if (this._config && localeOf(hass) !== this._builtFor) this._build();
    // The cells of a heatmap are painted with the theme's colours: repaint when it changes.
    const look = JSON.stringify([hass.themes?.darkMode, hass.themes?.theme]);
    if (!first && look !== this._look) this._render();
    this._look = look;
    // HA sets hass on every state change anywhere: only the first one triggers a query.
    if (first) {
      this._fetchMeters();
      if (this._config) this._load();
    }
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
    return { heatmap: 9, compare: 8 }[this._state.view] ?? 6;
  }

  getGridOptions() {
    return { columns: 12, min_columns: 6, min_rows: 4 };
  }

  get _locale() {
    return localeOf(this._hass);
  }

  _refreshIfStale() {
    if (!this._hass || !this._config || this._inFlight) return;
    // A background refresh keeps the chart on screen until the new data arrive.
    if (Date.now() - this._loadedAt >= REFRESH_MS) this._load({ quiet: this._loadedAt > 0 });
  }

  /** Whether the account has a gas meter (asked once: "Gas" is offered only then). */
  async _fetchMeters() {
    try {
      const { entries } = await this._hass.callWS({ type: "octopus_viz/entries" });
      const entry = entries.find((e) => e.entry_id === this._config?.entry_id) ?? entries[0];
      this._hasGas = (entry?.meters ?? []).some((m) => m.direction === "gas" || m.fuel === "gas");
    } catch {
      this._hasGas = false; // an older server: electricity only
    }
    if (this._body) this._syncControls();
  }

  /** Create the static skeleton (header, controls, body) once per configuration. */
  _build() {
    this._builtFor = this._locale;
    const t = translator(this._builtFor);
    this._t = t;
    this.shadowRoot.innerHTML = skeleton(t);
    const root = this.shadowRoot;
    root.querySelector("h2").textContent = this._config.title || t("card.title");
    this._body = root.querySelector(".body");
    this._tooltip = root.querySelector(".tooltip");
    this._live = root.querySelector(".sr");
    root.querySelector(".controls").addEventListener("change", (ev) => this._onControl(ev));
    // pointerdown too: a tap on a touch screen shows the value without any pointer movement.
    this._body.addEventListener("pointermove", (ev) => this._onPointer(ev));
    this._body.addEventListener("pointerdown", (ev) => this._onPointer(ev));
    this._body.addEventListener("pointerleave", () => {
      this._tooltip.hidden = true;
    });
    this._body.addEventListener("click", (ev) => this._onClick(ev));
    this._body.addEventListener("keydown", (ev) => this._onKey(ev));
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
    const used = VIEW_OPTIONS[this._state.view];
    for (const key of ["direction", "unit", "stat"]) {
      root.querySelector(`[data-key="${key}"]`).hidden = !used.includes(key);
    }
    const gas = root.querySelector('[data-key="direction"] option[value="gas"]');
    gas.hidden = !this._hasGas && this._state.direction !== "gas";
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
    this._day = null;
    this._daysData = null;
    if (key === "view") this._selected = null;
    this._syncControls();
    if (key === "stat") {
      // Both statistics come in every answer: redraw, no round trip needed.
      this._render();
      return;
    }
    this._load();
  }

  /**
   * Ask the server for the current selection; answers to superseded requests are dropped.
   * `quiet` (background refresh) skips the loading state so the chart does not flicker.
   */
  async _load({ quiet = false } = {}) {
    if (!this._hass) return;
    const state = this._state;
    const day = this._day;
    const seq = ++this._seq; // supersedes any request still in flight
    this._inFlight = false;
    const prompt = missingDates(state);
    if (prompt) {
      this._setStatus({ kind: "prompt", key: prompt });
      return;
    }
    this._inFlight = true;
    if (!quiet) this._setStatus({ kind: "loading" });
    let status;
    try {
      const data = await this._hass.callWS(buildRequest(state, this._config.entry_id, day));
      status = { kind: "ready", view: day ? "day" : state.view, data };
    } catch (err) {
      // HA rejects with {code, message}; anything else is shown as best we can.
      const message = err?.message || (typeof err === "string" ? err : "");
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
    const t = this._t;
    this._tooltip.hidden = true;
    this._items = null;
    this._focus = -1;
    const { kind } = this._status;
    const subtitle = this.shadowRoot.querySelector(".subtitle");
    if (kind !== "ready") {
      const text = {
        waiting: () => t("state.waiting"),
        loading: () => t("state.loading"),
        prompt: () => t(this._status.key),
        error: () => t("state.error", { message: this._status.message || t("state.unknown_error") }),
      }[kind]();
      // While loading, the previous range stays in the subtitle as context.
      if (kind === "error" || kind === "prompt") subtitle.textContent = "";
      this._showMessage(kind, text);
      return;
    }
    const { data, view } = this._status;
    const locale = this._locale;
    const names = dateNames(locale);
    const dateFmt = dateFormats(locale, "UTC", names);
    subtitle.textContent = [data.title, isoRange(dateFmt.long, data.start, data.end)]
      .filter(Boolean)
      .join(" · ");
    const module = view === "day" ? { render: daily.renderDay } : VIEWS[view];
    if (module.isEmpty?.(data)) {
      this._showMessage("empty", t("state.empty"));
      return;
    }
    this._width = Math.round(this._body.clientWidth) || 480;
    const ctx = {
      t,
      fmt: makeFormatters(locale, data.unit ?? "money", data.currency),
      dateFmt,
      width: this._width,
      stat: this._state.stat,
      selected: this._selected,
    };
    const chart = module.render(data, ctx);
    this._chart = chart;
    const back = view === "day" ? `<button class="back">${escapeHtml(t("daily.back"))}</button>` : "";
    this._body.innerHTML = back + chart.html;
    chart.mount?.(this._body);
    const meta = this.shadowRoot.querySelector(".meta");
    meta.innerHTML =
      chart.summary.map((item) => `<span>${escapeHtml(item)}</span>`).join("") + chart.legend;
    const until = new Date(data.data_until ?? "");
    if (!Number.isNaN(until.getTime())) {
      const span = document.createElement("span");
      const timeZone = this._hass?.config?.time_zone || "Europe/London";
      span.textContent = t("meta.data_until", {
        time: dateFormats(locale, timeZone, names).time.format(until),
      });
      meta.append(span);
    }
  }

  /** A text state in place of the chart (never a blank card). */
  _showMessage(kind, text) {
    const role = kind === "error" ? "alert" : "status";
    this._body.innerHTML = `<div class="state ${kind}" role="${role}"></div>`;
    this._body.firstElementChild.textContent = text;
    this.shadowRoot.querySelector(".meta").innerHTML = "";
    this._chart = null;
  }

  /** Show lines describing an item (bar, slot, cell, tariff) next to a point on screen. */
  _showTip(lines, x, y) {
    this._tooltip.innerHTML = lines
      .map((line, i) => (i === lines.length - 1 ? `<b>${escapeHtml(line)}</b>` : escapeHtml(line)))
      .join("<br>");
    this._tooltip.hidden = false;
    const card = this.shadowRoot.querySelector("ha-card").getBoundingClientRect();
    const { left, top } = tipPosition(x, y, card, this._tooltip.getBoundingClientRect());
    this._tooltip.style.left = `${left}px`;
    this._tooltip.style.top = `${top}px`;
  }

  _itemOf(target) {
    return target?.closest?.(".item") ?? null;
  }

  _onPointer(ev) {
    const chart = this._chart;
    if (chart?.cellAt) {
      const svg = ev.target.closest?.("svg");
      const cell = svg ? chart.cellAt(ev, svg) : null;
      if (cell === null) this._tooltip.hidden = true;
      else this._showTip(chart.describeCell(cell), ev.clientX, ev.clientY);
      return;
    }
    const el = this._itemOf(ev.target);
    if (!el || !chart) {
      this._tooltip.hidden = true;
      return;
    }
    this._showTip(chart.describe(el), ev.clientX, ev.clientY);
  }

  _onClick(ev) {
    if (ev.target.closest?.("button.back")) {
      this._closeDay();
      return;
    }
    const el = this._itemOf(ev.target);
    if (el) this._activate(el);
  }

  /** Enter on a day opens its half-hours; on a tariff, its months. */
  _activate(el) {
    const value = this._chart?.activate?.(el);
    if (!value) return;
    if (this._status.view === "daily") {
      this._daysData = this._status.data;
      this._day = value;
      this._load();
    } else if (this._status.view === "compare") {
      this._selected = value;
      this._render();
      this.shadowRoot.querySelector("svg.compare")?.focus();
    }
  }

  /** Back from a day to the days, from the answer kept (no new request). */
  _closeDay() {
    this._day = null;
    ++this._seq;
    this._setStatus({ kind: "ready", view: "daily", data: this._daysData });
    this._daysData = null;
    this.shadowRoot.querySelector("svg.daily")?.focus();
  }

  /** Arrow keys move over the items (rows of a heatmap with up and down); values are announced. */
  _onKey(ev) {
    const chart = this._chart;
    if (!chart || !ev.target.matches?.("svg")) return;
    if (!chart.cellAt) this._items ??= [...ev.target.querySelectorAll(".item")];
    const count = chart.count ?? this._items.length;
    if (ev.key === "Enter" || ev.key === " ") {
      if (this._focus >= 0 && this._items) this._activate(this._items[this._focus]);
      ev.preventDefault();
      return;
    }
    const next = nextFocus(ev.key, this._focus, count, chart.columns ?? 1);
    if (next === null) return;
    ev.preventDefault();
    let lines;
    let box;
    if (chart.cellAt) {
      box = chart.focusCell(ev.target, next);
      lines = chart.describeCell(next);
    } else {
      this._items[this._focus]?.classList.remove("focused");
      const el = this._items[next];
      el.classList.add("focused");
      box = el.getBoundingClientRect();
      lines = chart.describe(el);
    }
    this._focus = next;
    this._showTip(lines, box.left + box.width / 2, box.top);
    this._live.textContent = lines.join(", ");
  }
}
