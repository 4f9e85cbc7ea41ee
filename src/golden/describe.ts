import { formatProblem, type Problem } from "../errors.js";
import type { ImportOutcome } from "./import.js";
import type { ProposeOutcome } from "./propose.js";
import type { GoldenStats } from "./stats.js";
import { displayPath } from "../text/display-path.js";
import { formatNumber, formatRate } from "../text/format-number.js";
import type { SkippedItem } from "../load/import/import-result.js";

/** Everything an import left out, by reason, with examples; or that nothing was. */
export function describeSkipped(skipped: SkippedItem[]): string[] {
  if (skipped.length === 0) return ["Not imported: nothing."];
  const total = skipped.reduce((sum, s) => sum + s.count, 0);
  return [
    `Not imported or changed: ${total}`,
    ...skipped.map((s) => `  ${s.reason}: ${s.count} (e.g. ${s.examples.join("; ")}${s.count > s.examples.length ? "; …" : ""})`),
  ];
}

export function describeImport(outcome: ImportOutcome): string {
  const { conversations, golden, skipped } = outcome.result;
  const turns = conversations.reduce((sum, c) => sum + c.turns.length, 0);
  return [
    `Imported ${conversations.length} conversations (${turns} turns) and ${golden.length} golden memories.`,
    "Written:",
    `  ${displayPath(outcome.files.conversations)}`,
    `  ${displayPath(outcome.files.golden)}${golden.length === 0 ? " (empty: propose and review memories to fill it)" : ""}`,
    ...describeSkipped(skipped),
    "",
  ].join("\n");
}

export function describeProposals(outcome: ProposeOutcome): string {
  const lines = [`Proposed ${outcome.proposals.length} memories for ${outcome.conversations} conversations: ${displayPath(outcome.file)}`];
  if (outcome.failures.length > 0) {
    lines.push(`The extractor failed on ${outcome.failures.length} conversations:`);
    for (const f of outcome.failures.slice(0, 10)) lines.push(`  ${f.conversation_id}: ${f.message}`);
  }
  return `${lines.join("\n")}\n`;
}

export function describeValidation(conversations: number, memories: number, problems: Problem[]): string {
  if (problems.length === 0) return `Valid: ${memories} golden memories over ${conversations} conversations.\n`;
  return `Invalid: ${problems.length} problems\n${problems.map(formatProblem).join("\n")}\n`;
}

function top(counts: Record<string, number>, max = 10): string {
  const entries = Object.entries(counts);
  const shown = entries.slice(0, max).map(([k, v]) => `${k} ${v}`).join(", ");
  return entries.length > max ? `${shown}, … (${entries.length - max} more)` : shown || "none";
}

export function describeStats(stats: GoldenStats): string {
  const per = stats.memories_per_conversation;
  return [
    `conversations            ${stats.conversations} (${stats.conversations_without_memories} without memories)`,
    `turns                    ${stats.turns}`,
    `golden memories          ${stats.memories}`,
    `memories / conversation  mean ${formatNumber(per.mean, 2)}, median ${formatNumber(per.median, 1)}, min ${per.min}, max ${per.max}`,
    `evidence coverage        ${formatRate(stats.evidence_coverage)} of turns cited as evidence`,
    `alternative wordings     ${formatRate(stats.with_alternatives)} of memories`,
    `types                    ${top(stats.types)}`,
    `predicates               ${top(stats.predicates)}`,
    "",
  ].join("\n");
}
