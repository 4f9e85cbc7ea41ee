import type Anthropic from "@anthropic-ai/sdk";
import { anthropicClient, messageParams, readMessage } from "./anthropic-provider.js";
import { batchStep, type BatchApiFactory, type BatchOutcome } from "./batch-api.js";
import { classifySdkError } from "./classify-error.js";

function outcomeOf(
  result: Anthropic.Messages.MessageBatchResult,
  label: string,
  model: string,
  latencyMs: number,
): BatchOutcome {
  switch (result.type) {
    case "succeeded":
      try {
        return { ok: true, completion: readMessage(result.message, label, model, latencyMs) };
      } catch (error) {
        return { ok: false, reason: (error as Error).message };
      }
    case "errored": {
      const error = result.error?.error;
      return {
        ok: false,
        reason: `errored (${[error?.type, error?.message].filter(Boolean).join(": ") || "no error details"})`,
      };
    }
    default:
      return { ok: false, reason: result.type };
  }
}

/** Anthropic's Message Batches API (`/v1/messages/batches`) through the official SDK. */
export const createAnthropicBatchApi: BatchApiFactory = (options) => {
  const client = anthropicClient(options);
  const { model } = options.settings;
  const label = `anthropic ${model} batch`;
  const step = <T>(name: string, run: () => Promise<T>) => batchStep(classifySdkError, `${label} ${name}`, run);
  return {
    async create(items) {
      const requests = items.map((item) => ({
        custom_id: item.custom_id,
        params: messageParams(options.settings, item.request),
      }));
      return (await step("create", () => client.messages.batches.create({ requests }))).id;
    },
    async ended(id) {
      return (await step("retrieve", () => client.messages.batches.retrieve(id))).processing_status === "ended";
    },
    async results(id, latencyMs) {
      const outcomes = new Map<string, BatchOutcome>();
      await step("results", async () => {
        for await (const entry of await client.messages.batches.results(id))
          outcomes.set(entry.custom_id, outcomeOf(entry.result, label, model, latencyMs));
      });
      return outcomes;
    },
    async cancel(id) {
      await step("cancel", () => client.messages.batches.cancel(id));
    },
  };
};
