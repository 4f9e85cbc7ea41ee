import type { ConfigDiff, Pairing, RecommendationRule, TypeChange, Vocabulary } from "../schema/report.js";
import { jaccardBandLabel } from "../metrics/band-label.js";
import { JACCARD_MINIMAL_DRIFT } from "../metrics/vocabulary.js";

/** Share of one baseline type's paired facts that moved to another type for the type row to fire… */
export const TYPE_MOVED_SHARE = 0.1;
/** …counted only for a type with at least this many paired facts. */
export const MIN_TYPE_PAIRS = 20;
/** Share of paired facts whose subjects resolve to different entities that counts as a new naming convention. */
export const ENTITY_NAMING_SHARE = 0.5;
/** Fewer pairs than this say nothing about naming. */
export const MIN_PAIRS = 5;

export interface DecisionInput {
  diff: ConfigDiff;
  vocabulary: Vocabulary;
  types: TypeChange;
  pairing: Pairing;
  /**
   * Both configs produced candidates on enough paired conversations. Without it only the rows that
   * read the config diff can fire: no row fires on an empty side.
   */
  measured: boolean;
}

type Row = Omit<RecommendationRule, "evidence" | "change"> & {
  /** What the row is about, as the decision table names it. */
  change: string;
  /** The row's label for this diff: what changed, never "same …" when it is not the same. */
  label?: (diff: ConfigDiff) => string;
  evidence: (input: DecisionInput) => string[] | undefined;
};

const KIND_WORDS = { prompt: "prompt", model: "model", schema_version: "schema version" } as const;
type LabelledKind = keyof typeof KIND_WORDS;

function joinAnd(words: string[]): string {
  return words.length <= 1 ? (words[0] ?? "") : `${words.slice(0, -1).join(", ")} and ${words.at(-1)}`;
}

/** "prompt wording changed (model and schema version changed too)", "model changed (same prompt and schema version)". */
function changeLabel(what: string, others: LabelledKind[]): (diff: ConfigDiff) => string {
  return (diff) => {
    const changed = others.filter((kind) => diff.kinds.includes(kind)).map((kind) => KIND_WORDS[kind]);
    const same = others.filter((kind) => !diff.kinds.includes(kind)).map((kind) => KIND_WORDS[kind]);
    const parts = [
      changed.length > 0 ? `${joinAnd(changed)} changed too` : "",
      same.length > 0 ? `same ${joinAnd(same)}` : "",
    ].filter(Boolean);
    return `${what} (${parts.join("; ")})`;
  };
}

const share = (part: number, whole: number) => (whole === 0 ? 0 : part / whole);
const percent = (value: number) => `${(value * 100).toFixed(0)}%`;
const MAX_SHOWN_VALUE = 80;
const shown = (value: string) => (value.length > MAX_SHOWN_VALUE ? `${value.slice(0, MAX_SHOWN_VALUE - 1)}…` : value);
const changedKind = (diff: ConfigDiff, kind: ConfigDiff["changed"][number]["kind"]) =>
  diff.changed.filter((c) => c.kind === kind).map((c) => `${c.field}: ${shown(c.baseline)} → ${shown(c.candidate)}`);

/** Baseline types of which a meaningful share of paired facts moved to another type. */
export function movedTypes(types: TypeChange): TypeChange["moved_by_type"] {
  return types.moved_by_type.filter((t) => t.pairs >= MIN_TYPE_PAIRS && t.share >= TYPE_MOVED_SHARE);
}

/**
 * The seed's decision table. Each row returns its evidence when it applies, undefined otherwise.
 * Rows are in table order; the recommendation takes the highest-risk row that fired.
 */
export const DECISION_TABLE: Row[] = [
  {
    id: "prompt_wording",
    change: "prompt wording, same schema",
    label: changeLabel("prompt wording changed", ["model", "schema_version"]),
    risk: "low",
    strategy: "coexist",
    evidence: ({ diff }) => (diff.prompt_changed ? changedKind(diff, "prompt") : undefined),
  },
  {
    id: "predicate_added",
    change: "new predicate added (baseline vocabulary kept)",
    risk: "low",
    strategy: "coexist",
    evidence: ({ vocabulary, measured }) =>
      measured && vocabulary.only_candidate.length > 0 && vocabulary.only_baseline.length === 0
        ? [`new predicates: ${vocabulary.only_candidate.join(", ")}`, "every baseline predicate is still produced"]
        : undefined,
  },
  {
    id: "model_upgrade",
    change: "model upgrade, same prompt",
    label: changeLabel("model changed", ["prompt", "schema_version"]),
    risk: "medium",
    strategy: "progressive_rollout",
    evidence: ({ diff }) => (diff.model_changed ? changedKind(diff, "model") : undefined),
  },
  {
    id: "type_rules_changed",
    change: "type classification rules changed / types moved",
    risk: "medium",
    strategy: "progressive_rollout",
    evidence: ({ diff, types, measured }) => {
      const moved = measured ? movedTypes(types) : [];
      if (!diff.type_rules_changed && moved.length === 0) return undefined;
      return [
        ...changedKind(diff, "type_rules"),
        ...moved.map(
          (t) =>
            `${t.moved} of ${t.pairs} paired memories typed ${t.type} (${percent(t.share)}) changed type: ${t.to.map((m) => `${m.type} ${m.count}`).join(", ")}`,
        ),
      ];
    },
  },
  {
    id: "predicate_renamed",
    change: "predicate renamed or removed",
    risk: "high",
    strategy: "progressive_rollout",
    evidence: ({ vocabulary, measured }) =>
      measured &&
      vocabulary.jaccard !== null &&
      vocabulary.jaccard < JACCARD_MINIMAL_DRIFT &&
      vocabulary.only_baseline.length > 0
        ? [
            `predicate Jaccard ${vocabulary.jaccard.toFixed(3)} over the top ${vocabulary.top_k} (${jaccardBandLabel(vocabulary.band)})`,
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
    evidence: ({ pairing, diff, measured }) => {
      const changedShare = share(pairing.subject_entity_changed, pairing.pairs);
      if (!measured || pairing.pairs < MIN_PAIRS || changedShare < ENTITY_NAMING_SHARE) return undefined;
      const fallback = pairing.by_subject_object ?? 0;
      return [
        `${pairing.subject_entity_changed} of ${pairing.pairs} paired facts (${percent(changedShare)}) are about a different entity: their subjects no longer resolve to the same one`,
        ...(fallback > 0
          ? [
              `${fallback} of the ${pairing.pairs} pairs were made by subject and object, a side citing no evidence turn`,
            ]
          : []),
        ...pairing.subject_examples.map((e) => `"${e.from}" → "${e.to}"`),
        ...diff.changed
          .filter((c) => c.field === "extractor.rules.subject_naming")
          .map((c) => `${c.field}: ${c.baseline} → ${c.candidate}`),
      ];
    },
  },
  {
    id: "type_structure",
    change: "fundamental type structure changed",
    risk: "high",
    strategy: "full_reextraction",
    evidence: ({ types, measured }) =>
      measured && (types.appeared.length > 0 || types.disappeared.length > 0)
        ? [
            ...(types.appeared.length > 0 ? [`types only in candidate: ${types.appeared.join(", ")}`] : []),
            ...(types.disappeared.length > 0 ? [`types only in baseline: ${types.disappeared.join(", ")}`] : []),
          ]
        : undefined,
  },
];

const RISK_ORDER = { low: 0, medium: 1, high: 2 } as const;
const STRATEGY_ORDER = { coexist: 0, progressive_rollout: 1, full_reextraction: 2 } as const;

/** Rows that fired, with their evidence, each labelled with what changed in this diff. */
export function applyDecisionTable(input: DecisionInput): RecommendationRule[] {
  return DECISION_TABLE.flatMap((row) => {
    const evidence = row.evidence(input);
    const change = row.label ? row.label(input.diff) : row.change;
    return evidence ? [{ id: row.id, change, risk: row.risk, strategy: row.strategy, evidence }] : [];
  });
}

/**
 * The rows that read paired facts (entity naming, types moved) when too few facts paired for them to
 * say anything: drift there was not measured, and the recommendation says so instead of keeping silent.
 */
export function unmeasuredDrift(
  input: Pick<DecisionInput, "pairing" | "measured">,
  candidates: { baseline: number; candidate: number },
): string[] {
  const { pairing } = input;
  if (!input.measured || candidates.baseline === 0 || candidates.candidate === 0 || pairing.pairs >= MIN_PAIRS)
    return [];
  const how =
    pairing.by_evidence === undefined
      ? ""
      : ` (${pairing.by_evidence} by shared evidence turns, ${pairing.by_subject_object ?? 0} by subject and object)`;
  return [
    `entity naming and type moves: only ${pairing.pairs} facts of the two configs paired${how}, fewer than ${MIN_PAIRS}; ` +
      "a change of naming convention or of types could not be measured (facts pair by overlapping evidence turns, or without evidence by subjects that share a name and similar objects)",
  ];
}

/** The highest-risk row wins; between rows of equal risk, the more thorough strategy. */
export function pickWinningRule(rules: RecommendationRule[]): RecommendationRule | undefined {
  return [...rules].sort(
    (a, b) => RISK_ORDER[b.risk] - RISK_ORDER[a.risk] || STRATEGY_ORDER[b.strategy] - STRATEGY_ORDER[a.strategy],
  )[0];
}
