import { toFile } from "openai";
import type OpenAI from "openai";
import { batchStep, type BatchApiFactory, type BatchOutcome } from "./batch-api.js";
import { classifySdkError } from "./classify-error.js";
import { chatBody, openaiClient, readChatCompletion } from "./openai-provider.js";

const ENDPOINT = "/v1/chat/completions";
/** Statuses after which a batch does no more work. */
const FINISHED = new Set(["completed", "expired", "cancelled", "failed"]);

/** One line of a batch's output or error file. */
interface ResultLine {
  custom_id?: string;
  response?: { status_code?: number; body?: unknown } | null;
  error?: { code?: string; message?: string } | null;
}

function outcomeOf(line: ResultLine, label: string, model: string, latencyMs: number): BatchOutcome {
  const status = line.response?.status_code;
  if (status === 200) {
    try {
      return {
        ok: true,
        completion: readChatCompletion(
          line.response!.body as OpenAI.Chat.Completions.ChatCompletion,
          label,
          model,
          latencyMs,
        ),
      };
    } catch (error) {
      return { ok: false, reason: (error as Error).message };
    }
  }
  const bodyError = (line.response?.body as { error?: { code?: string; message?: string } } | undefined)?.error;
  const error = line.error ?? bodyError;
  const detail = [error?.code, error?.message].filter(Boolean).join(": ") || "no error details";
  return { ok: false, reason: `errored (${status === undefined ? "" : `HTTP ${status}, `}${detail})` };
}

/**
 * OpenAI's Batch API through the official SDK: the calls uploaded as a JSONL file (`purpose: batch`),
 * one batch on `/v1/chat/completions`, its output and error files read back when it has finished.
 */
export const createOpenAIBatchApi: BatchApiFactory = (options) => {
  const client = openaiClient(options);
  const { model } = options.settings;
  const label = `openai ${model} batch`;
  const step = <T>(name: string, run: () => Promise<T>) => batchStep(classifySdkError, `${label} ${name}`, run);
  return {
    async create(items) {
      const lines = items.map((item) =>
        JSON.stringify({
          custom_id: item.custom_id,
          method: "POST",
          url: ENDPOINT,
          body: chatBody(options.settings, item.request),
        }),
      );
      const file = await toFile(Buffer.from(`${lines.join("\n")}\n`, "utf8"), "batch.jsonl", {
        type: "application/jsonl",
      });
      const uploaded = await step("upload", () => client.files.create({ file, purpose: "batch" }));
      return (
        await step("create", () =>
          client.batches.create({ input_file_id: uploaded.id, endpoint: ENDPOINT, completion_window: "24h" }),
        )
      ).id;
    },
    async ended(id) {
      return FINISHED.has((await step("retrieve", () => client.batches.retrieve(id))).status);
    },
    async results(id, latencyMs) {
      const batch = await step("retrieve", () => client.batches.retrieve(id));
      const outcomes = new Map<string, BatchOutcome>();
      // Answers first: a call present in both files (it should not be) keeps its answer.
      for (const fileId of [batch.error_file_id, batch.output_file_id]) {
        if (!fileId) continue;
        const text = await step("results", async () => (await client.files.content(fileId)).text());
        for (const raw of text.split("\n")) {
          if (!raw.trim()) continue;
          let line: ResultLine;
          try {
            line = JSON.parse(raw) as ResultLine;
          } catch {
            continue; // an unreadable line leaves its call unanswered: it is made live
          }
          if (typeof line.custom_id === "string")
            outcomes.set(line.custom_id, outcomeOf(line, label, model, latencyMs));
        }
      }
      return outcomes;
    },
    async cancel(id) {
      await step("cancel", () => client.batches.cancel(id));
    },
  };
};
