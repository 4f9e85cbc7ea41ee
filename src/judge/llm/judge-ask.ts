import { hash } from "node:crypto";
import type { z } from "zod";
import { answerFormat } from "../../providers/answer-format.js";
import { askJson } from "../../providers/ask-json.js";
import type { ModelClient } from "../../providers/model-runtime.js";
import { parseJsonAnswer } from "../../providers/parse-json-answer.js";
import type { AnswerFormat, CompletionRequest } from "../../providers/provider.js";
import { requestTemperature } from "../../providers/registry.js";
import type { LlmJudgeConfig } from "../../schema/bench-config.js";
import type { Conversation } from "../../schema/conversation.js";
import { JUDGE_SYSTEM, judgeMessage } from "./judge-prompts.js";

/** A judge answer that could not be used after its retry; the unit is recorded as a judge error. */
export class JudgeAnswerError extends Error {
  constructor(message: string) {
    super(message);
    this.name = "JudgeAnswerError";
  }
}

/**
 * The judge's one way to ask its model: the shared system prompt, the conversation first (the cache
 * key is the conversation's), the answer parsed and checked against its contract; an answer that
 * is still unusable after askJson's retry throws a JudgeAnswerError.
 */
export function createJudgeAsk(settings: LlmJudgeConfig, client: ModelClient) {
  const formats = new Map<z.ZodType, AnswerFormat>();
  return async function ask<S extends z.ZodType>(
    template: string,
    conversation: Conversation,
    shown: string,
    task: string,
    schema: S,
    check: (value: z.infer<S>) => string | undefined,
    label: string,
    repeat: number,
  ): Promise<z.infer<S>> {
    let format = formats.get(schema);
    if (!format) formats.set(schema, (format = answerFormat(template.replace(/[^A-Za-z0-9_-]/g, "_"), schema)));
    const request: CompletionRequest = {
      system: JUDGE_SYSTEM,
      messages: [{ role: "user", content: judgeMessage(shown, task) }],
      max_tokens: settings.max_tokens,
      format,
      cache_key: `judge-${hash("sha256", conversation.id, "hex").slice(0, 16)}`,
    };
    const temperature = requestTemperature(settings);
    if (temperature !== undefined) request.temperature = temperature;
    const result = await askJson(client, request, {
      template,
      label,
      repeat,
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
    throw new JudgeAnswerError(
      `${result.message} (${result.kind}${result.kind === "invalid_json" ? ", after a retry with the validation error" : ""})`,
    );
  };
}
