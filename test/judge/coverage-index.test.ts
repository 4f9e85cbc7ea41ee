import { mkdtempSync, rmSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { afterAll, describe, expect, it } from "vitest";
import {
  COMMON_WORD_MEMORIES,
  COVERING_LISTED,
  bestCoverageScore,
  judgeCoverageLexically,
  speakerTokens,
} from "../../src/judge/heuristic/coverage.js";
import { createRulesExtractor } from "../../src/extract/extractors/rules/rules-extractor.js";
import { rememberDry } from "../../src/extract/remember-dry.js";
import { loadExtractorConfig } from "../../src/load/load-config.js";
import { loadConversations, loadGolden } from "../../src/load/load-inputs.js";
import { alignToGolden, countFields } from "../../src/metrics/field-alignment.js";
import { sparseMaxWeightAssignment } from "../../src/metrics/hungarian.js";
import { HeuristicJudgeSchema } from "../../src/schema/bench-config.js";
import type { Candidate } from "../../src/schema/candidate.js";
import type { Conversation } from "../../src/schema/conversation.js";
import type { GoldenMemory } from "../../src/schema/golden.js";
import type { CoverageVerdict } from "../../src/schema/verdict.js";
import { tokenSet } from "../../src/text/tokens.js";
import { makeCandidate } from "../fixtures/candidate.js";
import { REPO } from "../cli/helpers.js";

const settings = HeuristicJudgeSchema.parse({ provider: "heuristic" });
const work = mkdtempSync(join(tmpdir(), "eb-coverage-index-"));
afterAll(() => rmSync(work, { recursive: true, force: true }));

/** The coverage rule before it was indexed: every candidate compared with every golden memory. */
function referenceScore(
  goldenText: string,
  goldenSubject: string | undefined,
  candidate: Candidate,
  speakers: ReadonlySet<string>,
): number {
  const names = new Set([...speakers, ...tokenSet(goldenSubject ?? ""), ...tokenSet(candidate.subject)]);
  const golden = new Set([...tokenSet(goldenText)].filter((t) => !names.has(t)));
  if (golden.size === 0) return 0;
  const objectTokens = new Set([...tokenSet(candidate.object)].filter((t) => !names.has(t)));
  if (![...objectTokens].some((t) => golden.has(t))) return 0;
  const carried = new Set([...tokenSet(candidate.text), ...tokenSet(candidate.predicate), ...objectTokens]);
  let shared = 0;
  for (const token of golden) if (carried.has(token)) shared++;
  return shared / golden.size;
}

function referenceCoverage(
  conversation: Conversation,
  golden: GoldenMemory[],
  candidates: Candidate[],
): CoverageVerdict[] {
  const speakers = speakerTokens(conversation);
  return golden.map((memory) => {
    const evidence = new Set(memory.evidence);
    let best = 0;
    let bestOverlaps = false;
    const covering: number[] = [];
    candidates.forEach((candidate, index) => {
      const score = Math.max(
        ...[memory.text, ...(memory.alternatives ?? [])].map((text) =>
          referenceScore(text, memory.subject, candidate, speakers),
        ),
      );
      const overlaps = candidate.evidence.some((turnId) => evidence.has(turnId));
      const threshold = overlaps ? settings.evidence_coverage_threshold : settings.coverage_threshold;
      if (score > 0 && score >= threshold) covering.push(index);
      if (score > best || (score === best && overlaps && !bestOverlaps)) {
        best = score;
        bestOverlaps = overlaps;
      }
    });
    const covered = covering.length > 0;
    return {
      golden_id: memory.id,
      covered,
      candidate_indexes: covering,
      score: Math.round(best * 1000) / 1000,
      method: !covered ? "none" : bestOverlaps ? "evidence+lexical" : "lexical",
    };
  });
}

function referenceAlignment(golden: GoldenMemory[], candidates: Candidate[], coverage: CoverageVerdict[]) {
  const covers = new Map(coverage.map((v) => [v.golden_id, new Set(v.covered ? v.candidate_indexes : [])]));
  const edges: Array<{ row: number; col: number; weight: number }> = [];
  golden.forEach((memory, row) => {
    const judged = covers.get(memory.id) ?? new Set<number>();
    candidates.forEach((candidate, col) => {
      const weight = (judged.has(col) ? 1 : 0) + referenceScore(memory.text, memory.subject, candidate, new Set());
      if (weight > 0) edges.push({ row, col, weight });
    });
  });
  return sparseMaxWeightAssignment(golden.length, candidates.length, edges).map(([row, col]) => ({
    golden: golden[row]!,
    candidate: candidates[col]!,
  }));
}

/** Both rules configs' candidates for every conversation of a dataset, with its golden memories. */
async function units(dataset: string, goldenPath: string) {
  const conversations = loadConversations(dataset);
  const golden = loadGolden(goldenPath, conversations);
  const result: Array<{ conversation: Conversation; golden: GoldenMemory[]; candidates: Candidate[] }> = [];
  for (const name of ["baseline", "candidate"]) {
    const { config } = loadExtractorConfig(join(REPO, `configs/${name}.yaml`));
    const stage = await createRulesExtractor(config.extractor as never, {} as never);
    for (const conversation of conversations) {
      const { candidates } = await rememberDry(conversation, config, stage);
      result.push({ conversation, golden: golden.filter((g) => g.conversation_id === conversation.id), candidates });
    }
  }
  return result;
}

type Generate = (dir: string, options: Record<string, number | boolean>) => { dataset: string; golden: string };
const generateDataset = async (...args: Parameters<Generate>) =>
  ((await import(join(REPO, "bench/generate.mjs"))) as { generateDataset: Generate }).generateDataset(...args);

describe("indexed coverage", () => {
  it("gives the verdicts and field alignment of comparing every pair, on the demo and on a generated set", async () => {
    const generated = await generateDataset(join(work, "distinct"), {
      conversations: 40,
      turns: 60,
      golden: 5,
      seed: 3,
      distinct: true,
    });
    const all = [
      ...(await units(join(REPO, "datasets/demo/conversations.jsonl"), join(REPO, "golden/demo/golden.jsonl"))),
      ...(await units(generated.dataset, generated.golden)),
    ];
    let covered = 0;
    for (const { conversation, golden, candidates } of all) {
      const verdicts = judgeCoverageLexically(conversation, golden, candidates, settings);
      expect(verdicts).toEqual(referenceCoverage(conversation, golden, candidates));
      const pairs = alignToGolden(new Set(), golden, candidates, verdicts);
      expect(countFields(pairs, golden)).toEqual(countFields(referenceAlignment(golden, candidates, verdicts), golden));
      covered += verdicts.filter((v) => v.covered).length;
    }
    // The comparison means something: many units, most memories covered, some not.
    expect(all.length).toBeGreaterThan(80);
    const memories = all.reduce((sum, u) => sum + u.golden.length, 0);
    expect(covered).toBeGreaterThan(memories / 2);
    expect(covered).toBeLessThan(memories);
  });

  it("on facts sharing all their object words but one, covers each memory by its own fact only", async () => {
    const generated = await generateDataset(join(work, "shared"), {
      conversations: 1,
      turns: 400,
      seed: 5,
      sharedWords: true,
    });
    const [unit] = await units(generated.dataset, generated.golden);
    const { conversation, golden, candidates } = unit!;
    expect(golden.length).toBeGreaterThan(3 * COMMON_WORD_MEMORIES);
    const verdicts = judgeCoverageLexically(conversation, golden, candidates, settings);
    // Before, every "pottery class N" covered every other one: each record listed ~65 candidates.
    const old = referenceCoverage(conversation, golden, candidates);
    expect(Math.max(...old.map((v) => v.candidate_indexes.length))).toBeGreaterThan(COVERING_LISTED);
    for (const verdict of verdicts.filter((v) => v.golden_id.includes("-r"))) {
      expect(verdict).toMatchObject({ covered: true, method: "evidence+lexical" });
      expect(verdict.candidate_indexes).toHaveLength(1);
      const number = verdict.golden_id.split("-r")[1]!;
      expect(candidates[verdict.candidate_indexes[0]!]!.object).toMatch(new RegExp(`\\b${number}\\b`));
    }
  });

  it("lists at most COVERING_LISTED covering candidates, the best, and counts them all", () => {
    const conversation = {
      id: "c1",
      scope: { namespace: "user:alice" },
      turns: [{ id: "t1", speaker: "Alice", role: "user", text: "I work at Stripe in Dublin." }],
    } as Conversation;
    const memory: GoldenMemory = {
      id: "g1",
      conversation_id: "c1",
      text: "Alice works at Stripe in Dublin",
      subject: "Alice",
      evidence: ["t1"],
    };
    const partial = Array.from({ length: 30 }, () =>
      makeCandidate({ text: "Alice works at Stripe", object: "Stripe", evidence: ["t1"], entities: [] }),
    );
    const full = makeCandidate({
      text: "Alice works at Stripe in Dublin",
      object: "Stripe in Dublin",
      evidence: ["t1"],
      entities: [],
    });
    const candidates = [...partial, full];
    const [verdict] = judgeCoverageLexically(conversation, [memory], candidates, settings);
    expect(verdict!.candidates_covering).toBe(31);
    expect(verdict!.candidate_indexes).toHaveLength(COVERING_LISTED);
    expect(verdict!.candidate_indexes).toContain(30);
    expect(verdict!.candidate_indexes).toEqual([...verdict!.candidate_indexes].sort((a, b) => a - b));
    expect(bestCoverageScore(memory, full, new Set(["alice"]))).toBe(1);
    expect(verdict!.score).toBe(1);
  });
});
