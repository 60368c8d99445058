/**
 * The visual editor: Home Assistant's own form (`ha-form`, as core cards' editors use), with
 * selectors: the account as a config-entry picker filtered to octopus_viz, menus for the view,
 * period, direction or fuel, unit and statistic, date pickers for a custom period. Only the
 * fields the chosen view uses are shown; labels come from the string tables.
 */
import { DEFAULTS, OPTIONS, VIEW_OPTIONS, dateOption } from "./config.js";
import { localeOf, translator } from "./i18n.js";

/** The form's schema for a configuration (pure: tested in the browser). */
export function editorSchema(config, t, { gas = false } = {}) {
  const menu = (key, values = OPTIONS[key]) => ({
    name: key,
    selector: {
      select: {
        mode: "dropdown",
        options: values.map((value) => ({ value, label: t(`${key}.${value}`) })),
      },
    },
  });
  const view = config.view ?? "profile";
  const custom = config.period === "custom";
  const used = VIEW_OPTIONS[view] ?? VIEW_OPTIONS.profile;
  const directions = OPTIONS.direction.filter(
    (d) => d !== "gas" || gas || config.direction === "gas",
  );
  const schema = [
    { name: "title", selector: { text: {} } },
    { name: "entry_id", selector: { config_entry: { integration: "octopus_viz" } } },
    menu("view"),
    menu("period"),
  ];
  if (custom) {
    schema.push({
      type: "grid",
      name: "",
      schema: [
        { name: "start", selector: { date: {} } },
        { name: "end", selector: { date: {} } },
      ],
    });
  } else if (view !== "compare") {
    schema.push(menu("anchor"));
  }
  if (used.includes("direction")) schema.push(menu("direction", directions));
  if (used.includes("unit")) schema.push(menu("unit"));
  if (used.includes("stat")) schema.push(menu("stat"));
  return schema;
}

/**
 * The configuration the form's value stands for: empty fields dropped, dates only with a
 * custom period, and defaults the form only displayed (absent from `previous`) left out, so
 * the YAML keeps what the user chose.
 */
export function cleanConfig(value, previous = {}) {
  const config = {};
  for (const [key, raw] of Object.entries(value)) {
    const v = dateOption(raw);
    if (v === undefined || v === null || v === "") continue;
    if (!(key in previous) && DEFAULTS[key] === v) continue;
    config[key] = v;
  }
  if (config.period !== "custom") {
    delete config.start;
    delete config.end;
  }
  return config;
}

export class OctopusVizCardEditor extends HTMLElement {
  constructor() {
    super();
    this.attachShadow({ mode: "open" });
    this._config = {};
    this._gas = false;
  }

  setConfig(config) {
    this._config = { ...config };
    this._update();
  }

  set hass(hass) {
    const first = !this._hass;
    this._hass = hass;
    if (first) this._fetchMeters();
    this._update();
  }

  get hass() {
    return this._hass;
  }

  /** Gas is offered when an account has a gas meter. */
  async _fetchMeters() {
    try {
      const { entries } = await this._hass.callWS({ type: "octopus_viz/entries" });
      this._gas = entries.some((e) => e.meters.some((m) => m.direction === "gas"));
    } catch {
      return;
    }
    this._update();
  }

  _update() {
    if (!this._hass) return;
    if (!this._form) {
      this._form = document.createElement("ha-form");
      this._form.addEventListener("value-changed", (ev) => this._onChange(ev));
      this.shadowRoot.append(this._form);
    }
    const t = translator(localeOf(this._hass));
    // The defaults are shown in the menus; cleanConfig keeps them out of the YAML.
    const data = { ...DEFAULTS, ...this._config };
    for (const key of ["start", "end"]) if (key in data) data[key] = dateOption(data[key]);
    this._form.hass = this._hass;
    this._form.data = data;
    this._form.schema = editorSchema(data, t, { gas: this._gas });
    this._form.computeLabel = (field) => t(`field.${field.name}`);
  }

  _onChange(ev) {
    ev.stopPropagation();
    const config = cleanConfig({ ...ev.detail.value, type: this._config.type }, this._config);
    this._config = config;
    this._update();
    this.dispatchEvent(
      new CustomEvent("config-changed", { detail: { config }, bubbles: true, composed: true }),
    );
  }
}
