import type { Thresholds } from "../schema/bench-config.js";
import type { ConfigMetrics, Deltas, Gate, GateCheck } from "../schema/report.js";

const pct = (value: number | null) => (value === null ? "n/a" : `${(value * 100).toFixed(1)}%`);

interface GateInput {
  baseline: ConfigMetrics;
  candidate: ConfigMetrics;
  delta: Deltas;
}

function check(id: string, description: string, value: number | null, limit: number, passed: boolean, detail: string): GateCheck {
  return { id, description, value, limit, passed, detail };
}

/**
 * The CI gate: fails when any threshold is crossed. A check whose value could not be measured
 * (no candidates judged, say) passes but says so; it is never silently counted as measured.
 */
export function evaluateGate(metrics: GateInput, thresholds: Thresholds): Gate {
  const { candidate, delta } = metrics;
  const checks: GateCheck[] = [];

  const precisionDrop = delta.precision.value === null ? null : -delta.precision.value;
  checks.push(
    check("precision_drop", "precision drop (absolute)", precisionDrop, thresholds.max_precision_drop,
      precisionDrop === null || precisionDrop <= thresholds.max_precision_drop,
      precisionDrop === null ? "not measured" : `precision ${delta.precision.value! >= 0 ? "+" : ""}${pct(delta.precision.value)} (95% CI ${formatCi(delta.precision.ci)})`),
  );

  const recallDrop = delta.recall.value === null ? null : -delta.recall.value;
  const ciExcludesZero = delta.recall.ci !== null && delta.recall.ci[1] < 0;
  checks.push(
    check("recall_drop", "recall drop whose 95% CI excludes 0", recallDrop, thresholds.max_recall_drop,
      recallDrop === null || recallDrop <= thresholds.max_recall_drop || !ciExcludesZero,
      recallDrop === null ? "not measured" : `recall ${delta.recall.value! >= 0 ? "+" : ""}${pct(delta.recall.value)} (95% CI ${formatCi(delta.recall.ci)})`),
  );

  checks.push(
    check("junk_increase", "junk rate increase (percentage points)", delta.junk_pp, thresholds.max_junk_increase_pp,
      delta.junk_pp === null || delta.junk_pp <= thresholds.max_junk_increase_pp,
      delta.junk_pp === null ? "not measured" : `${delta.junk_pp >= 0 ? "+" : ""}${delta.junk_pp.toFixed(1)} pp`),
  );

  const json = candidate.operating.json_fail_rate;
  checks.push(
    check("json_fail_rate", "candidate JSON fail rate", json, thresholds.max_json_fail_rate,
      json === null || json <= thresholds.max_json_fail_rate, json === null ? "no extract calls" : pct(json)),
  );

  const change = delta.extraction_per_turn_pct === null ? null : Math.abs(delta.extraction_per_turn_pct) / 100;
  checks.push(
    check("extraction_count_change", "extractions per turn change (either way)", change, thresholds.max_extraction_count_change,
      change === null || change <= thresholds.max_extraction_count_change,
      delta.extraction_per_turn_pct === null ? "not measured" : `${delta.extraction_per_turn_pct >= 0 ? "+" : ""}${delta.extraction_per_turn_pct.toFixed(1)}%`),
  );

  const er = candidate.operating.entity_resolution_fail_rate;
  checks.push(
    check("entity_resolution_fail_rate", "candidate entity-resolution fail rate (fallback share)", er, thresholds.max_entity_resolution_fail_rate,
      er === null || er <= thresholds.max_entity_resolution_fail_rate, er === null ? "no entity mentions" : pct(er)),
  );

  return { passed: checks.every((c) => c.passed), thresholds, checks };
}

function formatCi(ci: [number, number] | null): string {
  return ci === null ? "n/a" : `${pct(ci[0])} to ${pct(ci[1])}`;
}
