import type { ModelClient } from "../../providers/model-runtime.js";
import { answerFormat } from "../../providers/answer-format.js";
import { askJson } from "../../providers/ask-json.js";
import { parseJsonAnswer } from "../../providers/parse-json-answer.js";
import type { AnswerFormat, CompletionRequest } from "../../providers/provider.js";
import type { LlmJudgeConfig } from "../../schema/bench-config.js";
import { HeuristicJudgeSchema } from "../../schema/bench-config.js";
import type { CoverageVerdict, PairwiseChoice } from "../../schema/verdict.js";
import type { z } from "zod";
import { judgeCoverageLexically } from "../heuristic/coverage.js";
import { USEFUL_RATING, type Judge, type JudgeOptions } from "../judge.js";
import { checkAnswered, CoverageAnswerSchema, JunkAnswerSchema, PairwiseAnswerSchema, RatingsAnswerSchema } from "./judge-answers.js";
import type { Candidate } from "../../schema/candidate.js";
import {
  COVERAGE_SYSTEM,
  type ConversationView,
  coveragePrompt,
  JUDGE_TEMPLATES,
  JUNK_SYSTEM,
  PAIRWISE_SYSTEM,
  pairwisePrompt,
  USEFULNESS_SYSTEM,
  memoriesPrompt,
} from "./judge-prompts.js";

/** Candidates rated or classified per call. */
const BATCH = 25;

/**
 * The cheap coverage match: the heuristic judge's lexical scoring at its default thresholds, and of
 * its matches only those whose evidence turns overlap the golden memory's skip the model.
 */
const CHEAP_MATCH = HeuristicJudgeSchema.parse({ provider: "heuristic" });

/** A judge answer that failed validation twice; the unit is recorded as a judge error. */
export class JudgeAnswerError extends Error {
  constructor(message: string) {
    super(message);
    this.name = "JudgeAnswerError";
  }
}

function batches(indexes: number[]): number[][] {
  const out: number[][] = [];
  for (let i = 0; i < indexes.length; i += BATCH) out.push(indexes.slice(i, i + BATCH));
  return out;
}

/**
 * An LLM judge (DESIGN §5): usefulness 1–5 with a reason, coverage (cheap match first, the model for
 * the rest), junk with categories, and an optional pairwise comparison judged in both orders.
 */
export function createLlmJudge(settings: LlmJudgeConfig, client: ModelClient): Judge {
  const formats = new Map<z.ZodType, AnswerFormat>();
  async function ask<S extends z.ZodType>(
    template: string,
    system: string,
    prompt: string,
    schema: S,
    check: (value: z.infer<S>) => string | undefined,
    label: string,
    options: JudgeOptions = {},
  ): Promise<z.infer<S>> {
    let format = formats.get(schema);
    if (!format) formats.set(schema, (format = answerFormat(template.replace(/[^A-Za-z0-9_-]/g, "_"), schema)));
    const request: CompletionRequest = { system, messages: [{ role: "user", content: prompt }], max_tokens: settings.max_tokens, format };
    if (settings.provider === "openai" && settings.temperature !== undefined) request.temperature = settings.temperature;
    const result = await askJson(client, request, {
      template,
      label,
      repeat: options.repeat ?? 0,
      maxTokensCeiling: settings.max_tokens_ceiling,
      parse: (text) => {
        const parsed = parseJsonAnswer(text, schema);
        if (!parsed.ok) return parsed;
        const problem = check(parsed.value);
        return problem ? { ok: false, error: `the answer does not match the contract: ${problem}` } : parsed;
      },
    });
    client.noteJudgeAnswer(result.ok ? undefined : result.message);
    if (result.ok) return result.value;
    throw new JudgeAnswerError(`${result.message} (${result.kind}${result.kind === "invalid_json" ? ", after a retry with the validation error" : ""})`);
  }

  /** Half the input budget for the conversation; the memories and instructions take the rest. */
  const view = (evidence: Iterable<string>): ConversationView => ({ cited: new Set(evidence), budgetTokens: Math.floor(settings.max_input_tokens / 2) });
  const evidenceOf = (candidates: Candidate[]) => candidates.flatMap((c) => c.evidence);

  const choice = (winner: "A" | "B" | "tie", firstIs: "baseline" | "candidate"): PairwiseChoice => {
    if (winner === "tie") return "tie";
    const secondIs = firstIs === "baseline" ? "candidate" : "baseline";
    return winner === "A" ? firstIs : secondIs;
  };

  return {
    id: `${settings.provider}:${settings.model}`,
    kind: "llm",
    description:
      `LLM judge (${settings.provider} ${settings.model}): usefulness rated 1–5 (useful = ${USEFUL_RATING}–5); coverage matched on evidence and wording first, ` +
      `the model for the rest; junk classified by category${settings.pairwise ? "; pairwise comparison in both orders" : ""}.`,

    async usefulness(input, options) {
      const verdicts = [];
      const label = `judge usefulness ${input.conversation.id}`;
      for (const batch of batches(input.candidates.map((_, i) => i))) {
        const answer = await ask(JUDGE_TEMPLATES.usefulness, USEFULNESS_SYSTEM, memoriesPrompt(input.conversation, view(evidenceOf(batch.map((i) => input.candidates[i]!))), input.candidates, batch), RatingsAnswerSchema,
          (value) => checkAnswered(batch, value.ratings.map((r) => r.index), "memory"), label, options);
        const byIndex = new Map(answer.ratings.map((r) => [r.index, r]));
        for (const index of batch) {
          const { rating, reason } = byIndex.get(index)!;
          verdicts.push({ candidate_index: index, rating, useful: rating >= USEFUL_RATING, reason });
        }
      }
      return verdicts;
    },

    async coverage(input, options) {
      const cheap = judgeCoverageLexically(input.conversation, input.golden, input.candidates, CHEAP_MATCH);
      const verdicts = new Map<string, CoverageVerdict>();
      for (const verdict of cheap) if (verdict.covered && verdict.method === "evidence+lexical") verdicts.set(verdict.golden_id, verdict);
      const rest = input.golden.filter((memory) => !verdicts.has(memory.id));
      if (rest.length > 0 && input.candidates.length > 0) {
        const asked = rest.map((m) => m.id);
        const answer = await ask(JUDGE_TEMPLATES.coverage, COVERAGE_SYSTEM, coveragePrompt(input.conversation, view([...rest.flatMap((m) => m.evidence), ...evidenceOf(input.candidates)]), rest, input.candidates), CoverageAnswerSchema,
          (value) =>
            checkAnswered(asked, value.coverage.map((c) => c.golden_id), "golden memory") ??
            (value.coverage.some((c) => c.candidate_indexes.some((i) => i >= input.candidates.length)) ? "the answer names a memory index that does not exist" : undefined),
          `judge coverage ${input.conversation.id}`, options);
        for (const entry of answer.coverage) {
          const indexes = [...new Set(entry.candidate_indexes)].sort((a, b) => a - b);
          verdicts.set(entry.golden_id, { golden_id: entry.golden_id, covered: indexes.length > 0, candidate_indexes: indexes, score: indexes.length > 0 ? 1 : 0, method: "llm" });
        }
      }
      return input.golden.map(
        (memory) => verdicts.get(memory.id) ?? { golden_id: memory.id, covered: false, candidate_indexes: [], score: 0, method: "none" as const },
      );
    },

    async junk(input, indexes, options) {
      const verdicts = [];
      for (const batch of batches(indexes)) {
        const answer = await ask(JUDGE_TEMPLATES.junk, JUNK_SYSTEM, memoriesPrompt(input.conversation, view(evidenceOf(batch.map((i) => input.candidates[i]!))), input.candidates, batch), JunkAnswerSchema,
          (value) =>
            checkAnswered(batch, value.verdicts.map((v) => v.index), "memory") ??
            (value.verdicts.some((v) => v.junk && v.category === null) ? "a junk verdict has no category" : undefined),
          `judge junk ${input.conversation.id}`, options);
        const byIndex = new Map(answer.verdicts.map((v) => [v.index, v]));
        for (const index of batch) {
          const v = byIndex.get(index)!;
          verdicts.push({ candidate_index: index, junk: v.junk, category: v.junk ? v.category : null, reason: v.reason });
        }
      }
      return verdicts;
    },

    ...(settings.pairwise
      ? {
          async pairwise(input) {
            const label = `judge pairwise ${input.conversation.id}`;
            const none = () => undefined;
            const seen = view([...evidenceOf(input.baseline), ...evidenceOf(input.candidate)]);
            // One order after the other, so the order-swap record reads the same on every run.
            const a = await ask(JUDGE_TEMPLATES.pairwise, PAIRWISE_SYSTEM, pairwisePrompt(input.conversation, seen, input.baseline, input.candidate), PairwiseAnswerSchema, none, `${label} (baseline first)`);
            const b = await ask(JUDGE_TEMPLATES.pairwise, PAIRWISE_SYSTEM, pairwisePrompt(input.conversation, seen, input.candidate, input.baseline), PairwiseAnswerSchema, none, `${label} (candidate first)`);
            const first = choice(a.winner, "baseline");
            const second = choice(b.winner, "candidate");
            const consistent = first === second;
            return { winner: consistent ? first : "tie", consistent, first, second, reason: consistent ? a.reason : `orders disagree: ${a.reason} / ${b.reason}` };
          },
        }
      : {}),
  };
}
