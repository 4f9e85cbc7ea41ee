import type { Candidate } from "../schema/candidate.js";
import type { GoldenMemory } from "../schema/golden.js";
import type { FieldAlignment, FieldName, MatchMode, SideFieldScores } from "../schema/report.js";
import { FIELD_NAMES, MATCH_MODES } from "../schema/report.js";
import type { CoverageVerdict } from "../schema/verdict.js";
import { coverageScore, objectWordIndex } from "../judge/heuristic/coverage.js";
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
  const reachableFrom = objectWordIndex(candidates);
  golden.forEach((memory, row) => {
    const judged = covers.get(memory.id) ?? new Set<number>();
    for (const col of new Set([...judged, ...reachableFrom(memory)])) {
      const candidate = candidates[col];
      if (!candidate) continue;
      const weight = (judged.has(col) ? 1 : 0) + coverageScore(memory.text, memory.subject, candidate, conversationSpeakers);
      if (weight > 0) edges.push({ row, col, weight });
    }
  });
  return sparseMaxWeightAssignment(golden.length, candidates.length, edges).map(([row, col]) => ({ golden: golden[row]!, candidate: candidates[col]! }));
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
    field === "predicate" ? predicateKey(golden) === predicateKey(candidate)
    : field === "subject" ? nameTokens(golden).join(" ") === nameTokens(candidate).join(" ")
    : golden.toLowerCase().replace(/[^\p{L}\p{N}]+/gu, " ").trim() === candidate.toLowerCase().replace(/[^\p{L}\p{N}]+/gu, " ").trim();
  if (exact || mode === "exact") return exact;
  const a = tokenSet(golden);
  return [...tokenSet(candidate)].some((t) => a.has(t));
}

/**
 * Field scores of one config from its aligned pairs: per field and mode, matched pairs, precision
 * (over all candidates), recall (over the golden memories that state the field) and F1.
 */
export function scoreFields(pairs: AlignedPair[], candidates: number, golden: GoldenMemory[]): SideFieldScores {
  const fields = Object.fromEntries(
    FIELD_NAMES.map((field) => {
      const stated = golden.filter((m) => fieldOf(m, field) !== undefined).length;
      const modes = Object.fromEntries(
        MATCH_MODES.map((mode) => {
          const matched = pairs.filter((p) => {
            const g = fieldOf(p.golden, field);
            const c = fieldOf(p.candidate, field);
            return g !== undefined && c !== undefined && fieldMatches(field, g, c, mode);
          }).length;
          const precision = ratio(matched, candidates);
          const recall = ratio(matched, stated);
          const f1 = precision === null || recall === null ? null : precision + recall === 0 ? 0 : (2 * precision * recall) / (precision + recall);
          return [mode, { matched, precision, recall, f1 }];
        }),
      );
      return [field, modes];
    }),
  ) as SideFieldScores["fields"];
  return { aligned: pairs.length, candidates, golden: golden.length, fields };
}

export function compareFieldScores(baseline: SideFieldScores, candidate: SideFieldScores): FieldAlignment {
  const delta = Object.fromEntries(
    FIELD_NAMES.map((field) => [
      field,
      Object.fromEntries(MATCH_MODES.map((mode) => [mode, difference(candidate.fields[field][mode].f1, baseline.fields[field][mode].f1)])),
    ]),
  ) as FieldAlignment["delta"];
  return { baseline, candidate, delta };
}

