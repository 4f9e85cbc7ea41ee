import type { Usage } from "../schema/dry-run.js";
import type { ModelClient } from "./model-client.js";
import type { ParsedAnswer } from "./parse-json-answer.js";
import type { Completion, CompletionRequest } from "./provider.js";

/** Why a model's answer could not be used, each counted and reported on its own. */
export type AnswerFailureKind = "invalid_json" | "truncated" | "refused" | "empty";

export interface AskJsonOptions<T> {
  /** Prompt template and version, part of the cache key. */
  template: string;
  label: string;
  repeat?: number;
  /** Reads the answer's text; its error goes back to the model on the retry and into the run log. */
  parse: (text: string) => ParsedAnswer<T>;
  /** A truncated answer is asked once more with double max_tokens, up to this many. */
  maxTokensCeiling: number;
}

export type AskJsonResult<T> =
  | { ok: true; value: T; usage: Usage; answer: Completion & { cached: boolean } }
  | { ok: false; kind: AnswerFailureKind; message: string; usage: Usage };

function addTo(sum: Usage, usage: Usage): void {
  sum.input_tokens += usage.input_tokens;
  sum.output_tokens += usage.output_tokens;
  for (const name of ["reasoning_tokens", "cache_read_tokens", "cache_write_tokens"] as const) {
    if (usage[name]) sum[name] = (sum[name] ?? 0) + usage[name];
  }
}

/** Feedback for the retry of an answer that did not match its contract: the model sees what it wrote and why it failed. */
function correction(request: CompletionRequest, text: string, problem: string): CompletionRequest {
  return {
    ...request,
    messages: [
      ...request.messages,
      { role: "assistant", content: text },
      { role: "user", content: `That answer cannot be used: ${problem}. Answer again with the corrected JSON only.` },
    ],
  };
}

function reasonOf(answer: Completion): string {
  return answer.stop_reason ? ` (stop reason ${answer.stop_reason})` : "";
}

/**
 * Ask for a JSON answer and read it, with one retry chosen by what went wrong: a truncated answer
 * is asked again with double max_tokens (up to the ceiling), an answer that does not match its
 * contract is sent back with the validation error, an empty one is asked again; a refusal is not.
 * Provider errors are thrown, as `ModelClient.complete` throws them.
 */
export async function askJson<T>(
  client: ModelClient,
  first: CompletionRequest,
  options: AskJsonOptions<T>,
): Promise<AskJsonResult<T>> {
  const usage: Usage = { input_tokens: 0, output_tokens: 0 };
  let request = first;
  let failure: { kind: AnswerFailureKind; message: string } = { kind: "empty", message: "no answer" };
  for (let attempt = 0; attempt < 2; attempt++) {
    let parsed: ParsedAnswer<T> | undefined;
    const accept = (completion: Completion) => (parsed = options.parse(completion.text)).ok;
    const answer = await client.complete(request, {
      template: options.template,
      attempt,
      repeat: options.repeat ?? 0,
      label: options.label,
      accept,
    });
    addTo(usage, answer.usage);
    if (answer.stop === "refused") {
      const said = answer.text.trim() ? `: ${answer.text.trim().slice(0, 200)}` : "";
      return {
        ok: false,
        kind: "refused",
        message: `${options.label}: the model refused to answer${reasonOf(answer)}${said}`,
        usage,
      };
    }
    if (answer.stop === "truncated") {
      const next = Math.min(request.max_tokens * 2, options.maxTokensCeiling);
      failure = {
        kind: "truncated",
        message:
          `${options.label}: the answer was cut off at max_tokens ${request.max_tokens}${reasonOf(answer)}` +
          (attempt > 0 || next <= request.max_tokens
            ? `; raise max_tokens (and max_tokens_ceiling) to ${request.max_tokens * 2} or more`
            : ""),
      };
      if (next <= request.max_tokens) break;
      request = { ...request, max_tokens: next };
      continue;
    }
    if (answer.stop === "empty") {
      failure = { kind: "empty", message: `${options.label}: the model gave an empty answer${reasonOf(answer)}` };
      continue;
    }
    parsed ??= options.parse(answer.text);
    if (parsed.ok) return { ok: true, value: parsed.value, usage, answer };
    failure = { kind: "invalid_json", message: `${options.label}: ${parsed.error}` };
    request = correction(request, answer.text, parsed.error);
  }
  return { ok: false, ...failure, usage };
}
