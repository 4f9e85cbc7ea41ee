import { reportMetrics, type MetricChange } from "../metrics/metric-table.js";
import { strategyLabel } from "../recommend/strategy-label.js";
import type { BenchReport, Recommendation } from "../schema/report.js";
import { formatInterval, formatInUnit, formatNumber, formatSignedNumber } from "../text/format-number.js";
import { STATUS_WORD, viewGate } from "./gate-view.js";
import { PLAIN, type SummaryStyle } from "./style.js";
import { terminal as t } from "./terminal.js";

type Interval = [number, number] | null;

export interface ComparedMetric {
  /** The metric's key in the metric table ("predicate_jaccard" for the vocabulary's Jaccard). */
  key: string;
  metric: string;
  /** How the changes print: points, a relative change, or a plain number (the Jaccard, a level in each run). */
  unit: "pp" | "relative" | "number";
  /** Each report's candidate − baseline change and its 95% interval, as fractions. */
  a: { value: number | null; ci: Interval };
  b: { value: number | null; ci: Interval };
  /** B's change minus A's change. */
  moved: number | null;
  /** Whether the two intervals are disjoint: a move larger than either run's own noise. */
  beyondNoise: boolean;
}

interface RunSide {
  run_id: string;
  candidate: string;
  strategy: Recommendation["strategy"];
  gate_passed: boolean;
}

export interface Comparison {
  a: RunSide;
  b: RunSide;
  metrics: ComparedMetric[];
  checks: { id: string; label: string; a: string; b: string; changed: boolean }[];
  predicates: { added: string[]; removed: string[] };
}

function compared(
  key: string,
  metric: string,
  unit: ComparedMetric["unit"],
  a: MetricChange,
  b: MetricChange,
): ComparedMetric {
  const [ca, cb] = [a.ci ?? null, b.ci ?? null];
  const moved = a.value === null || b.value === null ? null : b.value - a.value;
  const beyondNoise = ca !== null && cb !== null && (ca[1] < cb[0] || cb[1] < ca[0]);
  return { key, metric, unit, a: { value: a.value, ci: ca }, b: { value: b.value, ci: cb }, moved, beyondNoise };
}

/** Each run's change of every metric the table marks for `compare`, then the predicate Jaccard (a comparison of the two configs, not a change). */
function comparedMetrics(a: BenchReport, b: BenchReport): ComparedMetric[] {
  const changes = reportMetrics(b, "compare").map(({ def }) =>
    compared(def.key, def.label, def.change === "relative" ? "relative" : "pp", def.changeOf(a), def.changeOf(b)),
  );
  return [
    ...changes,
    compared(
      "predicate_jaccard",
      "predicate Jaccard",
      "number",
      { value: a.vocabulary.jaccard },
      { value: b.vocabulary.jaccard },
    ),
  ];
}

/** What moved between two runs (two report.json): each run's deltas with intervals, the gate and the vocabulary. */
export function compareReports(a: BenchReport, b: BenchReport): Comparison {
  const side = (r: BenchReport): RunSide => ({
    run_id: r.run.run_id,
    candidate: r.run.configs.candidate.name,
    strategy: r.recommendation.strategy,
    gate_passed: r.gate.passed,
  });
  const [ga, gb] = [viewGate(a), viewGate(b)];
  const checks = gb.checks.map((cb) => {
    const ca = ga.checks.find((c) => c.id === cb.id);
    const status = (c: typeof cb | undefined) => (c ? `${STATUS_WORD[c.status]} (${c.value})` : "absent");
    return { id: cb.id, label: cb.label, a: status(ca), b: status(cb), changed: ca?.status !== cb.status };
  });
  const top = (r: BenchReport) => new Set(r.metrics.candidate.predicates.top.map((p) => p.predicate));
  const [pa, pb] = [top(a), top(b)];
  return {
    a: side(a),
    b: side(b),
    metrics: comparedMetrics(a, b),
    checks,
    predicates: { added: [...pb].filter((p) => !pa.has(p)).sort(), removed: [...pa].filter((p) => !pb.has(p)).sort() },
  };
}

function show(unit: ComparedMetric["unit"], value: number | null, ci: Interval = null): string {
  if (unit === "number") return formatNumber(value);
  return `${formatInUnit(value, unit)}${ci ? ` ${formatInterval(ci, unit)}` : ""}`;
}

/** The comparison as terminal text. */
export function renderComparison(c: Comparison, style: SummaryStyle = PLAIN): string {
  const lines = [
    t`A: run ${c.a.run_id}, candidate ${c.a.candidate}: ${strategyLabel(c.a.strategy)}, gate ${c.a.gate_passed ? "passed" : "failed"}`,
    t`B: run ${c.b.run_id}, candidate ${c.b.candidate}: ${strategyLabel(c.b.strategy)}, gate ${c.b.gate_passed ? "passed" : "failed"}`,
    "",
    "Candidate − baseline in each run, and how it moved from A to B:",
  ];
  for (const m of c.metrics) {
    const moved = m.unit === "number" ? formatSignedNumber(m.moved) : show(m.unit, m.moved);
    const note = m.beyondNoise
      ? style.strong(" (intervals do not overlap)")
      : m.a.ci && m.b.ci
        ? " (within both runs' intervals)"
        : "";
    lines.push(
      `  ${m.metric.padEnd(32)} A ${show(m.unit, m.a.value, m.a.ci)}  B ${show(m.unit, m.b.value, m.b.ci)}  moved ${moved}${note}`,
    );
  }
  lines.push("", "Gate checks:");
  for (const check of c.checks) {
    const text = t`  ${check.label}: ${check.a} → ${check.b}`;
    lines.push(check.changed ? (check.b.startsWith("failed") ? style.bad(text) : style.good(text)) : text);
  }
  if (c.predicates.added.length + c.predicates.removed.length > 0) {
    lines.push(
      "",
      t`Candidate predicates new in B: ${c.predicates.added.join(", ") || "none"}`,
      t`Candidate predicates gone in B: ${c.predicates.removed.join(", ") || "none"}`,
    );
  }
  return lines.join("\n");
}
