/**
 * Formatting and drawing primitives shared by the views: Intl formatters for values, money and
 * dates in the user's locale, axis ticks, slot labels, escaped SVG markup and colour levels.
 * Pure functions (tested in the browser, where Intl is the browser's).
 */

export const SLOTS_PER_DAY = 48;

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
 * Markup for one element. Attribute values are escaped; numbers (geometry) are rounded to 2
 * decimals, finer than a pixel, which keeps a year-long heatmap's markup small.
 */
export function tag(name, attrs, content = "") {
  let text = "";
  for (const key in attrs) {
    const value = attrs[key];
    if (value === undefined || value === null) continue;
    const shown = typeof value === "number" ? Math.round(value * 100) / 100 : escapeHtml(value);
    text += ` ${key}="${shown}"`;
  }
  return `<${name}${text}>${content}</${name}>`;
}

/** A number from a response, or null for missing data. */
export const numberOrNull = (value) => (typeof value === "number" ? value : null);

/** Parse YYYY-MM-DD as a UTC midnight Date, so formatting with timeZone UTC keeps the day. */
export function utcDate(iso) {
  const [y, m, d] = iso.split("-").map(Number);
  return new Date(Date.UTC(y, m - 1, d));
}

/**
 * Value formatters for an answer: `value` for tooltips and labels ("0.412 kWh", "£1.23"),
 * `axis` for compact tick labels, in the user's locale and the account's currency.
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
      money: (v) => money.format(v),
      axis: (v) => small.format(v),
    };
  }
  const kwh = new Intl.NumberFormat(locale, { minimumFractionDigits: 2, maximumFractionDigits: 3 });
  const axis = new Intl.NumberFormat(locale, { maximumFractionDigits: 3 });
  return { unitLabel: "kWh", value: (v) => `${kwh.format(v)} kWh`, axis: (v) => axis.format(v) };
}

const WEEKDAYS_EN = ["Sun", "Mon", "Tue", "Wed", "Thu", "Fri", "Sat"];

/**
 * An Intl date format, or, when the browser has no data for the locale (Chromium ships
 * without Welsh), the British English pattern with the month and weekday names of the
 * string table (`names`: {month_long: [12], month_short, weekday_short: [7], weekday_narrow}).
 */
export function namedDateFormat(locale, options, names) {
  if (!names || Intl.DateTimeFormat.supportedLocalesOf([locale]).length) {
    return new Intl.DateTimeFormat(locale, options);
  }
  const base = new Intl.DateTimeFormat("en-GB", options);
  const zone = { timeZone: options.timeZone };
  const monthOf = new Intl.DateTimeFormat("en-GB", { month: "numeric", ...zone });
  const dayOf = new Intl.DateTimeFormat("en-US", { weekday: "short", ...zone });
  const word = (part, date) => {
    if (part.type === "month" && names[`month_${options.month}`]) {
      return names[`month_${options.month}`][Number(monthOf.format(date)) - 1];
    }
    if (part.type === "weekday" && names[`weekday_${options.weekday}`]) {
      return names[`weekday_${options.weekday}`][WEEKDAYS_EN.indexOf(dayOf.format(date))];
    }
    return part.value;
  };
  return {
    format: (date) => base.formatToParts(date).map((p) => word(p, date)).join(""),
    formatRange: (a, b) =>
      base
        .formatRangeToParts(a, b)
        .map((p) => word(p, p.source === "endRange" ? b : a))
        .join(""),
  };
}

/**
 * Date formats of a locale (month and weekday names from Intl where it knows the language).
 * Local dates from the server are formatted as UTC midnights so the day never shifts; `time`
 * (data_until, an instant) uses Home Assistant's time zone.
 */
export function dateFormats(locale, timeZone = "UTC", names = null) {
  const utc = { timeZone: "UTC" };
  const make = (options) => namedDateFormat(locale, options, names);
  return {
    short: make({ day: "numeric", month: "short", ...utc }),
    long: make({ weekday: "short", day: "numeric", month: "short", year: "numeric", ...utc }),
    month: make({ month: "long", year: "numeric", ...utc }),
    time: make({ day: "numeric", month: "short", hour: "2-digit", minute: "2-digit", timeZone }),
  };
}

/** Number of intensity levels per sign in heatmap cells (classes p0..p19, n0..n19). */
export const LEVELS = 20;

/**
 * The colour class of a heatmap value on a scale whose largest magnitude is `extent`.
 * The square root lifts small magnitudes, and level 0 is kept for an exact zero, so values
 * near zero still show their sign against a dark card (the net heatmap's weak spot).
 */
export function levelClass(value, extent) {
  if (value === null || value === undefined) return "none";
  if (value === 0 || !(extent > 0)) return "zero";
  const t = Math.min(1, Math.abs(value) / extent);
  const level = Math.max(1, Math.ceil(Math.sqrt(t) * (LEVELS - 1)));
  return `${value < 0 ? "n" : "p"}${level}`;
}

/** Share of the series colour (against the card background) at a level: 30% to 100%. */
export function levelPercent(level) {
  return Math.round(30 + (70 * (level - 1)) / (LEVELS - 2));
}

/**
 * CSS of the level classes. The heatmap sets --ovz-hp / --ovz-hn to the colours of its flow
 * (import blue, export orange, gas; net: import above zero, export below).
 */
export function levelStyles(pos = "var(--ovz-hp)", neg = "var(--ovz-hn)") {
  const rules = [
    "rect.none { fill: transparent; }",
    "rect.zero { fill: var(--ovz-line); }",
  ];
  for (let level = 1; level < LEVELS; level += 1) {
    const pct = levelPercent(level);
    rules.push(`rect.p${level} { fill: color-mix(in srgb, ${pos} ${pct}%, var(--ovz-base)); }`);
    rules.push(`rect.n${level} { fill: color-mix(in srgb, ${neg} ${pct}%, var(--ovz-base)); }`);
  }
  return rules.join("\n");
}

/** The colour variable of a value of a flow: export orange, gas its own, net by sign. */
export function flowColour(flow, value) {
  if (flow === "export") return "var(--ovz-export)";
  if (flow === "gas") return "var(--ovz-gas)";
  return value < 0 ? "var(--ovz-export)" : "var(--ovz-import)";
}

/** "Wed, 22 Oct – Thu, 20 Nov 2025" for two YYYY-MM-DD dates ("" when either is missing). */
export function isoRange(format, start, end) {
  const iso = /^\d{4}-\d{2}-\d{2}$/;
  if (!iso.test(start ?? "") || !iso.test(end ?? "")) return "";
  return format.formatRange(utcDate(start), utcDate(end));
}
