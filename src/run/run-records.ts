import type { JudgeInput } from "../judge/judge.js";
import { alignToGolden, countFields } from "../metrics/field-alignment.js";
import type { Candidate } from "../schema/candidate.js";
import type { Conversation } from "../schema/conversation.js";
import type { DryRunResult } from "../schema/dry-run.js";
import {
  FORMAT_VERSION,
  type EvidenceTurn,
  type JudgementRecord,
  type RunEnd,
  type RunStart,
} from "../schema/run-log.js";
import type { RunPhase } from "../schema/run-phase.js";
import type { CoverageVerdict, JunkVerdict } from "../schema/verdict.js";
import { TOOL_VERSION } from "../version.js";
import { inputHashes } from "./input-hashes.js";
import { displayPath, type RunPlan } from "./plan.js";

export function newRunId(now: Date): string {
  const stamp = now
    .toISOString()
    .replace(/[-:]/g, "")
    .replace(/\.\d+Z$/, "")
    .replace("T", "-");
  return `${stamp}-${Math.random().toString(16).slice(2, 8)}`;
}

/** The record a new run's log begins with: what was run, on what, and the hashes a resume checks. */
export function runStartRecord(plan: RunPlan, runId: string, startedAt: Date): RunStart {
  return {
    kind: "run_start",
    format_version: FORMAT_VERSION,
    run_id: runId,
    started_at: startedAt.toISOString(),
    tool_version: TOOL_VERSION,
    bench: plan.bench,
    configs: {
      baseline: { path: displayPath(plan.configs.baseline.path), config: plan.configs.baseline.config },
      candidate: { path: displayPath(plan.configs.candidate.path), config: plan.configs.candidate.config },
    },
    dataset: {
      path: displayPath(plan.paths.dataset),
      conversations: plan.conversations.size,
      turns: plan.conversations.turns,
    },
    golden: { path: displayPath(plan.paths.golden), memories: plan.golden.count },
    ...(plan.labels && plan.paths.labels
      ? { labels: { path: displayPath(plan.paths.labels), items: plan.labels } }
      : {}),
    judge: { id: plan.judge.id, kind: plan.judge.kind, description: plan.judge.description },
    inputs: inputHashes(plan),
    ...(plan.shard ? { shard: plan.shard } : {}),
  };
}

/** The record a part of a run ends with: how it ended, when, and the wall time of the phases it went through. */
export function runEndRecord(status: NonNullable<RunEnd["status"]>, began: Date, phases: RunPhase[]): RunEnd {
  const finishedAt = new Date();
  return {
    kind: "run_end",
    finished_at: finishedAt.toISOString(),
    duration_ms: finishedAt.getTime() - began.getTime(),
    phases,
    status,
  };
}

/** A dry run that threw (a bug or an unexpected fault in an extractor) is recorded, not fatal. */
export function failedDryRun(conversation: Conversation, error: unknown): DryRunResult {
  return {
    conversation_id: conversation.id,
    candidates: [],
    counts: {
      turns: conversation.turns.length,
      prefiltered_turns: 0,
      extract_calls: 0,
      extracted: 0,
      json_failures: 0,
      resolved_by_stage: { exact: 0, alias: 0, fuzzy: 0, fallback: 0 },
      deduped: 0,
    },
    usage: { input_tokens: 0, output_tokens: 0 },
    latency_ms: 0,
    error: { kind: "extractor_error", message: error instanceof Error ? error.message : String(error) },
  };
}

/** What a coverage record carries for the report: the missed memories' text and evidence turns, and the field agreement. */
export function coverageDetails(
  input: JudgeInput,
  items: CoverageVerdict[],
): Pick<Extract<JudgementRecord, { task: "coverage" }>, "missed_evidence" | "missed_text" | "fields"> {
  const covered = new Set(items.filter((v) => v.covered).map((v) => v.golden_id));
  const turns = new Map(input.conversation.turns.map((t) => [t.id, t]));
  const missed_evidence: Record<string, EvidenceTurn[]> = {};
  const missed_text: Record<string, string> = {};
  for (const memory of input.golden) {
    if (covered.has(memory.id)) continue;
    missed_text[memory.id] = memory.text;
    missed_evidence[memory.id] = memory.evidence.flatMap((id) => {
      const turn = turns.get(id);
      return turn ? [{ id, speaker: turn.speaker, text: turn.text }] : [];
    });
  }
  // Aligned as the report always has: without the speakers, so subjects alone are compared.
  const fields = countFields(alignToGolden(new Set(), input.golden, input.candidates, items), input.golden);
  return { missed_evidence, missed_text, fields };
}

/** The text of the candidates judged junk, by index, so the report can quote them. */
export function junkTexts(items: JunkVerdict[], candidates: Candidate[]): Record<string, string> {
  const texts: Record<string, string> = {};
  for (const verdict of items)
    if (verdict.junk && candidates[verdict.candidate_index])
      texts[String(verdict.candidate_index)] = candidates[verdict.candidate_index]!.text;
  return texts;
}

/** Start timing a phase; the returned function stops it and gives the phase's record. */
export function timePhase(name: RunPhase["name"], units: number): () => RunPhase {
  const started = performance.now();
  return () => ({ name, wall_ms: Math.round(performance.now() - started), units });
}
