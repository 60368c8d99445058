/**
 * The card's configuration: the options, their defaults, validation, and the websocket message
 * each view sends for a selection. Pure functions (tested in the browser).
 *
 *   type: custom:octopus-viz-card
 *   entry_id: <config entry id>  # default: the only / first account
 *   title: My half hours         # default: "Octopus half-hours" in the user's language
 *   view: profile                # profile | combined | heatmap | daily | compare
 *   period: last_30_days         # last_7_days | last_30_days | last_90_days | this_month |
 *                                # last_month | this_year | custom
 *   anchor: latest               # latest (periods end at the newest reading) | today
 *   start: 2025-01-01            # with period: custom (local dates, inclusive)
 *   end: 2025-01-31
 *   direction: import            # import | export | net | gas (profile, heatmap, daily)
 *   unit: kwh                    # kwh | money
 *   stat: mean                   # mean | sum (profile and combined views)
 */

/** The values of each option, in the order menus show them. */
export const OPTIONS = {
  view: ["profile", "combined", "heatmap", "daily", "compare"],
  period: [
    "last_7_days",
    "last_30_days",
    "last_90_days",
    "this_month",
    "last_month",
    "this_year",
    "custom",
  ],
  anchor: ["latest", "today"],
  direction: ["import", "export", "net", "gas"],
  unit: ["kwh", "money"],
  stat: ["mean", "sum"],
};

export const DEFAULTS = {
  view: "profile",
  period: "last_30_days",
  anchor: "latest",
  direction: "import",
  unit: "kwh",
  stat: "mean",
};

/** Which options mean something in each view (the others are hidden in card and editor). */
export const VIEW_OPTIONS = {
  profile: ["direction", "unit", "stat"],
  combined: ["unit", "stat"],
  heatmap: ["direction", "unit"],
  daily: ["direction", "unit"],
  compare: [],
};

/** True for a real calendar date written as YYYY-MM-DD. */
export function isIsoDate(value) {
  if (typeof value !== "string" || !/^\d{4}-\d{2}-\d{2}$/.test(value)) return false;
  const [y, m, d] = value.split("-").map(Number);
  const date = new Date(Date.UTC(y, m - 1, d));
  return date.getUTCFullYear() === y && date.getUTCMonth() === m - 1 && date.getUTCDate() === d;
}

/** YAML turns an unquoted 2025-01-01 into a Date; accept both and return YYYY-MM-DD. */
export function dateOption(value) {
  if (value instanceof Date && !Number.isNaN(value.getTime())) {
    return value.toISOString().slice(0, 10);
  }
  return value;
}

const unset = (value) => value === undefined || value === null || value === "";

/**
 * Validate a card configuration and return it with defaults filled in. Throws an Error with a
 * readable message (Home Assistant shows it in place of the card) for values that can never
 * work. A custom period still waiting for its dates is not an error: the card asks for them.
 */
export function validateConfig(config) {
  if (!config || typeof config !== "object") throw new Error("Invalid configuration");
  const out = { ...DEFAULTS };
  for (const key of Object.keys(OPTIONS)) {
    if (unset(config[key])) continue;
    if (!OPTIONS[key].includes(config[key])) {
      throw new Error(`Invalid ${key} "${config[key]}": use one of ${OPTIONS[key].join(", ")}`);
    }
    out[key] = config[key];
  }
  for (const key of ["entry_id", "title"]) {
    if (unset(config[key])) continue;
    if (typeof config[key] !== "string") throw new Error(`${key} must be a string`);
    out[key] = config[key];
  }
  for (const key of ["start", "end"]) {
    const value = dateOption(config[key]);
    if (unset(value)) continue;
    if (!isIsoDate(value)) throw new Error(`${key} must be a date written as YYYY-MM-DD`);
    out[key] = value;
  }
  return out;
}

/**
 * What a custom period still needs before it can be asked for: a string key of the prompt
 * ("state.choose_dates", "state.dates_order"), or null when the selection is complete.
 */
export function missingDates(state) {
  if (state.period !== "custom") return null;
  if (!isIsoDate(state.start) || !isIsoDate(state.end)) return "state.choose_dates";
  if (state.start > state.end) return "state.dates_order";
  return null;
}

/** The period part of a request: explicit dates, or a named period and its anchor. */
function periodFields(state) {
  if (state.period === "custom") return { start: state.start, end: state.end };
  return { period: state.period };
}

/**
 * The websocket message for a selection. `day` (daily view) asks for one day's half-hours.
 * Only the fields the command reads are sent.
 */
export function buildRequest(state, entryId, day = null) {
  const msg = { type: `octopus_viz/${state.view}` };
  if (entryId) msg.entry_id = entryId;
  if (state.view === "compare") return { ...msg, ...periodFields(state) };
  if (day) {
    msg.type = "octopus_viz/heatmap";
    return { ...msg, direction: state.direction, unit: state.unit, start: day, end: day };
  }
  if (state.view !== "combined") msg.direction = state.direction;
  msg.unit = state.unit;
  Object.assign(msg, periodFields(state));
  if (state.period !== "custom") msg.anchor = state.anchor;
  return msg;
}
