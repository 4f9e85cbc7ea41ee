import type { Thresholds } from "../schema/bench-config.js";
import type { Completeness, ConfigMetrics, Deltas, Gate, GateCheck, GateCheckStatus } from "../schema/report.js";
import type { RetrievalReport } from "../schema/retrieval-report.js";
import { readStrategy } from "./retrieval-evidence.js";
import { conversationsToDecide, intervalAgainstLimit, MAX_DECIDE } from "../metrics/sample-size.js";
import {
  formatCount,
  formatInterval,
  formatLimit,
  formatPoints,
  formatRate,
  formatRelative,
  type NumberUnit,
} from "../text/format-number.js";

export interface GateInput {
  metrics: { baseline: ConfigMetrics; candidate: ConfigMetrics; delta: Deltas };
  completeness: Completeness;
  /** Why entity resolution was not measured, when it was not. */
  entities?: { not_measured?: string | undefined };
  /** The retrieval simulation, when it ran: the opt-in `max_coexist_retrieval_loss` check reads it. */
  retrieval?: RetrievalReport | undefined;
}

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

/** How to bring an older report up to date: re-derive it from its run log. */
const RERENDER = "`extractor-bench report RUN_DIR` re-renders it from the run log";

/** A comparison made on numbers as reported: floating-point noise never decides a boundary. */
const above = (value: number, limit: number) => Math.round((value - limit) * 1e9) > 0;

/** A check that compares the two configs: an estimate with a 95% paired interval. */
interface EstimateSpec {
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

function estimateCheck(spec: EstimateSpec, unit = "conversations"): GateCheck {
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
function observedCheck(spec: {
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

const negate = (ci: [number, number] | null): [number, number] | null => (ci === null ? null : [-ci[1], -ci[0]]);
const negated = (value: number | null) => (value === null ? null : -value);

/** The change a check reads: the one corrected for the judge's noise when that was measured, the observed one otherwise. */
function judgedChange(
  estimate: Deltas["precision"],
  name: string,
): {
  value: number | null;
  ci: [number, number] | null;
  se: number | null;
  measured: string;
  noiseSpread?: number | null;
  unmeasured?: string;
} {
  const observed = `${formatPoints(estimate.value)} ${formatInterval(estimate.ci, "pp")}`.trim();
  const c = estimate.corrected;
  if (!c) return { value: estimate.value, ci: estimate.ci, se: estimate.se ?? null, measured: `${name} ${observed}` };
  if (c.value === null) {
    return {
      value: null,
      ci: null,
      se: null,
      measured: `${name} ${observed}`,
      unmeasured: `the judge's verdicts flip too often to correct ${name} for them (observed ${observed})`,
    };
  }
  return {
    value: c.value,
    ci: c.ci,
    se: c.se,
    noiseSpread: c.noise_spread,
    measured: `${name} ${formatPoints(c.value)} ${formatInterval(c.ci, "pp")} corrected for judge noise (observed ${formatPoints(estimate.value)})`,
  };
}

/**
 * The CI gate. One rule for every check that compares the two configs (precision, recall, junk,
 * extraction count, entity resolution): with the check's 95% paired interval of the change and its
 * limit, it passes when the interval rules out a change beyond the limit, fails when the interval lies
 * wholly beyond the limit, and is inconclusive when it straddles the limit (passing unless
 * `on_inconclusive: fail`). Rates of failure the run observed (JSON fail rate, failed dry runs) are not
 * estimates: they keep direct limits. A check that could not be measured is reported as not measured
 * and fails the gate unless `on_unmeasured: pass`; it is never shown as passed.
 */
export function evaluateGate(input: GateInput, thresholds: Thresholds): Gate {
  const { metrics, completeness } = input;
  const { candidate, delta } = metrics;
  const paired = completeness.paired_conversations;
  const checks: GateCheck[] = [];
  const noPairs = paired === 0 ? "no conversation where both configs produced a result" : "";

  /** A judged metric's check: a drop of precision or recall, a rise of junk, read on the change the judge's noise was corrected for. */
  const judgedCheck = (spec: {
    id: string;
    description: string;
    name: "precision" | "recall" | "junk";
    limit: number;
    conversations: number;
    unmeasured: string;
  }) => {
    const change = judgedChange(delta[spec.name], spec.name);
    const drop = spec.name !== "junk";
    return estimateCheck(
      {
        id: spec.id,
        description: spec.description,
        unit: "pp",
        limit: spec.limit,
        value: drop ? negated(change.value) : change.value,
        interval: drop ? negate(change.ci) : change.ci,
        se: change.se,
        conversations: spec.conversations,
        measured: drop ? change.measured : `${change.measured} on ${formatCount(spec.conversations)} conversations`,
        unmeasured: noPairs || change.unmeasured || spec.unmeasured,
        noiseSpread: change.noiseSpread,
        change: drop ? "a drop" : "a rise",
      },
      drop ? "conversations" : "conversations in the junk sample",
    );
  };
  checks.push(
    judgedCheck({
      id: "precision_drop",
      description: "precision drop",
      name: "precision",
      limit: thresholds.max_precision_drop,
      conversations: paired,
      unmeasured: "no candidate was judged for usefulness on one side",
    }),
    judgedCheck({
      id: "recall_drop",
      description: "recall drop",
      name: "recall",
      limit: thresholds.max_recall_drop,
      conversations: paired,
      unmeasured: "no golden memory was judged on one side",
    }),
    judgedCheck({
      id: "junk_increase",
      description: "junk rate rise",
      name: "junk",
      limit: thresholds.max_junk_increase,
      conversations: candidate.junk.conversations,
      unmeasured: "no junk verdict on one side",
    }),
  );

  const json = candidate.operating.json_fail_rate;
  checks.push(
    observedCheck({
      id: "json_fail_rate",
      description: "candidate JSON fail rate",
      limit: thresholds.max_json_fail_rate,
      value: json,
      measured: `JSON fail rate ${formatRate(json)} (${candidate.operating.json_failures} of ${candidate.operating.extract_calls} calls)`,
      unmeasured: "the candidate made no extract call",
    }),
  );

  const count = delta.extraction_per_turn;
  checks.push(
    estimateCheck({
      id: "extraction_count_change",
      description: "extractions per turn change, either way",
      unit: "relative",
      limit: thresholds.max_extraction_count_change,
      value: count.value,
      interval: count.ci,
      se: count.se ?? null,
      conversations: paired,
      eitherWay: true,
      measured: `extractions per turn ${formatRelative(count.value)} ${formatInterval(count.ci, "relative")}`.trim(),
      unmeasured: noPairs || "the baseline extracted nothing on the paired conversations",
      change: "a change",
    }),
  );

  const entity = delta.entity_resolution ?? { value: delta.entity_resolution_fail_rate, ci: null, se: null };
  checks.push(
    estimateCheck({
      id: "entity_resolution_fail_increase",
      description: "entity-resolution fail rate rise (candidate − baseline)",
      unit: "pp",
      limit: thresholds.max_entity_resolution_fail_increase,
      value: entity.value,
      interval: entity.ci,
      se: entity.se ?? null,
      conversations: paired,
      measured: `entity-resolution fail rate ${formatPoints(entity.value)} ${formatInterval(entity.ci, "pp")}`.trim(),
      unmeasured:
        noPairs ||
        input.entities?.not_measured ||
        (delta.entity_resolution
          ? "no entity mention on one side"
          : `this report predates the interval of this change: ${RERENDER}`),
      change: "a rise",
    }),
  );

  for (const role of ["baseline", "candidate"] as const) {
    const side = completeness[role];
    checks.push(
      observedCheck({
        id: `failed_unit_rate_${role}`,
        description: `${role} failed dry runs`,
        limit: thresholds.max_failed_unit_rate,
        value: side.failed_rate,
        measured: `${side.failed} of ${side.attempted} dry runs failed (${formatRate(side.failed_rate)})`,
        unmeasured: `no dry run of the ${role} was logged`,
      }),
    );
  }

  if (thresholds.max_coexist_retrieval_loss !== undefined)
    checks.push(coexistRetrievalCheck(input.retrieval, thresholds.max_coexist_retrieval_loss));

  return { passed: checks.every((c) => !blocksGate(c.status, thresholds)), thresholds, checks };
}

/** The opt-in check: `coexist`'s drop in answerable share against the better pure store, on its interval over scopes. */
function coexistRetrievalCheck(retrieval: RetrievalReport | undefined, limit: number): GateCheck {
  const reading = retrieval ? readStrategy(retrieval, "coexist", limit, 0) : undefined;
  const against = reading?.against === "reextract" ? "the re-extracted store" : "the baseline store";
  const se =
    retrieval?.strategies.find((s) => s.strategy === "coexist")?.[
      reading?.against === "reextract" ? "vs_reextract" : "vs_baseline"
    ].answerable.se ?? null;
  return estimateCheck(
    {
      id: "coexist_retrieval_loss",
      description: "coexist's answerable-share drop against the better pure store (retrieval simulation)",
      unit: "pp",
      limit,
      value: reading?.drop ?? null,
      interval: reading?.interval ?? null,
      se,
      conversations: retrieval?.scopes ?? 0,
      measured: reading
        ? `coexist answerable share ${formatPoints(reading.drop === null ? null : -reading.drop)} ${formatInterval(reading.interval === null ? null : [-reading.interval[1], -reading.interval[0]], "pp")} against ${against}`.trim()
        : "",
      unmeasured: retrieval
        ? "no query was answered in both stores"
        : "the retrieval simulation did not run (`retrieval.enabled: false`, or a report older than it)",
      change: "a drop",
    },
    "scopes",
  );
}

/** Whether a check with this status fails the gate under these thresholds. */
export function blocksGate(
  status: GateCheckStatus,
  thresholds: Pick<Thresholds, "on_unmeasured" | "on_inconclusive">,
): boolean {
  if (status === "failed") return true;
  if (status === "inconclusive") return thresholds.on_inconclusive === "fail";
  if (status === "not_measured") return thresholds.on_unmeasured !== "pass";
  return false;
}
