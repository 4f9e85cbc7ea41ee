import type { ModelClient } from "../../providers/model-runtime.js";
import type { LlmJudgeConfig } from "../../schema/bench-config.js";
import { HeuristicJudgeSchema } from "../../schema/bench-config.js";
import type { Candidate } from "../../schema/candidate.js";
import type { Conversation } from "../../schema/conversation.js";
import type { CoverageVerdict, PairwiseChoice } from "../../schema/verdict.js";
import { judgeCoverageLexically } from "../heuristic/coverage.js";
import { USEFUL_RATING, type Judge, type JudgeInput } from "../judge.js";
import { type Assessment, assessmentFromAnswers } from "./assessment.js";
import { AssessAnswerSchema, checkAnswered, JunkAnswerSchema, PairwiseAnswerSchema } from "./judge-answers.js";
import { createJudgeAsk } from "./judge-ask.js";
import {
  allCiteTurns,
  assessTask,
  conversationBlock,
  JUDGE_TEMPLATES,
  junkTask,
  pairwiseTask,
  type ConversationView,
} from "./judge-prompts.js";

export { JudgeAnswerError } from "./judge-ask.js";

/**
 * The cheap coverage match: the heuristic judge's lexical scoring at its default thresholds, and of
 * its matches only those whose evidence turns overlap the golden memory's skip the model.
 */
const CHEAP_MATCH = HeuristicJudgeSchema.parse({ provider: "heuristic" });

/** Share of the input budget the conversation may take; the task and the memories take the rest. */
const CONVERSATION_SHARE = 0.75;

function slices(indexes: number[], size: number): number[][] {
  const out: number[][] = [];
  for (let i = 0; i < indexes.length; i += size) out.push(indexes.slice(i, i + size));
  return out;
}

/**
 * An LLM judge (DESIGN §5). Every call has the same system prompt and shows the conversation first,
 * so a provider's prompt cache keeps that prefix across the tasks of one conversation; every verdict
 * gives its reason before its score. Usefulness and coverage of one side's memories come from the
 * same calls (at most `batch_size` memories each), after a cheap coverage match on evidence and
 * wording; junk is classified by category; pairwise compares the two sides in both orders.
 */
export function createLlmJudge(settings: LlmJudgeConfig, client: ModelClient): Judge {
  const budgetTokens = Math.floor(settings.max_input_tokens * CONVERSATION_SHARE);
  const ask = createJudgeAsk(settings, client);

  const known = (conversation: Conversation) => new Set(conversation.turns.map((t) => t.id));
  /** The conversation as shown with these memories: whole when it fits, or when one of them cites no turn. */
  const show = (conversation: Conversation, candidates: Candidate[], evidence: Iterable<string>): string => {
    const view: ConversationView = {
      cited: new Set(evidence),
      budgetTokens,
      whole: !allCiteTurns(candidates, known(conversation)),
    };
    return conversationBlock(conversation, view);
  };

  /** Usefulness of every memory and coverage of every golden memory the cheap match left, from the same calls. */
  async function assess(input: JudgeInput, repeat: number): Promise<Assessment> {
    const { conversation, golden, candidates } = input;
    const turns = known(conversation);
    const cheap = judgeCoverageLexically(conversation, golden, candidates, CHEAP_MATCH);
    const coverage = new Map<string, CoverageVerdict>();
    for (const verdict of cheap)
      if (verdict.covered && verdict.method === "evidence+lexical") coverage.set(verdict.golden_id, verdict);
    const rest = golden.filter((memory) => !coverage.has(memory.id));
    const asked = rest.map((m) => m.id);
    const label = `judge assess ${conversation.id}`;
    const parts = slices(
      candidates.map((_, i) => i),
      settings.batch_size,
    );
    const answers = await Promise.all(
      parts.map((part) => {
        const shown = show(
          conversation,
          part.map((i) => candidates[i]!),
          [...rest.flatMap((m) => m.evidence), ...part.flatMap((i) => candidates[i]!.evidence)],
        );
        const inPart = new Set(part);
        return ask(
          JUDGE_TEMPLATES.assess,
          conversation,
          shown,
          assessTask(candidates, part, rest, turns),
          AssessAnswerSchema,
          (value) =>
            checkAnswered(
              part,
              value.memories.map((m) => m.index),
              "memory",
            ) ??
            checkAnswered(
              asked,
              value.coverage.map((c) => c.golden_id),
              "golden memory",
            ) ??
            (value.coverage.some((c) => c.candidate_indexes.some((i) => !inPart.has(i)))
              ? "a coverage entry names a memory index that was not shown"
              : undefined),
          label,
          repeat,
        ).then((value) => ({ part, value }));
      }),
    );
    return assessmentFromAnswers(golden, coverage, answers);
  }

  // One assessment per input and repeat: usefulness() and coverage() of the same input share its calls.
  const assessments = new WeakMap<JudgeInput, Map<number, Promise<Assessment>>>();
  const assessed = (input: JudgeInput, repeat: number): Promise<Assessment> => {
    let byRepeat = assessments.get(input);
    if (!byRepeat) assessments.set(input, (byRepeat = new Map()));
    let assessment = byRepeat.get(repeat);
    if (!assessment) byRepeat.set(repeat, (assessment = assess(input, repeat)));
    return assessment;
  };

  const choice = (winner: "A" | "B" | "tie", firstIs: "baseline" | "candidate"): PairwiseChoice => {
    if (winner === "tie") return "tie";
    const secondIs = firstIs === "baseline" ? "candidate" : "baseline";
    return winner === "A" ? firstIs : secondIs;
  };

  return {
    id: `${settings.provider}:${settings.model}`,
    kind: "llm",
    description:
      `LLM judge (${settings.provider} ${settings.model}): reason first, then a usefulness rating 1–5 (useful = ${USEFUL_RATING}–5) and coverage 0–2 ` +
      `(2 = covered, 1 = partial) from the same calls, at most ${settings.batch_size} memories a call; coverage matched on evidence and wording first, ` +
      `the model for the rest; junk classified by category${settings.pairwise ? "; pairwise comparison in both orders" : ""}.`,

    async usefulness(input, options) {
      return (await assessed(input, options?.repeat ?? 0)).usefulness;
    },

    async coverage(input, options) {
      return (await assessed(input, options?.repeat ?? 0)).coverage;
    },

    async junk(input, indexes, options) {
      const { conversation, candidates } = input;
      const turns = known(conversation);
      const answers = await Promise.all(
        slices(indexes, settings.batch_size).map((part) => {
          const shown = show(
            conversation,
            part.map((i) => candidates[i]!),
            part.flatMap((i) => candidates[i]!.evidence),
          );
          return ask(
            JUDGE_TEMPLATES.junk,
            conversation,
            shown,
            junkTask(candidates, part, turns),
            JunkAnswerSchema,
            (value) =>
              checkAnswered(
                part,
                value.verdicts.map((v) => v.index),
                "memory",
              ) ??
              (value.verdicts.some((v) => v.junk && v.category === null)
                ? "a junk verdict has no category"
                : undefined),
            `judge junk ${conversation.id}`,
            options?.repeat ?? 0,
          );
        }),
      );
      return answers
        .flatMap((answer) => answer.verdicts)
        .sort((a, b) => a.index - b.index)
        .map((v) => ({
          candidate_index: v.index,
          junk: v.junk,
          category: v.junk ? v.category : null,
          reason: v.reason,
        }));
    },

    ...(settings.pairwise
      ? {
          async pairwise(input) {
            const { conversation } = input;
            const turns = known(conversation);
            const label = `judge pairwise ${conversation.id}`;
            const both = [...input.baseline, ...input.candidate];
            const shown = show(
              conversation,
              both,
              both.flatMap((c) => c.evidence),
            );
            const none = () => undefined;
            // Both orders at once; each is labelled by which side it showed first, so the record reads the same on every run.
            const [a, b] = await Promise.all([
              ask(
                JUDGE_TEMPLATES.pairwise,
                conversation,
                shown,
                pairwiseTask(input.baseline, input.candidate, turns),
                PairwiseAnswerSchema,
                none,
                `${label} (baseline first)`,
                0,
              ),
              ask(
                JUDGE_TEMPLATES.pairwise,
                conversation,
                shown,
                pairwiseTask(input.candidate, input.baseline, turns),
                PairwiseAnswerSchema,
                none,
                `${label} (candidate first)`,
                0,
              ),
            ]);
            const first = choice(a.winner, "baseline");
            const second = choice(b.winner, "candidate");
            const consistent = first === second;
            return {
              winner: consistent ? first : "tie",
              consistent,
              first,
              second,
              reason: consistent ? a.reason : `orders disagree: ${a.reason} / ${b.reason}`,
            };
          },
        }
      : {}),
  };
}
