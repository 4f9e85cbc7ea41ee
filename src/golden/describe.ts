import { formatProblem } from "../errors.js";
import { countMissingFields, type CurationWarning, type MissingFields } from "./check-golden.js";
import type { ImportOutcome } from "./import.js";
import type { ProposeOutcome } from "./propose.js";
import type { GoldenStats } from "./stats.js";
import type { ValidationOutcome } from "./validate.js";
import { displayPath } from "../text/display-path.js";
import { formatCount, formatNumber, formatPoints, formatRate } from "../text/format-number.js";
import type { SkippedItem } from "../load/import/import-result.js";

/** Everything an import left out, by reason, with examples; or that nothing was. */
export function describeSkipped(skipped: SkippedItem[]): string[] {
  if (skipped.length === 0) return ["Not imported: nothing."];
  const total = skipped.reduce((sum, s) => sum + s.count, 0);
  return [
    `Not imported or changed: ${total}`,
    ...skipped.map(
      (s) => `  ${s.reason}: ${s.count} (e.g. ${s.examples.join("; ")}${s.count > s.examples.length ? "; …" : ""})`,
    ),
  ];
}

/** How many memories lack type, subject, predicate or object, and what fills them in; empty when none does. */
export function describeMissingFields(missing: MissingFields, memories: number): string {
  if (missing.all === 0 && missing.some === 0) return "";
  const of = ` of ${formatCount(memories)} memories`;
  const textOnly =
    missing.all > 0 ? `${formatCount(missing.all)}${of} have text only (no type, subject, predicate or object)` : "";
  const some =
    missing.some > 0
      ? `${formatCount(missing.some)}${textOnly ? " more" : of} lack some of type, subject, predicate and object`
      : "";
  return `${[textOnly, some].filter(Boolean).join(", ")}; fill them in on the review page (golden review)`;
}

/** The queries file an import wrote from the source's questions, or that the source had none. */
function describeQueries(outcome: ImportOutcome): string[] {
  const queries = outcome.result.queries;
  if (queries === undefined) return [];
  if (!outcome.files.queries) return ["  (no queries.jsonl: the file has no question with an evidence turn)"];
  return [
    `  ${displayPath(outcome.files.queries)} (${counted(queries.length, "query", "queries")} from the file's questions)`,
  ];
}

export function describeImport(outcome: ImportOutcome): string {
  const { conversations, golden, skipped } = outcome.result;
  const turns = conversations.reduce((sum, c) => sum + c.turns.length, 0);
  const missing = describeMissingFields(countMissingFields(golden), golden.length);
  return [
    `Imported ${conversations.length} conversations (${turns} turns) and ${golden.length} golden memories.`,
    ...(missing ? [`Fields: ${missing}.`] : []),
    "Written:",
    `  ${displayPath(outcome.files.conversations)}`,
    `  ${displayPath(outcome.files.golden)}${golden.length === 0 ? " (empty: propose and review memories to fill it)" : ""}`,
    ...describeQueries(outcome),
    ...describeSkipped(skipped),
    "",
  ].join("\n");
}

export function describeProposals(outcome: ProposeOutcome): string {
  const lines = [
    `Proposed ${outcome.proposals.length} memories for ${outcome.conversations} conversations: ${displayPath(outcome.file)}`,
  ];
  if (outcome.failures.length > 0) {
    lines.push(`The extractor failed on ${outcome.failures.length} conversations:`);
    for (const f of outcome.failures.slice(0, 10)) lines.push(`  ${f.conversation_id}: ${f.message}`);
  }
  return `${lines.join("\n")}\n`;
}

const counted = (n: number, one: string, many = `${one}s`) => `${formatCount(n)} ${n === 1 ? one : many}`;

/** Warnings by rule, most frequent first: `near-duplicate 40, speaker-attribution 27`. */
function byRule(warnings: CurationWarning[]): string {
  const counts = new Map<string, number>();
  for (const w of warnings) counts.set(w.rule, (counts.get(w.rule) ?? 0) + 1);
  return [...counts]
    .sort(([a, x], [b, y]) => y - x || a.localeCompare(b))
    .map(([rule, n]) => `${rule} ${formatCount(n)}`)
    .join(", ");
}

/**
 * A linter's report: each error and warning on its line (`error: FILE:LINE: PATH: MESSAGE`, warnings
 * with their rule), then the verdict. Errors are what `run` refuses; warnings fail only with `strict`.
 */
export function describeValidation(outcome: ValidationOutcome, strict = false): string {
  const { errors, warnings } = outcome;
  const set = `${counted(outcome.memories, "golden memory", "golden memories")} over ${counted(outcome.conversations, "conversation")}`;
  if (errors.length === 0 && warnings.length === 0) return `Valid: ${set}.\n`;
  const lines = [
    ...errors.map((e) => `error: ${formatProblem(e)}`),
    ...warnings.map((w) => `warning: ${formatProblem(w)} [${w.rule}]`),
  ];
  const warned = warnings.length > 0 ? `${counted(warnings.length, "warning")} (${byRule(warnings)})` : "";
  if (errors.length > 0) {
    lines.push(`Invalid: ${counted(errors.length, "error")} that run refuses${warned ? `, and ${warned}` : ""}.`);
  } else if (strict) {
    lines.push(`Invalid under --strict: ${warned}; ${set}.`);
  } else {
    lines.push(
      `Valid with ${warned}: ${set}. run accepts the set; look at each warning, and pass --strict to make warnings fail.`,
    );
  }
  return `${lines.join("\n")}\n`;
}

function top(counts: Record<string, number>, max = 10): string {
  const entries = Object.entries(counts);
  const shown = entries
    .slice(0, max)
    .map(([k, v]) => `${k} ${v}`)
    .join(", ");
  return entries.length > max ? `${shown}, … (${entries.length - max} more)` : shown || "none";
}

/** The smallest change of recall and precision the set can detect, with both kinds of judge. */
function detectableLines(stats: GoldenStats): string[] {
  const d = stats.detectable_change;
  if (d.deterministic_judge === null) return ["detectable change       none: the set has no golden memories"];
  return [
    `detectable change        recall and precision (about as many candidates as golden memories), over ${d.items} verdicts:`,
    `                         ${formatPoints(d.deterministic_judge).replace(/^\+/, "")} with the heuristic judge, ${formatPoints(d.noisy_judge).replace(/^\+/, "")} with an LLM judge that flips ${formatRate(d.judge_flip_rate, 0)} of its verdicts`,
    "                         (95% paired interval excluding 0, 80% power, a change that moves memories one way; changes both ways need more)",
  ];
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
    `fields                   ${describeMissingFields(stats.memories_missing_fields, stats.memories) || "every memory has type, subject, predicate and object"}`,
    `types                    ${top(stats.types)}`,
    `predicates               ${top(stats.predicates)}`,
    ...detectableLines(stats),
    "",
  ].join("\n");
}
