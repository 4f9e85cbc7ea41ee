import type { GateCheck, GateCheckStatus } from "../schema/report.js";
import { conversationsToDecide, intervalAgainstLimit, MAX_DECIDE } from "../metrics/sample-size.js";
import { formatCount, formatLimit, type NumberUnit } from "../text/format-number.js";

/**
 * The one rule: the check passes when its interval rules out a change beyond the limit, fails when
 * the interval lies wholly beyond it, and is inconclusive when it straddles it.
 */
export function intervalOutcome(
  interval: [number, number],
  limit: number,
  eitherWay = false,
): Exclude<GateCheckStatus, "not_measured"> {
  const where = intervalAgainstLimit(interval, limit, eitherWay);
  return where === "within" ? "passed" : where === "beyond" ? "failed" : "inconclusive";
}

/** A change and its interval read the other way round (a drop as a rise): the value negated, the interval's ends swapped and negated. */
export const negated = (value: number | null): number | null => (value === null ? null : -value);
export const negate = (ci: readonly [number, number] | null): [number, number] | null =>
  ci === null ? null : [-ci[1], -ci[0]];

/** How to bring an older report up to date: re-derive it from its run log. */
export const RERENDER = "`extractor-bench report RUN_DIR` re-renders it from the run log";

/** A comparison made on numbers as reported: floating-point noise never decides a boundary. */
const above = (value: number, limit: number) => Math.round((value - limit) * 1e9) > 0;

/** A check that compares the two configs: an estimate with a 95% paired interval. */
export interface EstimateSpec {
  id: string;
  description: string;
  unit: NumberUnit;
  limit: number;
  /** The change as the check reads it, larger = worse (a drop, a rise); for a limit either way, the signed change. */
  value: number | null;
  /** Its 95% paired interval, oriented the same way. */
  interval: [number, number] | null;
  /** Bootstrap standard error of the change. */
  se: number | null;
  /** Paired conversations the estimate covers. */
  conversations: number;
  /** The limit holds either way (±limit): a relative change of the extraction count. */
  eitherWay?: boolean;
  /** The estimate in words, e.g. "precision −4.3 pp [−7.8, −1.0] pp". */
  measured: string;
  /** Why the check could not be measured. */
  unmeasured: string;
  /** Half the width of the 95% interval the judge's flips alone give the change. */
  noiseSpread?: number | null;
  /** What "beyond the limit" is, for the sentence: "a drop", "a rise", "a change". */
  change: string;
}

function decideText(decide: number | null, conversations: number, unit: string): string {
  if (decide === null) return `the estimate sits on the limit: no number of ${unit} would decide it`;
  const about = decide >= MAX_DECIDE ? `more than ${formatCount(MAX_DECIDE)}` : `about ${formatCount(decide)}`;
  return `${about} paired ${unit} would decide it (${formatCount(conversations)} now)`;
}

export function estimateCheck(spec: EstimateSpec, unit = "conversations"): GateCheck {
  const limit = formatLimit(spec.limit, spec.unit);
  const base = {
    id: spec.id,
    description: spec.description,
    limit: spec.limit,
    unit: spec.unit,
    kind: "estimate" as const,
    conversations: spec.conversations,
  };
  if (spec.value === null || spec.interval === null) {
    return {
      ...base,
      value: spec.value === null ? null : spec.eitherWay ? Math.abs(spec.value) : spec.value,
      status: "not_measured",
      detail: `not measured: ${spec.unmeasured} (limit ${limit})`,
    };
  }
  const status = intervalOutcome(spec.interval, spec.limit, spec.eitherWay);
  const noise =
    spec.noiseSpread !== undefined &&
    spec.noiseSpread !== null &&
    Math.round((spec.noiseSpread - Math.abs(spec.value)) * 1e9) >= 0
      ? `; the judge's noise alone spreads this change by ±${formatInUnitAbs(spec.noiseSpread, spec.unit)}, as much as the change itself`
      : "";
  const decide =
    status === "inconclusive" && spec.se !== null
      ? conversationsToDecide(spec.value, spec.limit, spec.se, spec.conversations, spec.eitherWay)
      : undefined;
  const outcome =
    status === "passed"
      ? `the interval rules out ${spec.change} beyond the limit`
      : status === "failed"
        ? `the whole interval lies beyond the limit: ${spec.change} beyond it is established`
        : `inconclusive, the interval straddles the limit; ${decide === undefined ? `the report carries no standard error to size it by (an older report: ${RERENDER})` : decideText(decide, spec.conversations, unit)}`;
  return {
    ...base,
    value: spec.eitherWay ? Math.abs(spec.value) : spec.value,
    status,
    detail: `${spec.measured} (limit ${limit}): ${outcome}${noise}`,
    interval: spec.interval,
    ...(decide !== undefined ? { decide_conversations: decide } : {}),
    ...(spec.noiseSpread !== undefined && spec.noiseSpread !== null ? { noise_spread: spec.noiseSpread } : {}),
  };
}

function formatInUnitAbs(value: number, unit: NumberUnit): string {
  return formatLimit(value, unit).replace(/^±/, "");
}

/** A rate of failures the run itself observed: compared with its limit directly. */
export function observedCheck(spec: {
  id: string;
  description: string;
  limit: number;
  value: number | null;
  measured: string;
  unmeasured: string;
}): GateCheck {
  const limit = formatLimit(spec.limit, "rate");
  const base = {
    id: spec.id,
    description: spec.description,
    value: spec.value,
    limit: spec.limit,
    unit: "rate" as const,
    kind: "observed" as const,
  };
  if (spec.value === null)
    return { ...base, status: "not_measured", detail: `not measured: ${spec.unmeasured} (limit ${limit})` };
  return {
    ...base,
    status: above(spec.value, spec.limit) ? "failed" : "passed",
    detail: `${spec.measured} (limit ${limit})`,
  };
}
