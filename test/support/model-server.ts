import { createServer, type IncomingMessage, type ServerResponse } from "node:http";
import type { AddressInfo } from "node:net";

/** What the server does with one request. */
export type Scripted =
  | string
  | { text: string; input_tokens?: number; output_tokens?: number; /** Answer after this many ms, as a slow model would. */ delay_ms?: number }
  | { fault: "rate_limit"; retryAfterSeconds?: number }
  | { fault: "server_error" }
  | { fault: "overloaded" }
  | { fault: "delay"; ms: number }
  | { fault: "drop" }
  | { fault: "non_json" }
  | { fault: "unauthorized" };

export interface RecordedRequest {
  protocol: "anthropic" | "openai";
  body: Record<string, unknown>;
  /** The key as received, and the header that carried it. */
  key: string | null;
  keyHeader: "x-api-key" | "bearer" | null;
  system: string;
  /** All user message text, joined. */
  user: string;
  /** The id of the batch that carried this call; absent for a live call. */
  batch?: string;
}

export type Responder = (request: RecordedRequest, index: number) => Scripted;

/** How one submitted batch behaves; each call in it is answered by the responder as a live call would be. */
export interface BatchScript {
  /** Status polls answered "in progress" before the batch ends. Default 0. */
  pollsBeforeEnd?: number;
  /** The batch expires instead of completing: every call comes back expired. Default false. */
  expire?: boolean;
}

/** A batch the server holds. */
export interface ServerBatch {
  protocol: RecordedRequest["protocol"];
  id: string;
  calls: Array<{ custom_id: string; request: RecordedRequest }>;
  polls: number;
  state: "in_progress" | "ended" | "expired" | "cancelled";
  script: BatchScript;
}

/** A hit on a batch endpoint (create, upload, retrieve, results, cancel). */
export interface BatchHit {
  method: string;
  path: string;
  /** The key as received. */
  key: string | null;
}

export interface ModelServer {
  /** Base URL as the Anthropic SDK takes it. */
  anthropicUrl: string;
  /** Base URL as the OpenAI SDK takes it. */
  openaiUrl: string;
  /** Live model calls (`/v1/messages`, `/chat/completions`). */
  requests: RecordedRequest[];
  /** Every request to a batch or file endpoint, in order. */
  batchHits: BatchHit[];
  batches: ServerBatch[];
  setResponder(responder: Responder): void;
  /** How batches submitted from now on behave (default: end at the first poll). */
  setBatchScript(script: (batch: Pick<ServerBatch, "protocol" | "id" | "calls">) => BatchScript): void;
  close(): Promise<void>;
}

function readBody(req: IncomingMessage): Promise<Buffer> {
  return new Promise((resolve, reject) => {
    const chunks: Buffer[] = [];
    req.on("data", (chunk: Buffer) => chunks.push(chunk));
    req.on("end", () => resolve(Buffer.concat(chunks)));
    req.on("error", reject);
  });
}

function contentText(content: unknown): string {
  if (typeof content === "string") return content;
  if (Array.isArray(content)) return content.map((block) => (block as { text?: string }).text ?? "").join("");
  return "";
}

function send(res: ServerResponse, status: number, body: unknown, headers: Record<string, string> = {}): void {
  res.writeHead(status, { "content-type": "application/json", ...headers });
  res.end(JSON.stringify(body));
}

function errorBody(protocol: RecordedRequest["protocol"], type: string, message: string): unknown {
  return protocol === "anthropic" ? { type: "error", error: { type, message } } : { error: { type, message, code: type } };
}

function answer(protocol: RecordedRequest["protocol"], model: string, scripted: Exclude<Scripted, { fault: string }>, request: RecordedRequest): unknown {
  const text = typeof scripted === "string" ? scripted : scripted.text;
  const input = typeof scripted === "string" || scripted.input_tokens === undefined ? Math.ceil((request.system.length + request.user.length) / 4) : scripted.input_tokens;
  const output = typeof scripted === "string" || scripted.output_tokens === undefined ? Math.ceil(text.length / 4) : scripted.output_tokens;
  if (protocol === "anthropic") {
    return {
      id: "msg_test",
      type: "message",
      role: "assistant",
      model,
      content: [{ type: "text", text }],
      stop_reason: "end_turn",
      stop_sequence: null,
      usage: { input_tokens: input, output_tokens: output },
    };
  }
  return {
    id: "chatcmpl-test",
    object: "chat.completion",
    created: 1_700_000_000,
    model,
    choices: [{ index: 0, message: { role: "assistant", content: text }, finish_reason: "stop" }],
    usage: { prompt_tokens: input, completion_tokens: output, total_tokens: input + output },
  };
}

/** A model call as the server records it, from a live request body or a call inside a batch. */
function recordCall(protocol: RecordedRequest["protocol"], body: Record<string, unknown>, req: IncomingMessage): RecordedRequest {
  const apiKey = req.headers["x-api-key"];
  const bearer = /^Bearer (.+)$/.exec(req.headers.authorization ?? "")?.[1];
  const messages = (body.messages ?? []) as { role: string; content: unknown }[];
  const system = protocol === "anthropic" ? contentText(body.system) : contentText(messages.find((m) => m.role === "system")?.content);
  return {
    protocol,
    body,
    key: typeof apiKey === "string" ? apiKey : (bearer ?? null),
    keyHeader: typeof apiKey === "string" ? "x-api-key" : bearer ? "bearer" : null,
    system,
    user: messages.filter((m) => m.role === "user").map((m) => contentText(m.content)).join("\n"),
  };
}

/** The result line of one call of an ended batch, in the batch protocol's shape. */
function batchResultLine(batch: ServerBatch, call: ServerBatch["calls"][number], scripted: Scripted | "expired" | "cancelled", index: number): { file: "output" | "error"; line: unknown } {
  const { protocol } = batch;
  const model = String(call.request.body.model);
  if (scripted === "expired" || scripted === "cancelled") {
    if (protocol === "anthropic") return { file: "output", line: { custom_id: call.custom_id, result: { type: scripted === "expired" ? "expired" : "canceled" } } };
    const error = scripted === "expired" ? { code: "batch_expired", message: "This request could not be executed before the completion window expired." } : { code: "batch_cancelled", message: "This request was not executed because the batch was cancelled." };
    return { file: "error", line: { id: `batch_req_${index}`, custom_id: call.custom_id, response: null, error } };
  }
  if (typeof scripted === "string" || "text" in scripted) {
    const body = answer(protocol, model, scripted, call.request);
    if (protocol === "anthropic") return { file: "output", line: { custom_id: call.custom_id, result: { type: "succeeded", message: body } } };
    return { file: "output", line: { id: `batch_req_${index}`, custom_id: call.custom_id, response: { status_code: 200, request_id: `req_${index}`, body }, error: null } };
  }
  // Any fault the responder scripts for a call becomes that call's error inside the batch.
  const type = scripted.fault === "rate_limit" ? "rate_limit_error" : scripted.fault === "overloaded" ? "overloaded_error" : "api_error";
  if (protocol === "anthropic") return { file: "output", line: { custom_id: call.custom_id, result: { type: "errored", error: { type: "error", error: { type, message: `scripted ${scripted.fault}` } } } } };
  return { file: "error", line: { id: `batch_req_${index}`, custom_id: call.custom_id, response: { status_code: 500, request_id: `req_${index}`, body: { error: { type, code: type, message: `scripted ${scripted.fault}` } } }, error: null } };
}

/**
 * A loopback server speaking enough of Anthropic's `POST /v1/messages` and OpenAI's
 * `POST /v1/chat/completions` for the real SDK clients, with scripted answers and faults; and both
 * batch protocols: Anthropic Message Batches (create, retrieve, results JSONL, cancel) and OpenAI
 * Batch (file upload, create, retrieve, output and error files, cancel), each batch in progress for
 * a scripted number of polls, then ended or expired, a scripted fault of a call becoming its error.
 */
export async function startModelServer(responder: Responder = () => "{}"): Promise<ModelServer> {
  let respond = responder;
  const requests: RecordedRequest[] = [];
  const batchHits: BatchHit[] = [];
  const batches: ServerBatch[] = [];
  const files = new Map<string, string>();
  let batchScript: (batch: Pick<ServerBatch, "protocol" | "id" | "calls">) => BatchScript = () => ({});
  let base = "";
  let callIndex = 0;

  /** Anthropic's MessageBatch object for a batch as it stands. */
  const messageBatch = (batch: ServerBatch) => {
    const ended = batch.state !== "in_progress";
    const count = batch.calls.length;
    return {
      id: batch.id,
      type: "message_batch",
      processing_status: ended ? "ended" : "in_progress",
      request_counts: ended
        ? { processing: 0, succeeded: batch.state === "ended" ? count : 0, errored: 0, canceled: batch.state === "cancelled" ? count : 0, expired: batch.state === "expired" ? count : 0 }
        : { processing: count, succeeded: 0, errored: 0, canceled: 0, expired: 0 },
      created_at: "2026-01-01T00:00:00Z",
      expires_at: "2026-01-02T00:00:00Z",
      ended_at: ended ? "2026-01-01T01:00:00Z" : null,
      archived_at: null,
      cancel_initiated_at: batch.state === "cancelled" ? "2026-01-01T00:30:00Z" : null,
      results_url: ended ? `${base}/v1/messages/batches/${batch.id}/results` : null,
    };
  };

  /** The result files of an ended batch, written once: `output` and `error` JSONL. */
  const resultFiles = (batch: ServerBatch): { output: string; error: string } => {
    const lines = { output: [] as string[], error: [] as string[] };
    batch.calls.forEach((call, i) => {
      const scripted = batch.state === "expired" ? "expired" : batch.state === "cancelled" ? "cancelled" : respond(call.request, callIndex++);
      const { file, line } = batchResultLine(batch, call, scripted, i);
      lines[file].push(JSON.stringify(line));
    });
    return { output: lines.output.map((l) => `${l}\n`).join(""), error: lines.error.map((l) => `${l}\n`).join("") };
  };

  /** OpenAI's Batch object for a batch as it stands; ending writes its output and error files. */
  const openaiBatch = (batch: ServerBatch) => {
    const status = batch.state === "ended" ? "completed" : batch.state;
    const out: Record<string, unknown> = {
      id: batch.id,
      object: "batch",
      endpoint: "/v1/chat/completions",
      input_file_id: `file-input-${batch.id}`,
      completion_window: "24h",
      status,
      created_at: 1_700_000_000,
      request_counts: { total: batch.calls.length, completed: 0, failed: 0 },
    };
    if (batch.state !== "in_progress") {
      if (!files.has(`file-output-${batch.id}`) && !files.has(`file-error-${batch.id}`)) {
        const written = resultFiles(batch);
        if (written.output) files.set(`file-output-${batch.id}`, written.output);
        if (written.error) files.set(`file-error-${batch.id}`, written.error);
      }
      if (files.has(`file-output-${batch.id}`)) out.output_file_id = `file-output-${batch.id}`;
      if (files.has(`file-error-${batch.id}`)) out.error_file_id = `file-error-${batch.id}`;
    }
    return out;
  };

  const poll = (batch: ServerBatch) => {
    if (batch.state !== "in_progress") return;
    batch.polls++;
    if (batch.polls > (batch.script.pollsBeforeEnd ?? 0)) batch.state = batch.script.expire ? "expired" : "ended";
  };

  const createBatch = (protocol: ServerBatch["protocol"], calls: ServerBatch["calls"]): ServerBatch => {
    const id = protocol === "anthropic" ? `msgbatch_${batches.length + 1}` : `batch_${batches.length + 1}`;
    for (const call of calls) call.request.batch = id;
    const batch: ServerBatch = { protocol, id, calls, polls: 0, state: "in_progress", script: {} };
    batch.script = batchScript({ protocol, id, calls });
    batches.push(batch);
    return batch;
  };

  /** The batch and file endpoints of both protocols; false when the route is not one of them. */
  const batchRoute = async (req: IncomingMessage, res: ServerResponse, raw: Buffer): Promise<boolean> => {
    const path = (req.url ?? "").split("?")[0]!;
    const method = req.method ?? "GET";
    if (!/^\/v1\/(messages\/batches|batches|files)(\/|$)/.test(path)) return false;
    const key = recordCall("anthropic", {}, req).key;
    batchHits.push({ method, path, key });
    const protocol = path.startsWith("/v1/messages/") ? "anthropic" : "openai";
    if (!key) {
      send(res, 401, errorBody(protocol, "authentication_error", "missing API key"));
      return true;
    }
    const find = (id: string | undefined) => batches.find((b) => b.id === id && b.protocol === protocol);
    const parts = path.split("/").slice(2); // ["messages","batches",id,…] or ["batches",id,…] or ["files",id,…]
    if (protocol === "anthropic") {
      const [, , id, action] = parts;
      if (method === "POST" && !id) {
        const body = JSON.parse(raw.toString("utf8")) as { requests: Array<{ custom_id: string; params: Record<string, unknown> }> };
        send(res, 200, messageBatch(createBatch("anthropic", body.requests.map((r) => ({ custom_id: r.custom_id, request: recordCall("anthropic", r.params, req) })))));
        return true;
      }
      const batch = find(id);
      if (!batch) send(res, 404, errorBody(protocol, "not_found_error", `no batch ${String(id)}`));
      else if (method === "GET" && !action) {
        poll(batch);
        send(res, 200, messageBatch(batch));
      } else if (method === "POST" && action === "cancel") {
        if (batch.state === "in_progress") batch.state = "cancelled";
        send(res, 200, messageBatch(batch));
      } else if (method === "GET" && action === "results" && batch.state !== "in_progress") {
        const written = resultFiles(batch);
        res.writeHead(200, { "content-type": "application/binary" });
        res.end(written.output);
      } else send(res, 404, errorBody(protocol, "not_found_error", `no route ${method} ${path}`));
      return true;
    }
    const [resource, id, action] = parts;
    if (resource === "files") {
      if (method === "POST" && !id) {
        const form = await new Response(raw, { headers: { "content-type": String(req.headers["content-type"]) } }).formData();
        const file = form.get("file") as File;
        const fileId = `file-${files.size + 1}`;
        files.set(fileId, await file.text());
        send(res, 200, { id: fileId, object: "file", bytes: file.size, created_at: 1_700_000_000, filename: file.name, purpose: String(form.get("purpose")), status: "processed" });
      } else if (method === "GET" && action === "content" && files.has(id!)) {
        res.writeHead(200, { "content-type": "application/octet-stream" });
        res.end(files.get(id!));
      } else send(res, 404, errorBody(protocol, "not_found_error", `no file ${String(id)}`));
      return true;
    }
    if (method === "POST" && !id) {
      const body = JSON.parse(raw.toString("utf8")) as { input_file_id: string; endpoint: string };
      const input = files.get(body.input_file_id);
      if (input === undefined || body.endpoint !== "/v1/chat/completions") {
        send(res, 400, errorBody(protocol, "invalid_request_error", `unknown input file ${body.input_file_id} or endpoint ${body.endpoint}`));
        return true;
      }
      const lines = input.trim().split("\n").map((line) => JSON.parse(line) as { custom_id: string; body: Record<string, unknown> });
      send(res, 200, openaiBatch(createBatch("openai", lines.map((l) => ({ custom_id: l.custom_id, request: recordCall("openai", l.body, req) })))));
      return true;
    }
    const batch = find(id);
    if (!batch) send(res, 404, errorBody(protocol, "not_found_error", `no batch ${String(id)}`));
    else if (method === "GET" && !action) {
      poll(batch);
      send(res, 200, openaiBatch(batch));
    } else if (method === "POST" && action === "cancel") {
      if (batch.state === "in_progress") batch.state = "cancelled";
      send(res, 200, openaiBatch(batch));
    } else send(res, 404, errorBody(protocol, "not_found_error", `no route ${method} ${path}`));
    return true;
  };
  const server = createServer(async (req, res) => {
    const protocol = req.url === "/v1/messages" ? "anthropic" : req.url === "/v1/chat/completions" ? "openai" : null;
    const raw = await readBody(req);
    if (!protocol && (await batchRoute(req, res, raw))) return;
    if (req.method !== "POST" || !protocol) {
      send(res, 404, { error: { type: "not_found_error", message: `no route ${req.method} ${req.url}` } });
      return;
    }
    const body = JSON.parse(raw.toString("utf8")) as Record<string, unknown>;
    const request = recordCall(protocol, body, req);
    const index = requests.push(request) - 1;
    if (!request.key) {
      send(res, 401, errorBody(protocol, "authentication_error", "missing API key"));
      return;
    }
    const scripted = respond(request, index);
    const model = String(body.model);
    if (typeof scripted === "string" || "text" in scripted) {
      const delay = typeof scripted === "string" ? 0 : (scripted.delay_ms ?? 0);
      if (delay === 0) send(res, 200, answer(protocol, model, scripted, request));
      else setTimeout(() => !res.destroyed && send(res, 200, answer(protocol, model, scripted, request)), delay).unref();
      return;
    }
    switch (scripted.fault) {
      case "rate_limit":
        send(res, 429, errorBody(protocol, "rate_limit_error", "slow down"), scripted.retryAfterSeconds === undefined ? {} : { "retry-after": String(scripted.retryAfterSeconds) });
        return;
      case "server_error":
        send(res, 500, errorBody(protocol, "api_error", "internal error"));
        return;
      case "overloaded":
        send(res, 529, errorBody(protocol, "overloaded_error", "Overloaded"));
        return;
      case "unauthorized":
        send(res, 401, errorBody(protocol, "authentication_error", "invalid x-api-key"));
        return;
      case "delay":
        setTimeout(() => {
          if (!res.destroyed) send(res, 200, answer(protocol, model, "{}", request));
        }, scripted.ms).unref();
        return;
      case "drop":
        req.socket.destroy();
        return;
      case "non_json":
        res.writeHead(200, { "content-type": "application/json" });
        res.end("<html>502 Bad Gateway</html>");
        return;
    }
  });
  await new Promise<void>((resolve) => server.listen(0, "127.0.0.1", resolve));
  const { port } = server.address() as AddressInfo;
  base = `http://127.0.0.1:${port}`;
  return {
    anthropicUrl: base,
    openaiUrl: `${base}/v1`,
    requests,
    batchHits,
    batches,
    setResponder(next) {
      respond = next;
    },
    setBatchScript(next) {
      batchScript = next;
    },
    close: () =>
      new Promise<void>((resolve) => {
        server.closeAllConnections();
        server.close(() => resolve());
      }),
  };
}
