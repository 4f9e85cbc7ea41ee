import type { Thresholds } from "../schema/bench-config.js";
import type { Completeness, ConfigMetrics, Deltas, Gate, GateCheck } from "../schema/report.js";
import { formatInterval, formatLimit, formatPoints, formatRate, formatRelative, type NumberUnit } from "../text/format-number.js";

export interface GateInput {
  metrics: { baseline: ConfigMetrics; candidate: ConfigMetrics; delta: Deltas };
  completeness: Completeness;
}

interface CheckSpec {
  id: string;
  description: string;
  unit: NumberUnit;
  limit: number;
  /** The compared quantity; null when it could not be measured. */
  value: number | null;
  /** Whether the measured value crosses the limit. */
  crossed: boolean;
  /** The measured value in words, e.g. "precision −4.3 pp [−7.8, −1.0] pp". */
  measured: string;
  /** Why the check could not be measured. */
  unmeasured: string;
}

function check(spec: CheckSpec): GateCheck {
  const limit = formatLimit(spec.limit, spec.unit);
  const status = spec.value === null ? "not_measured" : spec.crossed ? "failed" : "passed";
  const detail =
    status === "not_measured" ? `not measured: ${spec.unmeasured} (limit ${limit})`
    : `${spec.measured} (limit ${limit})`;
  return { id: spec.id, description: spec.description, value: spec.value, limit: spec.limit, unit: spec.unit, status, detail };
}

/** A comparison made on numbers as reported: floating-point noise never decides a boundary. */
const above = (value: number, limit: number) => Math.round((value - limit) * 1e9) > 0;

/**
 * The CI gate: it fails when a threshold is crossed. A check that could not be measured is reported
 * as not measured and fails the gate unless the thresholds say `on_unmeasured: pass`; it is never
 * shown as passed.
 */
export function evaluateGate(input: GateInput, thresholds: Thresholds): Gate {
  const { metrics, completeness } = input;
  const { candidate, delta } = metrics;
  const checks: GateCheck[] = [];
  const noPairs = completeness.paired_conversations === 0 ? "no conversation where both configs produced a result" : "";

  const precision = delta.precision;
  checks.push(check({
    id: "precision_drop",
    description: "precision drop",
    unit: "pp",
    limit: thresholds.max_precision_drop,
    value: precision.value === null ? null : -precision.value,
    crossed: precision.value !== null && above(-precision.value, thresholds.max_precision_drop),
    measured: `precision ${formatPoints(precision.value)} ${formatInterval(precision.ci, "pp")}`.trim(),
    unmeasured: noPairs || "no candidate was judged for usefulness on one side",
  }));

  const recall = delta.recall;
  const recallDropSignificant = recall.ci !== null && recall.ci[1] < 0;
  checks.push(check({
    id: "recall_drop",
    description: "recall drop whose 95% interval excludes 0",
    unit: "pp",
    limit: thresholds.max_recall_drop,
    value: recall.value === null ? null : -recall.value,
    crossed: recall.value !== null && above(-recall.value, thresholds.max_recall_drop) && recallDropSignificant,
    measured: `recall ${formatPoints(recall.value)} ${formatInterval(recall.ci, "pp")}`.trim(),
    unmeasured: noPairs || "no golden memory was judged on one side",
  }));

  const junk = delta.junk;
  checks.push(check({
    id: "junk_increase",
    description: "junk rate rise, lower bound of its 95% interval",
    unit: "pp",
    limit: thresholds.max_junk_increase,
    value: junk.ci === null ? null : junk.ci[0],
    crossed: junk.ci !== null && above(junk.ci[0], thresholds.max_junk_increase),
    measured: `junk ${formatPoints(junk.value)} ${formatInterval(junk.ci, "pp")}`.trim(),
    unmeasured: noPairs || "no junk verdict on one side",
  }));

  const json = candidate.operating.json_fail_rate;
  checks.push(check({
    id: "json_fail_rate",
    description: "candidate JSON fail rate",
    unit: "rate",
    limit: thresholds.max_json_fail_rate,
    value: json,
    crossed: json !== null && above(json, thresholds.max_json_fail_rate),
    measured: `JSON fail rate ${formatRate(json)} (${candidate.operating.json_failures} of ${candidate.operating.extract_calls} calls)`,
    unmeasured: "the candidate made no extract call",
  }));

  const count = delta.extraction_per_turn;
  checks.push(check({
    id: "extraction_count_change",
    description: "extractions per turn change, either way",
    unit: "relative",
    limit: thresholds.max_extraction_count_change,
    value: count.value === null ? null : Math.abs(count.value),
    crossed: count.value !== null && above(Math.abs(count.value), thresholds.max_extraction_count_change),
    measured: `extractions per turn ${formatRelative(count.value)} ${formatInterval(count.ci, "relative")}`.trim(),
    unmeasured: noPairs || "the baseline extracted nothing on the paired conversations",
  }));

  const entity = delta.entity_resolution_fail_rate;
  checks.push(check({
    id: "entity_resolution_fail_increase",
    description: "entity-resolution fail rate rise (candidate − baseline)",
    unit: "pp",
    limit: thresholds.max_entity_resolution_fail_increase,
    value: entity,
    crossed: entity !== null && above(entity, thresholds.max_entity_resolution_fail_increase),
    measured: `entity-resolution fail rate ${formatPoints(entity)}`,
    unmeasured: noPairs || "no entity mention on one side",
  }));

  for (const role of ["baseline", "candidate"] as const) {
    const side = completeness[role];
    checks.push(check({
      id: `failed_unit_rate_${role}`,
      description: `${role} failed dry runs`,
      unit: "rate",
      limit: thresholds.max_failed_unit_rate,
      value: side.failed_rate,
      crossed: side.failed_rate !== null && above(side.failed_rate, thresholds.max_failed_unit_rate),
      measured: `${side.failed} of ${side.attempted} dry runs failed (${formatRate(side.failed_rate)})`,
      unmeasured: `no dry run of the ${role} was logged`,
    }));
  }

  const passed = checks.every((c) => c.status === "passed" || (c.status === "not_measured" && thresholds.on_unmeasured === "pass"));
  return { passed, thresholds, checks };
}
