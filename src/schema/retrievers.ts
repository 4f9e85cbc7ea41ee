import { z } from "zod";
import { CommandExtractorSchema, HttpExtractorSchema } from "./extractor-config.js";
import { modelSettingsFields } from "./model-settings.js";

const envVarName = z.string().regex(/^[A-Za-z_][A-Za-z0-9_]*$/, "expected an environment variable name");

/** Embeddings from an OpenAI-compatible `/v1/embeddings` endpoint, ranked by cosine similarity. */
export const EmbeddingsRetrieverSettingsSchema = z
  .object({
    kind: z.literal("embeddings"),
    model: z
      .string()
      .min(1)
      .describe("Embedding model as the server spells it, e.g. `text-embedding-3-small` or `nomic-embed-text`."),
    base_url: modelSettingsFields.base_url,
    api_key_env: envVarName
      .default("OPENAI_API_KEY")
      .describe(
        "Environment variable holding the API key; a local server that takes none can be given any non-empty value. Default OPENAI_API_KEY.",
      ),
    dimensions: z
      .number()
      .int()
      .min(1)
      .max(16_384)
      .optional()
      .describe("Vector size asked of models that can shorten theirs (`dimensions`). Default: the model's own."),
    fuse_bm25: z
      .number()
      .min(0)
      .max(1)
      .optional()
      .describe(
        "Fuse with the BM25 ranking by reciprocal rank fusion, BM25's share of the weight (0–1; 0.5 weighs both alike). Default: embeddings alone.",
      ),
    batch_size: z.number().int().min(1).max(2048).default(64).describe("Texts embedded per request. Default 64."),
    timeout_ms: modelSettingsFields.timeout_ms
      .default(60_000)
      .describe("Give up on one request after this many milliseconds (then retried). Default 60000."),
  })
  .strict();

const { timeout_ms: programTimeout, max_output_bytes: maxOutputBytes } = CommandExtractorSchema.shape;
const { headers } = HttpExtractorSchema.shape;

const storeOnce = z
  .boolean()
  .default(false)
  .describe(
    "Send each store's memories once, keyed by `store_id`, and then only the id with each query, instead of the whole store with every query. Default false.",
  );

/** The team's own retrieval as a program: one search per run, the store and the query on stdin, ranked ids on stdout. */
export const CommandRetrieverSettingsSchema = z
  .object({
    kind: z.literal("command"),
    command: z
      .array(z.string().min(1))
      .min(1)
      .describe(
        'Program and arguments; it reads `{store, query, k}` JSON on stdin and prints `{"ids": [...]}` (or a bare array).',
      ),
    cwd: z
      .string()
      .optional()
      .describe("Working directory, relative to the bench file. Default: the bench file's folder."),
    timeout_ms: programTimeout.describe(
      "Kill the program and everything it started after this many milliseconds (at most an hour). Default 30000.",
    ),
    max_output_bytes: maxOutputBytes.describe(
      "An answer longer than this many bytes on stdout is a failed search, not read further. Default 16 MiB.",
    ),
    store_once: storeOnce.describe(
      "Write each store once to a JSON file and send the program `{store: {store_id, scope, file}}` instead of the memories with every query; the program may index the file once per `store_id`. Default false.",
    ),
  })
  .strict();

/** The team's own retrieval as an HTTP endpoint: the same protocol as `command`, over POST. */
export const HttpRetrieverSettingsSchema = z
  .object({
    kind: z.literal("http"),
    url: z
      .url({ protocol: /^https?$/, error: "expected an http(s) URL such as https://memory.internal/debug-retrieval" })
      .describe('Receives `POST {store, query, k}` JSON and answers `{"ids": [...]}` (or a bare array).'),
    headers: headers.describe(
      "Request headers whose values come from environment variables, e.g. `Authorization: {env: RETRIEVAL_TOKEN}`. Values are never logged. Default: none.",
    ),
    timeout_ms: z
      .number()
      .int()
      .min(1)
      .max(3_600_000)
      .default(30_000)
      .describe("Give up on one request after this many milliseconds. Default 30000."),
    store_once: storeOnce.describe(
      "POST each store once as `{store: {store_id, scope, memories}}` (no query), then only `{store: {store_id, scope}, query, k}` per query. Default false.",
    ),
  })
  .strict();

/** What a team's retrieval answers: `{"ids": [...]}` or a bare array of memory ids, best first. */
export const RetrieverAnswerSchema = z.union([
  z.array(z.string().min(1)),
  z.object({ ids: z.array(z.string().min(1)) }).loose(),
]);

export type EmbeddingsRetrieverSettings = z.infer<typeof EmbeddingsRetrieverSettingsSchema>;
export type CommandRetrieverSettings = z.infer<typeof CommandRetrieverSettingsSchema>;
export type HttpRetrieverSettings = z.infer<typeof HttpRetrieverSettingsSchema>;
