import { Agent as HttpAgent, request as httpRequest, type IncomingMessage } from "node:http";
import { Agent as HttpsAgent, request as httpsRequest } from "node:https";
import { promisify } from "node:util";
import { brotliDecompress, gunzip, inflate } from "node:zlib";
import { WholeResponse } from "./whole-response.js";

/**
 * The `fetch` both model SDKs are given: requests whose body is held whole (model calls, batch
 * submissions and polls, result downloads, which are read whole anyway) go over `node:http` with
 * keep-alive connections; form uploads (a batch's input file) and redirects go to the global `fetch`.
 *
 * Why: a call through the global fetch spends about 0.3 ms of the event loop in WHATWG streams and
 * dispatcher bookkeeping, and the pool opens new connections when answers arrive together. Sixteen
 * answers that arrive at once then start the next sixteen calls about 15 ms late, which is most of
 * the bench's own overhead under model latency. `node:http` does the same exchange in a fraction of that.
 *
 * What fetch promises, this keeps: an abort rejects with the signal's reason (the SDKs read an
 * `AbortError` as their timeout); a failed connection rejects with `TypeError("fetch failed")` and the
 * cause; a compressed answer is decoded; the headers are the server's.
 */

const agents = {
  "http:": new HttpAgent({ keepAlive: true, scheduling: "lifo" }),
  "https:": new HttpsAgent({ keepAlive: true, scheduling: "lifo" }),
};

const decoders: Record<string, (data: Buffer) => Promise<Buffer>> = {
  gzip: promisify(gunzip),
  "x-gzip": promisify(gunzip),
  deflate: promisify(inflate),
  br: promisify(brotliDecompress),
};

/** Statuses whose response has no body (the Response constructor refuses one). */
const NULL_BODY = new Set([101, 103, 204, 205, 304]);

/** A failed exchange as undici's fetch reports it, so the SDKs classify it as a connection error. */
function fetchFailed(cause: unknown): TypeError {
  return new TypeError("fetch failed", { cause });
}

/** The request's headers as an object; the SDKs pass a `Headers`, read as it is rather than copied first. */
function plainHeaders(init: RequestInit["headers"]): Record<string, string> {
  const out: Record<string, string> = {};
  (init instanceof Headers ? init : new Headers(init)).forEach((value, name) => (out[name] = value));
  return out;
}

/** The answer as a Response: the body read whole and decoded; a redirect is left to the global fetch. */
async function toResponse(res: IncomingMessage, body: Buffer): Promise<Response> {
  const status = res.statusCode ?? 0;
  const headers = new Headers();
  for (let i = 0; i < res.rawHeaders.length; i += 2) headers.append(res.rawHeaders[i]!, res.rawHeaders[i + 1]!);
  const encoding = headers.get("content-encoding")?.trim().toLowerCase();
  let data = body;
  if (encoding && encoding !== "identity" && body.length > 0) {
    const decode = decoders[encoding];
    if (!decode) throw fetchFailed(new Error(`unsupported content-encoding ${encoding}`));
    data = await decode(body);
  }
  const init = { status, statusText: res.statusMessage ?? "", headers };
  return NULL_BODY.has(status) ? new Response(null, init) : new WholeResponse(data, init);
}

/** Whether this exchange is one the fast path handles: an http(s) URL and a body held whole, or none. */
function handled(input: string | URL | Request, init: RequestInit | undefined): input is string | URL {
  if (typeof input !== "string" && !(input instanceof URL)) return false;
  const body = init?.body;
  if (!(body === undefined || body === null || typeof body === "string" || body instanceof Uint8Array)) return false;
  const protocol = typeof input === "string" ? input.slice(0, input.indexOf(":") + 1) : input.protocol;
  return protocol === "http:" || protocol === "https:";
}

/** A `fetch` for the SDKs' `fetch` option (see the module comment). */
export function modelFetch(input: string | URL | Request, init?: RequestInit): Promise<Response> {
  if (!handled(input, init)) return fetch(input, init);
  const url = new URL(input);
  const signal = init?.signal ?? undefined;
  if (signal?.aborted) return Promise.reject(signal.reason);
  const body = init?.body as string | Uint8Array | null | undefined;
  const headers = plainHeaders(init?.headers);
  const method = init?.method ?? "GET";
  // As fetch does: a body's length, and 0 for a bodiless request that may carry one (not chunked encoding).
  if (body !== undefined && body !== null) headers["content-length"] = String(Buffer.byteLength(body));
  else if (method !== "GET" && method !== "HEAD") headers["content-length"] = "0";
  const send = url.protocol === "https:" ? httpsRequest : httpRequest;
  return new Promise<Response>((resolve, reject) => {
    let settled = false;
    const finish = (error: unknown, response?: Response) => {
      if (settled) return;
      settled = true;
      signal?.removeEventListener("abort", onAbort);
      if (error === undefined) resolve(response!);
      else reject(error);
    };
    const req = send(url, { method, headers, agent: agents[url.protocol as keyof typeof agents] }, (res) => {
      const status = res.statusCode ?? 0;
      if (status >= 300 && status < 400 && res.headers.location && init?.redirect !== "manual") {
        // A redirect is rare for a model API: the global fetch follows it the way fetch does.
        res.resume();
        fetch(input, init).then(
          (response) => finish(undefined, response),
          (error: unknown) => finish(error),
        );
        return;
      }
      const chunks: Buffer[] = [];
      res.on("data", (chunk: Buffer) => chunks.push(chunk));
      res.on("error", (error) => finish(signal?.aborted ? signal.reason : fetchFailed(error)));
      res.on("end", () => {
        toResponse(res, Buffer.concat(chunks)).then(
          (response) => finish(undefined, response),
          (error: unknown) => finish(error),
        );
      });
      res.on("close", () => {
        if (!res.complete)
          finish(
            signal?.aborted
              ? signal.reason
              : fetchFailed(new Error("the connection closed before the answer was complete")),
          );
      });
    });
    const onAbort = () => {
      finish(signal!.reason);
      req.destroy();
    };
    signal?.addEventListener("abort", onAbort, { once: true });
    req.on("error", (error) => finish(signal?.aborted ? signal.reason : fetchFailed(error)));
    req.end(body ?? undefined);
  });
}
