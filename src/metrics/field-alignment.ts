import type { Candidate } from "../schema/candidate.js";
import type { GoldenMemory } from "../schema/golden.js";
import type { FieldAlignment, FieldName, MatchMode, SideFieldScores } from "../schema/report.js";
import { FIELD_NAMES, MATCH_MODES } from "../schema/constants.js";
import type { FieldCounts } from "../schema/run-log.js";
import type { CoverageVerdict } from "../schema/verdict.js";
import { CoverageIndex, coverageScore } from "../judge/heuristic/coverage.js";
import { nameTokens } from "../extract/resolve-refs.js";
import { predicateKey, tokenSet } from "../text/tokens.js";
import { difference, ratio } from "./numbers.js";
import { sparseMaxWeightAssignment } from "./hungarian.js";

/** A golden memory and the candidate aligned to it. */
export interface AlignedPair {
  golden: GoldenMemory;
  candidate: Candidate;
}

/**
 * Optimal one-to-one alignment of a conversation's candidates to its golden memories: Hungarian
 * assignment maximizing total similarity, where similarity is the judge's: a coverage verdict that
 * names the candidate counts 1, plus the lexical share of the golden memory the candidate carries.
 * Pairs with no similarity at all stay unaligned.
 */
export function alignToGolden(
  conversationSpeakers: ReadonlySet<string>,
  golden: GoldenMemory[],
  candidates: Candidate[],
  coverage: CoverageVerdict[],
): AlignedPair[] {
  const covers = new Map(coverage.map((v) => [v.golden_id, new Set(v.covered ? v.candidate_indexes : [])]));
  const edges: Array<{ row: number; col: number; weight: number }> = [];
  const index = new CoverageIndex(golden, candidates, conversationSpeakers);
  golden.forEach((memory, row) => {
    const judged = covers.get(memory.id) ?? new Set<number>();
    for (const col of new Set([...judged, ...index.reachable(memory)])) {
      const candidate = candidates[col];
      if (!candidate) continue;
      const weight =
        (judged.has(col) ? 1 : 0) +
        coverageScore(memory.text, memory.subject, candidate, conversationSpeakers, index.common);
      if (weight > 0) edges.push({ row, col, weight });
    }
  });
  return sparseMaxWeightAssignment(golden.length, candidates.length, edges).map(([row, col]) => ({
    golden: golden[row]!,
    candidate: candidates[col]!,
  }));
}

function fieldOf(value: GoldenMemory | Candidate, field: FieldName): string | undefined {
  const raw = value[field];
  return typeof raw === "string" && raw.trim() !== "" ? raw.trim() : undefined;
}

/**
 * WebNLG+-style agreement of one field: `strict` identical strings; `exact` equal once case,
 * separators and titles are normalized (`worksAt` = `works_at`, "Dr. Priya Sharma" = "priya sharma");
 * `partial` sharing a content word.
 */
export function fieldMatches(field: FieldName, golden: string, candidate: string, mode: MatchMode): boolean {
  if (golden === candidate) return true;
  if (mode === "strict") return false;
  const exact =
    field === "predicate"
      ? predicateKey(golden) === predicateKey(candidate)
      : field === "subject"
        ? nameTokens(golden).join(" ") === nameTokens(candidate).join(" ")
        : golden
            .toLowerCase()
            .replace(/[^\p{L}\p{N}]+/gu, " ")
            .trim() ===
          candidate
            .toLowerCase()
            .replace(/[^\p{L}\p{N}]+/gu, " ")
            .trim();
  if (exact || mode === "exact") return exact;
  const a = tokenSet(golden);
  return [...tokenSet(candidate)].some((t) => a.has(t));
}

/** Counts of one unit (or a sum of units): what field scores are computed from. */
export function emptyFieldCounts(): FieldCounts {
  const modes = () => ({ strict: 0, exact: 0, partial: 0 });
  return {
    aligned: 0,
    golden: 0,
    stated: { subject: 0, predicate: 0, object: 0, type: 0 },
    matched: { subject: modes(), predicate: modes(), object: modes(), type: modes() },
  };
}

/** Per field: golden memories that state it, and aligned pairs that agree on it in each match mode. */
export function countFields(pairs: AlignedPair[], golden: GoldenMemory[]): FieldCounts {
  const counts = emptyFieldCounts();
  counts.aligned = pairs.length;
  counts.golden = golden.length;
  for (const field of FIELD_NAMES) {
    counts.stated[field] = golden.filter((m) => fieldOf(m, field) !== undefined).length;
    for (const pair of pairs) {
      const g = fieldOf(pair.golden, field);
      const c = fieldOf(pair.candidate, field);
      if (g === undefined || c === undefined) continue;
      for (const mode of MATCH_MODES) if (fieldMatches(field, g, c, mode)) counts.matched[field][mode]++;
    }
  }
  return counts;
}

/** Add `more` into `into`. */
export function addFieldCounts(into: FieldCounts, more: FieldCounts): void {
  into.aligned += more.aligned;
  into.golden += more.golden;
  for (const field of FIELD_NAMES) {
    into.stated[field] += more.stated[field];
    for (const mode of MATCH_MODES) into.matched[field][mode] += more.matched[field][mode];
  }
}

/**
 * Field scores of one config from its field counts: per field and mode, matched pairs, precision
 * (over all candidates), recall (over the golden memories that state the field) and F1.
 */
export function scoreFieldCounts(counts: FieldCounts, candidates: number): SideFieldScores {
  const fields = Object.fromEntries(
    FIELD_NAMES.map((field) => {
      const modes = Object.fromEntries(
        MATCH_MODES.map((mode) => {
          const matched = counts.matched[field][mode];
          const precision = ratio(matched, candidates);
          const recall = ratio(matched, counts.stated[field]);
          const f1 =
            precision === null || recall === null
              ? null
              : precision + recall === 0
                ? 0
                : (2 * precision * recall) / (precision + recall);
          return [mode, { matched, precision, recall, f1 }];
        }),
      );
      return [field, modes];
    }),
  ) as SideFieldScores["fields"];
  return { aligned: counts.aligned, candidates, golden: counts.golden, fields };
}

/** Field scores of one config from its aligned pairs (see scoreFieldCounts). */
export function scoreFields(pairs: AlignedPair[], candidates: number, golden: GoldenMemory[]): SideFieldScores {
  return scoreFieldCounts(countFields(pairs, golden), candidates);
}

export function compareFieldScores(baseline: SideFieldScores, candidate: SideFieldScores): FieldAlignment {
  const delta = Object.fromEntries(
    FIELD_NAMES.map((field) => [
      field,
      Object.fromEntries(
        MATCH_MODES.map((mode) => [
          mode,
          difference(candidate.fields[field][mode].f1, baseline.fields[field][mode].f1),
        ]),
      ),
    ]),
  ) as FieldAlignment["delta"];
  return { baseline, candidate, delta };
}
