import type { ConfigDiff, Pairing, RecommendationRule, TypeChange, Vocabulary } from "../schema/report.js";

/** Share of paired facts whose type changed that counts as "types moved". */
export const TYPES_MOVED_SHARE = 0.05;
/** Share of paired facts whose subject string changed that counts as a new entity naming convention. */
export const ENTITY_NAMING_SHARE = 0.5;
/** Fewer pairs than this say nothing about naming or types. */
export const MIN_PAIRS = 5;

export interface DecisionInput {
  diff: ConfigDiff;
  vocabulary: Vocabulary;
  types: TypeChange;
  pairing: Pairing;
}

type Row = Omit<RecommendationRule, "evidence"> & { evidence: (input: DecisionInput) => string[] | undefined };

const share = (part: number, whole: number) => (whole === 0 ? 0 : part / whole);
const percent = (value: number) => `${(value * 100).toFixed(0)}%`;
const changedFields = (diff: ConfigDiff, test: RegExp) =>
  diff.changed.filter((c) => test.test(c.field)).map((c) => `${c.field}: ${c.baseline} → ${c.candidate}`);

/**
 * The seed's decision table. Each row returns its evidence when it applies, undefined otherwise.
 * Rows are in table order; the recommendation takes the highest-risk row that fired.
 */
export const DECISION_TABLE: Row[] = [
  {
    id: "prompt_wording",
    change: "prompt wording, same schema",
    risk: "low",
    strategy: "coexist",
    evidence: ({ diff }) =>
      diff.prompt_changed && !diff.type_rules_changed
        ? changedFields(diff, /^extractor\.(?:custom_instructions|quality_rules|temperature|max_tokens|rules\.)/).filter((f) => !f.startsWith("extractor.rules.type_rules"))
        : undefined,
  },
  {
    id: "predicate_added",
    change: "new predicate added (baseline vocabulary kept)",
    risk: "low",
    strategy: "coexist",
    evidence: ({ vocabulary }) =>
      vocabulary.only_candidate.length > 0 && vocabulary.only_baseline.length === 0
        ? [`new predicates: ${vocabulary.only_candidate.join(", ")}`, "every baseline predicate is still produced"]
        : undefined,
  },
  {
    id: "model_upgrade",
    change: "model upgrade, same prompt",
    risk: "medium",
    strategy: "progressive_rollout",
    evidence: ({ diff }) => (diff.model_changed ? changedFields(diff, /^extractor\.(?:provider|model)$/) : undefined),
  },
  {
    id: "type_rules_changed",
    change: "type classification rules changed / types moved",
    risk: "medium",
    strategy: "progressive_rollout",
    evidence: ({ diff, types, pairing }) => {
      const movedShare = share(pairing.type_changed, pairing.pairs);
      const moved = pairing.pairs >= MIN_PAIRS && movedShare >= TYPES_MOVED_SHARE;
      if (!diff.type_rules_changed && !moved) return undefined;
      return [
        ...changedFields(diff, /^extractor\.(?:type_rules|rules\.type_rules)/),
        ...(moved
          ? [`${pairing.type_changed} of ${pairing.pairs} paired facts (${percent(movedShare)}) changed type`, ...types.moved.slice(0, 5).map((m) => `${m.from} → ${m.to}: ${m.count}`)]
          : []),
      ];
    },
  },
  {
    id: "predicate_renamed",
    change: "predicate renamed or removed",
    risk: "high",
    strategy: "progressive_rollout",
    evidence: ({ vocabulary }) =>
      vocabulary.jaccard !== null && vocabulary.jaccard < 0.8 && vocabulary.only_baseline.length > 0
        ? [
            `predicate Jaccard ${vocabulary.jaccard.toFixed(3)} over the top ${vocabulary.top_k} (${vocabulary.band} ${vocabulary.band === "significant" ? "break" : "drift"})`,
            `baseline predicates gone: ${vocabulary.only_baseline.slice(0, 12).join(", ")}${vocabulary.only_baseline.length > 12 ? ", …" : ""}`,
            ...vocabulary.renames.slice(0, 5).map((r) => `renamed: ${r.from} → ${r.to} (${r.count} facts)`),
          ]
        : undefined,
  },
  {
    id: "entity_naming",
    change: "entity naming convention changed",
    risk: "high",
    strategy: "full_reextraction",
    evidence: ({ pairing, diff }) => {
      const changedShare = share(pairing.subject_changed, pairing.pairs);
      if (pairing.pairs < MIN_PAIRS || changedShare < ENTITY_NAMING_SHARE) return undefined;
      return [
        `${pairing.subject_changed} of ${pairing.pairs} paired facts (${percent(changedShare)}) name their subject differently`,
        ...pairing.subject_examples.map((e) => `"${e.from}" → "${e.to}"`),
        ...changedFields(diff, /^extractor\.rules\.subject_naming$/),
      ];
    },
  },
  {
    id: "type_structure",
    change: "fundamental type structure changed",
    risk: "high",
    strategy: "full_reextraction",
    evidence: ({ types }) =>
      types.appeared.length > 0 || types.disappeared.length > 0
        ? [
            ...(types.appeared.length > 0 ? [`types only in candidate: ${types.appeared.join(", ")}`] : []),
            ...(types.disappeared.length > 0 ? [`types only in baseline: ${types.disappeared.join(", ")}`] : []),
          ]
        : undefined,
  },
];

const RISK_ORDER = { low: 0, medium: 1, high: 2 } as const;
const STRATEGY_ORDER = { coexist: 0, progressive_rollout: 1, full_reextraction: 2 } as const;

/** Rows that fired, with their evidence. */
export function applyDecisionTable(input: DecisionInput): RecommendationRule[] {
  return DECISION_TABLE.flatMap((row) => {
    const evidence = row.evidence(input);
    return evidence ? [{ id: row.id, change: row.change, risk: row.risk, strategy: row.strategy, evidence }] : [];
  });
}

/** The highest-risk row wins; between rows of equal risk, the more thorough strategy. */
export function pickWinningRule(rules: RecommendationRule[]): RecommendationRule | undefined {
  return [...rules].sort(
    (a, b) => RISK_ORDER[b.risk] - RISK_ORDER[a.risk] || STRATEGY_ORDER[b.strategy] - STRATEGY_ORDER[a.strategy],
  )[0];
}
