/**
 * Where a 95% interval of a change sits against a limit, and how many conversations would move it
 * clear of the limit: the geometry the gate's rule and the junk sample's growth both read.
 */

/** The normal quantile of a two-sided 95% interval. */
export const Z95 = 1.959964;
/** Beyond this many conversations an estimate says "more than". */
export const MAX_DECIDE = 1_000_000;

/** A comparison made on numbers as reported: floating-point noise never decides a boundary. */
export const above = (value: number, limit: number) => Math.round((value - limit) * 1e9) > 0;
export const below = (value: number, limit: number) => Math.round((limit - value) * 1e9) > 0;

/**
 * `within`: the interval rules out a change beyond the limit; `beyond`: it lies wholly beyond the
 * limit; `straddles`: it reaches both sides. The change is oriented so that larger is worse (a drop,
 * a rise); with `eitherWay` the limit holds on both sides (±limit).
 */
export function intervalAgainstLimit(
  interval: readonly [number, number],
  limit: number,
  eitherWay = false,
): "within" | "beyond" | "straddles" {
  const [low, high] = interval;
  if (eitherWay) {
    if (above(low, limit) || below(high, -limit)) return "beyond";
    return !above(high, limit) && !below(low, -limit) ? "within" : "straddles";
  }
  if (above(low, limit)) return "beyond";
  return above(high, limit) ? "straddles" : "within";
}

/**
 * About how many conversations an estimate needs for its interval to clear the limit at the observed
 * spread: the standard error shrinks as 1/√n, so n · (1.96 · se / distance)², where distance is how
 * far the estimate sits from the limit; at least one more than now. Null when it sits on the limit
 * (or nothing varies): no number of conversations decides it.
 */
export function conversationsToDecide(
  value: number,
  limit: number,
  se: number,
  conversations: number,
  eitherWay = false,
): number | null {
  const distance = Math.abs((eitherWay ? Math.abs(value) : value) - limit);
  if (Math.round(distance * 1e9) === 0 || !(se > 0) || conversations === 0) return null;
  const needed = Math.ceil(conversations * ((Z95 * se) / distance) ** 2);
  return Math.min(MAX_DECIDE, Math.max(conversations + 1, needed));
}
