import type { Thresholds } from "../schema/bench-config.js";
import type { Completeness, ConfigMetrics, Deltas, Gate, GateCheck, GateCheckStatus } from "../schema/report.js";
import type { RetrievalReport } from "../schema/retrieval-report.js";
import { estimateCheck, negate, negated, observedCheck, RERENDER } from "./gate-checks.js";
import { readStrategy } from "./read-strategy.js";
import { formatCount, formatEstimate, formatPoints, formatRate } from "../text/format-number.js";

export { intervalOutcome } from "./gate-checks.js";

export interface GateInput {
  metrics: { baseline: ConfigMetrics; candidate: ConfigMetrics; delta: Deltas };
  completeness: Completeness;
  /** Why entity resolution was not measured, when it was not. */
  entities?: { not_measured?: string | undefined };
  /** The retrieval simulation, when it ran: the opt-in `max_coexist_retrieval_loss` check reads it. */
  retrieval?: RetrievalReport | undefined;
}

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
  const observed = formatEstimate(estimate.value, estimate.ci, "pp");
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
    measured: `${name} ${formatEstimate(c.value, c.ci, "pp")} corrected for judge noise (observed ${formatPoints(estimate.value)})`,
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
      measured: `extractions per turn ${formatEstimate(count.value, count.ci, "relative")}`,
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
      measured: `entity-resolution fail rate ${formatEstimate(entity.value, entity.ci, "pp")}`,
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
        ? `coexist answerable share ${formatEstimate(negated(reading.drop), negate(reading.interval), "pp")} against ${against}`
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
