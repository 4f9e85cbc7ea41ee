import { RunError } from "../../errors.js";
import { estimateTokens } from "../../providers/limiter.js";
import type { ModelClient } from "../../providers/model-runtime.js";
import { parseJsonAnswer } from "../../providers/parse-json-answer.js";
import { ProviderError } from "../../providers/provider.js";
import type { RawCandidate } from "../../schema/candidate.js";
import type { Conversation, Turn } from "../../schema/conversation.js";
import type { SampleError, SampleErrorKind } from "../../schema/dry-run.js";
import type { LlmExtractor } from "../../schema/extractor-config.js";
import { LlmAnswerSchema } from "../../schema/llm-answer.js";
import { emptyUsage, type ExtractOutput, type ExtractStageFactory } from "../extract-stage.js";
import { EXTRACT_TEMPLATE, extractSystemPrompt, extractUserPrompt, formatTurn } from "../prompts/extract-v1.js";
import { splitIntoWindows } from "./llm-windows.js";

/** Room left in `max_input_tokens` for the conversation header and the closing line of each window. */
const WINDOW_OVERHEAD_TOKENS = 64;
/** An answer that is not valid JSON is asked for once more. */
const ATTEMPTS = 2;

export function sampleErrorKind(error: ProviderError): SampleErrorKind {
  if (error.kind === "rate_limited") return "rate_limited";
  if (error.kind === "timeout") return "timeout";
  return "provider_error";
}

interface WindowResult {
  candidates: RawCandidate[];
  jsonFailure: boolean;
  error?: SampleError;
}

async function extractWindow(
  client: ModelClient,
  extractor: LlmExtractor,
  system: string,
  conversation: Conversation,
  turns: Turn[],
  window: { index: number; count: number },
  label: string,
  usage: ExtractOutput["usage"],
): Promise<WindowResult> {
  const request = {
    system,
    messages: [{ role: "user" as const, content: extractUserPrompt(conversation, turns, window) }],
    max_tokens: extractor.max_tokens,
    temperature: extractor.temperature,
  };
  const known = new Set(conversation.turns.map((t) => t.id));
  const windowLabel = `${label} window ${window.index + 1}/${window.count}`;
  for (let attempt = 0; attempt < ATTEMPTS; attempt++) {
    let text: string;
    try {
      const answer = await client.complete(request, { template: EXTRACT_TEMPLATE, attempt, label: windowLabel });
      usage.input_tokens += answer.usage.input_tokens;
      usage.output_tokens += answer.usage.output_tokens;
      text = answer.text;
    } catch (error) {
      if (error instanceof ProviderError) return { candidates: [], jsonFailure: false, error: { kind: sampleErrorKind(error), message: error.message } };
      throw error;
    }
    const parsed = parseJsonAnswer(text, LlmAnswerSchema);
    if (parsed.ok) {
      // Evidence must point at turns of this conversation; anything else is dropped, not invented.
      const candidates = parsed.value.memories.map((memory) => ({ ...memory, evidence: memory.evidence.filter((id) => known.has(id)) }));
      return { candidates, jsonFailure: false };
    }
  }
  return { candidates: [], jsonFailure: true };
}

/**
 * The reference pipeline's extract stage with a real model: one call per window of turns that fits
 * `max_input_tokens`. A window whose answer is not valid JSON twice contributes nothing and counts
 * in `json_failures`; a call that fails after its retries fails the conversation (recorded, not thrown).
 */
export const createLlmExtractor: ExtractStageFactory<LlmExtractor> = async (extractor, context) => {
  if (!context.models) throw new RunError(`the ${extractor.provider} extractor needs a model runtime`);
  const client = await context.models.client(context.scope ?? "candidate", extractor);
  const system = extractSystemPrompt(extractor);
  const budget = extractor.max_input_tokens - estimateTokens(system) - WINDOW_OVERHEAD_TOKENS;
  return {
    async extract({ conversation, turns }): Promise<ExtractOutput> {
      const usage = emptyUsage();
      if (turns.length === 0) return { candidates: [], calls: 0, jsonFailures: 0, usage };
      const windows = splitIntoWindows(turns, budget, (turn) => estimateTokens(formatTurn(turn)) + 1);
      const label = `extract ${context.scope ?? "candidate"} ${conversation.id}`;
      const results = await Promise.all(
        windows.map((window, index) => extractWindow(client, extractor, system, conversation, window, { index, count: windows.length }, label, usage)),
      );
      const failed = results.find((r) => r.error);
      const output: ExtractOutput = {
        candidates: failed ? [] : results.flatMap((r) => r.candidates),
        calls: windows.length,
        jsonFailures: results.filter((r) => r.jsonFailure).length,
        usage,
      };
      // A conversation missing a window's memories would bias recall: it fails as a whole.
      if (failed?.error) output.error = failed.error;
      return output;
    },
  };
};
