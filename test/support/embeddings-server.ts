import { createServer, type IncomingMessage, type ServerResponse } from "node:http";
import type { AddressInfo } from "node:net";

/** One `POST /v1/embeddings` as the server received it. */
export interface EmbeddingsRequest {
  model: string;
  input: string[];
  encoding_format?: string;
  dimensions?: number;
  /** The bearer token as received. */
  key: string | null;
}

/** What the server does with one request instead of answering it. */
export type EmbeddingsFault =
  | { status: 401 | 404 | 429 | 500; message?: string }
  /** A 200 that leaves out the last input's vector. */
  | "missing_vector"
  /** Plain float arrays whatever encoding was asked, as some compatible servers answer. */
  | "floats";

export interface EmbeddingsServer {
  /** `http://127.0.0.1:PORT/v1`, the SDK's `baseURL`. */
  url: string;
  requests: EmbeddingsRequest[];
  /** Faults for the next requests, in order. */
  faults: EmbeddingsFault[];
  /** Answer each request after this many ms (default 0), so that requests overlap. */
  delayMs: number;
  /** The most requests the server held at once. */
  maxInFlight: number;
  /** Every text embedded so far, across requests. */
  texts(): string[];
  close(): Promise<void>;
}

const DEFAULT_DIMENSIONS = 256;

/** Lowercase words; a trailing `s` dropped, so "lives" and "live" meet. */
export function words(text: string): string[] {
  return (text.toLowerCase().match(/[a-z0-9]+/g) ?? []).map((w) =>
    w.length > 3 && w.endsWith("s") ? w.slice(0, -1) : w,
  );
}

/**
 * A bag of words: one dimension per distinct word the server has seen (no two words collide while
 * there are fewer than `dimensions`), the word's count in it. Texts sharing words point alike;
 * cosine similarity counts shared words.
 */
export function bagOfWords(vocabulary: Map<string, number>): (text: string, dimensions: number) => number[] {
  return (text, dimensions) => {
    const vector = new Array<number>(dimensions).fill(0);
    for (const word of words(text)) {
      if (!vocabulary.has(word)) vocabulary.set(word, vocabulary.size);
      // Past `dimensions` words, words share dimensions (a small `dimensions` asked for on purpose).
      vector[vocabulary.get(word)! % dimensions]! += 1;
    }
    return vector;
  };
}

function send(res: ServerResponse, status: number, body: unknown): void {
  res.writeHead(status, { "content-type": "application/json" }).end(JSON.stringify(body));
}

/**
 * A loopback server speaking OpenAI's `POST /v1/embeddings` for the real SDK: bearer key checked,
 * vectors as base64 float32 when asked (the SDK's default) or as arrays, `usage.prompt_tokens` one
 * per word. `embed` makes a text's vector (default: its bag of words).
 */
export async function startEmbeddingsServer(options: {
  key: string;
  embed?: (text: string, dimensions: number) => number[];
}): Promise<EmbeddingsServer> {
  const requests: EmbeddingsRequest[] = [];
  const faults: EmbeddingsFault[] = [];
  const embed = options.embed ?? bagOfWords(new Map());
  let inFlight = 0;
  const server = createServer((req: IncomingMessage, res: ServerResponse) => {
    inFlight++;
    state.maxInFlight = Math.max(state.maxInFlight, inFlight);
    res.on("close", () => inFlight--);
    const chunks: Buffer[] = [];
    req.on("data", (c: Buffer) => chunks.push(c));
    req.on("end", () => setTimeout(() => answer(req, res, chunks), state.delayMs));
  });
  const answer = (req: IncomingMessage, res: ServerResponse, chunks: Buffer[]) => {
    if (req.method !== "POST" || req.url !== "/v1/embeddings")
      return send(res, 404, { error: { message: `no route ${req.method} ${req.url}`, type: "invalid_request_error" } });
    const body = JSON.parse(Buffer.concat(chunks).toString("utf8")) as {
      model: string;
      input: string | string[];
      encoding_format?: string;
      dimensions?: number;
    };
    const key = /^Bearer (.+)$/.exec(req.headers.authorization ?? "")?.[1] ?? null;
    const input = Array.isArray(body.input) ? body.input : [body.input];
    requests.push({
      model: body.model,
      input,
      key,
      ...(body.encoding_format ? { encoding_format: body.encoding_format } : {}),
      ...(body.dimensions ? { dimensions: body.dimensions } : {}),
    });
    const fault = faults.shift();
    if (key !== options.key)
      return send(res, 401, {
        error: {
          message: `Incorrect API key provided: ${key}`,
          type: "invalid_request_error",
          code: "invalid_api_key",
        },
      });
    if (typeof fault === "object")
      return send(res, fault.status, {
        error: { message: fault.message ?? `scripted ${fault.status}`, type: "server_error" },
      });
    const dimensions = body.dimensions ?? DEFAULT_DIMENSIONS;
    const base64 = body.encoding_format === "base64" && fault !== "floats";
    const data = input.map((text, index) => {
      const vector = embed(text, dimensions);
      const embedding = base64 ? Buffer.from(Float32Array.from(vector).buffer).toString("base64") : vector;
      return { object: "embedding", index, embedding };
    });
    if (fault === "missing_vector") data.pop();
    const tokens = input.reduce((sum, text) => sum + words(text).length, 0);
    send(res, 200, { object: "list", model: body.model, data, usage: { prompt_tokens: tokens, total_tokens: tokens } });
  };
  await new Promise<void>((resolve) => server.listen(0, "127.0.0.1", resolve));
  const state: EmbeddingsServer = {
    url: `http://127.0.0.1:${(server.address() as AddressInfo).port}/v1`,
    requests,
    faults,
    delayMs: 0,
    maxInFlight: 0,
    texts: () => requests.flatMap((r) => r.input),
    close: () =>
      new Promise<void>((resolve) => {
        server.closeAllConnections();
        server.close(() => resolve());
      }),
  };
  return state;
}
