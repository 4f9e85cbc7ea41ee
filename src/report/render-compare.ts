import { strategyLabel } from "../recommend/strategy-label.js";
import type { BenchReport, Recommendation } from "../schema/report.js";
import { formatInterval, formatNumber, formatPoints, formatRelative, formatSignedNumber } from "../text/format-number.js";
import { STATUS_WORD, viewGate } from "./gate-view.js";
import { PLAIN, type SummaryStyle } from "./style.js";
import { terminal as t } from "./terminal.js";

type Interval = [number, number] | null;

export interface ComparedMetric {
  metric: string;
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

function compared(metric: string, a: { value: number | null; ci: Interval }, b: { value: number | null; ci: Interval }): ComparedMetric {
  const moved = a.value === null || b.value === null ? null : b.value - a.value;
  const beyondNoise = a.ci !== null && b.ci !== null && (a.ci[1] < b.ci[0] || b.ci[1] < a.ci[0]);
  return { metric, a, b, moved, beyondNoise };
}

const pointsOnly = (value: number | null) => ({ value, ci: null });

/** What moved between two runs (two report.json): each run's deltas with intervals, the gate and the vocabulary. */
export function compareReports(a: BenchReport, b: BenchReport): Comparison {
  const side = (r: BenchReport): RunSide => ({ run_id: r.run.run_id, candidate: r.run.configs.candidate.name, strategy: r.recommendation.strategy, gate_passed: r.gate.passed });
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
    metrics: [
      compared("precision", a.metrics.delta.precision, b.metrics.delta.precision),
      compared("recall", a.metrics.delta.recall, b.metrics.delta.recall),
      compared("junk rate", a.metrics.delta.junk, b.metrics.delta.junk),
      compared("extractions per turn (relative)", a.metrics.delta.extraction_per_turn, b.metrics.delta.extraction_per_turn),
      compared("entity-resolution fail rate", a.metrics.delta.entity_resolution ?? pointsOnly(a.entities.fail_rate_delta), b.metrics.delta.entity_resolution ?? pointsOnly(b.entities.fail_rate_delta)),
      compared("predicate Jaccard", pointsOnly(a.vocabulary.jaccard), pointsOnly(b.vocabulary.jaccard)),
    ],
    checks,
    predicates: { added: [...pb].filter((p) => !pa.has(p)).sort(), removed: [...pa].filter((p) => !pb.has(p)).sort() },
  };
}

function show(metric: string, value: number | null, ci: Interval = null): string {
  if (metric === "predicate Jaccard") return formatNumber(value);
  if (metric.includes("relative")) return `${formatRelative(value)}${ci ? ` ${formatInterval(ci, "relative")}` : ""}`;
  return `${formatPoints(value)}${ci ? ` ${formatInterval(ci, "pp")}` : ""}`;
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
    const moved = m.metric === "predicate Jaccard" ? formatSignedNumber(m.moved) : show(m.metric, m.moved);
    const note = m.beyondNoise ? style.strong(" (intervals do not overlap)") : m.a.ci && m.b.ci ? " (within both runs' intervals)" : "";
    lines.push(`  ${m.metric.padEnd(32)} A ${show(m.metric, m.a.value, m.a.ci)}  B ${show(m.metric, m.b.value, m.b.ci)}  moved ${moved}${note}`);
  }
  lines.push("", "Gate checks:");
  for (const check of c.checks) {
    const text = t`  ${check.label}: ${check.a} → ${check.b}`;
    lines.push(check.changed ? (check.b.startsWith("failed") ? style.bad(text) : style.good(text)) : text);
  }
  if (c.predicates.added.length + c.predicates.removed.length > 0) {
    lines.push("", t`Candidate predicates new in B: ${c.predicates.added.join(", ") || "none"}`, t`Candidate predicates gone in B: ${c.predicates.removed.join(", ") || "none"}`);
  }
  return lines.join("\n");
}
