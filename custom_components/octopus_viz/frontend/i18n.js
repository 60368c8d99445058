/**
 * Strings and locale: one table per language (strings/*.js), chosen by Home Assistant's
 * `hass.locale.language`; English fills any gap. Numbers, dates and money are formatted with
 * that same locale through Intl (format.js).
 */
import en from "./strings/en.js";
import cy from "./strings/cy.js";

export const TABLES = { en, cy };

/** The locale Home Assistant uses for this user ("en-GB", "cy", ...). */
export function localeOf(hass) {
  return hass?.locale?.language || hass?.language || navigator.language || "en";
}

/** The table of a locale: its language's, else English. */
export function tableFor(locale) {
  const base = String(locale || "en").toLowerCase().split(/[-_]/)[0];
  return TABLES[base] || en;
}

/**
 * A translate function for a locale: t("state.error", {message}) fills `{message}`; with a
 * numeric `count` (or `days`) of 1 the key's `_one` form is used when the table has one.
 */
export function translator(locale) {
  const table = tableFor(locale);
  return (key, params = {}) => {
    const count = params.count ?? params.days;
    const pick = (strings) => (count === 1 && strings[`${key}_one`]) || strings[key];
    const text = pick(table) ?? pick(en) ?? key;
    return text.replace(/\{(\w+)\}/g, (match, name) =>
      Object.hasOwn(params, name) ? String(params[name]) : match,
    );
  };
}

/** Month and weekday names of a locale's table, for browsers without Intl data for it. */
export function dateNames(locale) {
  const table = tableFor(locale);
  const names = {};
  for (const key of ["month_long", "month_short", "weekday_short"]) {
    if (table[`date.${key}`]) names[key] = table[`date.${key}`].split(",");
  }
  return Object.keys(names).length ? names : null;
}
