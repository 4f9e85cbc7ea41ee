import { RunError } from "../../errors.js";
import { answerFormat } from "../../providers/answer-format.js";
import { estimateTokens } from "../../providers/limiter.js";
import { askJson, type AnswerFailureKind, type AskJsonResult } from "../../providers/ask-json.js";
import type { ModelClient } from "../../providers/model-runtime.js";
import { ProviderError, type AnswerFormat, type CompletionRequest } from "../../providers/provider.js";
import type { RawCandidate } from "../../schema/candidate.js";
import type { Conversation, Turn } from "../../schema/conversation.js";
import type { SampleError, SampleErrorKind } from "../../schema/dry-run.js";
import type { LlmExtractor } from "../../schema/extractor-config.js";
import { LlmAnswerSchema } from "../../schema/llm-answer.js";
import { emptyUsage, type ExtractOutput, type ExtractStageFactory } from "../extract-stage.js";
import { loadExtractPrompt, type ExtractPrompt } from "../prompts/custom-template.js";
import { readMemories, type ReadCounts, type ReadMemories } from "../read-memories.js";
import { splitIntoWindows } from "./llm-windows.js";
import { requestTemperature } from "../../providers/registry.js";

/** The bench's answer contract as structured output: `{"memories": [...]}`, every field required. */
const MEMORIES_FORMAT: AnswerFormat = answerFormat("memories", LlmAnswerSchema);

export function sampleErrorKind(error: ProviderError): SampleErrorKind {
  if (error.kind === "rate_limited") return "rate_limited";
  if (error.kind === "timeout") return "timeout";
  return "provider_error";
}

interface WindowResult {
  candidates: RawCandidate[];
  failure?: AnswerFailureKind;
  error?: SampleError;
}

/** What one conversation's windows repaired, dropped and failed, summed for its dry run. */
interface Tally {
  repairs: ReadCounts;
  dropped: ReadCounts;
  failures: ReadCounts;
}

function addCounts(into: ReadCounts, from: ReadCounts): void {
  for (const [reason, n] of Object.entries(from)) into[reason] = (into[reason] ?? 0) + n;
}

async function extractWindow(
  client: ModelClient,
  extractor: LlmExtractor,
  prompt: ExtractPrompt,
  context: { conversation: Conversation; turns: Turn[]; window: { index: number; count: number } },
  label: string,
  usage: ExtractOutput["usage"],
  tally: Tally,
): Promise<WindowResult> {
  const request: CompletionRequest = {
    system: prompt.system(context),
    messages: [{ role: "user", content: prompt.user(context) }],
    max_tokens: extractor.max_tokens,
  };
  const temperature = requestTemperature(extractor);
  if (temperature !== undefined) request.temperature = temperature;
  // A team's own answer shape is its prompt's business: the bench's schema goes only with the bench's contract.
  if (!prompt.mapAnswer) request.format = MEMORIES_FORMAT;
  const known = new Set(context.conversation.turns.map((t) => t.id));
  const windowLabel = `${label} window ${context.window.index + 1}/${context.window.count}`;
  let result: AskJsonResult<ReadMemories>;
  try {
    result = await askJson(client, request, {
      template: prompt.template,
      label: windowLabel,
      maxTokensCeiling: extractor.max_tokens_ceiling,
      parse: (text) => {
        try {
          return readMemories(text, known, prompt.mapAnswer);
        } catch (error) {
          return { ok: false, error: (error as Error).message };
        }
      },
    });
  } catch (error) {
    if (error instanceof ProviderError)
      return { candidates: [], error: { kind: sampleErrorKind(error), message: error.message } };
    throw error;
  }
  for (const name of [
    "input_tokens",
    "output_tokens",
    "reasoning_tokens",
    "cache_read_tokens",
    "cache_write_tokens",
  ] as const) {
    const n = result.usage[name];
    if (n) usage[name] = (usage[name] ?? 0) + n;
  }
  if (!result.ok) {
    tally.failures[result.kind] = (tally.failures[result.kind] ?? 0) + 1;
    return { candidates: [], failure: result.kind, error: { kind: result.kind, message: result.message } };
  }
  addCounts(tally.repairs, result.value.repairs);
  addCounts(tally.dropped, result.value.dropped);
  return { candidates: result.value.memories };
}

/**
 * The reference pipeline's extract stage with a real model: one call per window of turns that fits
 * `max_input_tokens`, the answer asked for as structured output and read leniently (each repair and
 * drop counted). A window whose answer could not be used (invalid, truncated, refused, empty) or
 * whose call failed fails the conversation, recorded with its kind: a conversation missing a
 * window's memories would read as one with fewer memories.
 */
export const createLlmExtractor: ExtractStageFactory<LlmExtractor> = async (extractor, context) => {
  if (!context.models) throw new RunError(`the ${extractor.provider} extractor needs a model runtime`);
  const prompt = await loadExtractPrompt(extractor, context.configPath);
  const client = await context.models.client(context.scope ?? "candidate", extractor);
  return {
    async extract({ conversation, turns }): Promise<ExtractOutput> {
      const usage = emptyUsage();
      if (turns.length === 0) return { candidates: [], calls: 0, jsonFailures: 0, usage };
      const budget = extractor.max_input_tokens - prompt.overheadTokens(conversation);
      const windows = splitIntoWindows(turns, budget, (turn) => estimateTokens(prompt.formatTurn(turn)) + 1);
      const label = `extract ${context.scope ?? "candidate"} ${conversation.id}`;
      const tally: Tally = { repairs: {}, dropped: {}, failures: {} };
      const results = await Promise.all(
        windows.map((window, index) =>
          extractWindow(
            client,
            extractor,
            prompt,
            { conversation, turns: window, window: { index, count: windows.length } },
            label,
            usage,
            tally,
          ),
        ),
      );
      const failed = results.find((r) => r.error);
      const output: ExtractOutput = {
        candidates: failed ? [] : results.flatMap((r) => r.candidates),
        calls: windows.length,
        jsonFailures: results.filter((r) => r.failure === "invalid_json").length,
        usage,
      };
      if (Object.keys(tally.failures).length > 0) output.answerFailures = tally.failures;
      if (Object.keys(tally.repairs).length > 0) output.repairs = tally.repairs;
      if (Object.keys(tally.dropped).length > 0) output.dropped = tally.dropped;
      if (failed?.error) output.error = failed.error;
      return output;
    },
  };
};
