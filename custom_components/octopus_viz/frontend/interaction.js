/**
 * Keyboard and tooltip arithmetic of the card, pure (tested in the browser): where the focus
 * goes on a key, and where a tooltip fits inside the card.
 */

/**
 * The item index the focus moves to on `key`, or null when the key is not a move. Left and
 * right step by one, up and down by a row (`columns` items: a heatmap's 48 half-hours),
 * Home and End jump to the ends; the first move without focus starts at an end.
 */
export function nextFocus(key, focus, count, columns = 1) {
  const moves = {
    ArrowRight: 1,
    ArrowLeft: -1,
    ArrowDown: columns,
    ArrowUp: -columns,
    Home: -count,
    End: count,
  };
  if (!(key in moves) || count <= 0) return null;
  const start = focus < 0 ? (moves[key] > 0 ? -1 : count) : focus;
  return Math.min(count - 1, Math.max(0, start + moves[key]));
}

/**
 * Top-left of a tooltip of size `tip` for a point (x, y) on screen, inside the card's box:
 * right of and above the point, flipped to its left near the card's right edge.
 */
export function tipPosition(x, y, card, tip) {
  let left = x - card.left + 12;
  if (left + tip.width > card.width) left = Math.max(0, x - card.left - tip.width - 12);
  return { left, top: Math.max(0, y - card.top - tip.height - 8) };
}
