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
}

export type Responder = (request: RecordedRequest, index: number) => Scripted;

export interface ModelServer {
  /** Base URL as the Anthropic SDK takes it. */
  anthropicUrl: string;
  /** Base URL as the OpenAI SDK takes it. */
  openaiUrl: string;
  requests: RecordedRequest[];
  setResponder(responder: Responder): void;
  close(): Promise<void>;
}

function readBody(req: IncomingMessage): Promise<string> {
  return new Promise((resolve, reject) => {
    const chunks: Buffer[] = [];
    req.on("data", (chunk: Buffer) => chunks.push(chunk));
    req.on("end", () => resolve(Buffer.concat(chunks).toString("utf8")));
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

/**
 * A loopback server speaking enough of Anthropic's `POST /v1/messages` and OpenAI's
 * `POST /v1/chat/completions` for the real SDK clients, with scripted answers and faults.
 */
export async function startModelServer(responder: Responder = () => "{}"): Promise<ModelServer> {
  let respond = responder;
  const requests: RecordedRequest[] = [];
  const server = createServer(async (req, res) => {
    const protocol = req.url === "/v1/messages" ? "anthropic" : req.url === "/v1/chat/completions" ? "openai" : null;
    const raw = await readBody(req);
    if (req.method !== "POST" || !protocol) {
      send(res, 404, { error: { type: "not_found_error", message: `no route ${req.method} ${req.url}` } });
      return;
    }
    const body = JSON.parse(raw) as Record<string, unknown>;
    const apiKey = req.headers["x-api-key"];
    const bearer = /^Bearer (.+)$/.exec(req.headers.authorization ?? "")?.[1];
    const messages = (body.messages ?? []) as { role: string; content: unknown }[];
    const system = protocol === "anthropic" ? contentText(body.system) : contentText(messages.find((m) => m.role === "system")?.content);
    const request: RecordedRequest = {
      protocol,
      body,
      key: typeof apiKey === "string" ? apiKey : (bearer ?? null),
      keyHeader: typeof apiKey === "string" ? "x-api-key" : bearer ? "bearer" : null,
      system,
      user: messages.filter((m) => m.role === "user").map((m) => contentText(m.content)).join("\n"),
    };
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
  return {
    anthropicUrl: `http://127.0.0.1:${port}`,
    openaiUrl: `http://127.0.0.1:${port}/v1`,
    requests,
    setResponder(next) {
      respond = next;
    },
    close: () =>
      new Promise<void>((resolve) => {
        server.closeAllConnections();
        server.close(() => resolve());
      }),
  };
}
