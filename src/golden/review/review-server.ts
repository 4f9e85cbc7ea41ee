import { randomBytes, timingSafeEqual } from "node:crypto";
import { readFileSync } from "node:fs";
import { createServer, type IncomingMessage, type Server, type ServerResponse } from "node:http";
import type { AddressInfo } from "node:net";
import { join } from "node:path";
import { packageRoot } from "../../package-root.js";
import { ReviewActionSchema } from "../../schema/curation.js";
import { JunkCategorySchema } from "../../schema/verdict.js";
import { TOOL_VERSION } from "../../version.js";
import { goldenRepeatedBy, ReviewActionError, type ReviewData } from "./review-state.js";
import { DEFAULT_CLIENT, ReviewConflictError, ReviewSession, type ReviewFiles } from "./review-session.js";

export interface ReviewServerOptions extends ReviewFiles {
  /** Port on 127.0.0.1. Default 0: any free port. */
  port?: number;
}

export interface ReviewServer {
  /** The page's address, token included. */
  url: string;
  session: ReviewSession;
  close(): Promise<void>;
}

/** No inline script or style, nothing from elsewhere, no framing, no forms posting away. */
export const CONTENT_SECURITY_POLICY =
  "default-src 'none'; script-src 'self'; style-src 'self'; img-src 'self'; connect-src 'self'; base-uri 'none'; form-action 'none'; frame-ancestors 'none'";

/** Largest request body taken (an action is a few hundred bytes); a larger one is answered 413. */
export const MAX_BODY_BYTES = 1_000_000;
/** A larger body is read and dropped up to this, so the client can read its 413; past it the connection is cut. */
const MAX_DRAINED_BYTES = 256 * 1024 * 1024;

/** The page's script and stylesheet, shipped as files beside the compiled code's package. */
const ASSETS = new Map<string, { file: string; type: string }>([
  ["review.js", { file: "review.js", type: "text/javascript; charset=utf-8" }],
  ["review.css", { file: "review.css", type: "text/css; charset=utf-8" }],
  ["favicon.svg", { file: "favicon.svg", type: "image/svg+xml" }],
]);

function readAsset(name: string): string {
  return readFileSync(join(packageRoot(), "assets", "review", name), "utf8");
}

function page(): string {
  return [
    "<!doctype html>",
    '<html lang="en"><head><meta charset="utf-8">',
    '<meta name="viewport" content="width=device-width, initial-scale=1">',
    `<title>Golden-set review · extractor-bench ${TOOL_VERSION}</title>`,
    '<link rel="stylesheet" href="review.css">',
    '<link rel="icon" href="favicon.svg" type="image/svg+xml">',
    '<script src="review.js" defer></script>',
    '</head><body><div id="app" aria-live="polite">Loading…</div></body></html>',
    "",
  ].join("\n");
}

function send(res: ServerResponse, status: number, type: string, body: string): void {
  res.writeHead(status, {
    "Content-Type": type,
    "Content-Security-Policy": CONTENT_SECURITY_POLICY,
    "X-Content-Type-Options": "nosniff",
    // The token is in the URL: never send it on as a referrer.
    "Referrer-Policy": "no-referrer",
    "Cache-Control": "no-store",
    "X-Frame-Options": "DENY",
  });
  res.end(body);
}

const sendJson = (res: ServerResponse, status: number, value: unknown) =>
  send(res, status, "application/json; charset=utf-8", JSON.stringify(value));

class BodyTooLarge extends Error {}

/** The request body, or BodyTooLarge past MAX_BODY_BYTES (said by its Content-Length, or found while reading). */
function readBody(req: IncomingMessage): Promise<string> {
  return new Promise((resolvePromise, reject) => {
    if (Number(req.headers["content-length"] ?? 0) > MAX_BODY_BYTES) {
      reject(new BodyTooLarge());
      return;
    }
    let size = 0;
    const chunks: Buffer[] = [];
    const onData = (chunk: Buffer) => {
      size += chunk.length;
      if (size <= MAX_BODY_BYTES) return void chunks.push(chunk);
      req.off("data", onData);
      reject(new BodyTooLarge());
    };
    req.on("data", onData);
    req.on("end", () => resolvePromise(Buffer.concat(chunks).toString("utf8")));
    req.on("error", reject);
  });
}

/** Answer 413, then read and drop the rest of the body (up to a bound) so the client gets the answer rather than a reset. */
function refuseTooLarge(req: IncomingMessage, res: ServerResponse): void {
  sendJson(res, 413, { error: `request body too large: at most ${MAX_BODY_BYTES} bytes` });
  let drained = 0;
  req.on("data", (chunk: Buffer) => {
    drained += chunk.length;
    if (drained > MAX_DRAINED_BYTES) req.destroy();
  });
  req.resume();
}

function sameToken(candidate: string, token: string): boolean {
  const a = Buffer.from(candidate);
  const b = Buffer.from(token);
  return a.length === b.length && timingSafeEqual(a, b);
}

/** The open proposals that repeat a golden memory, by proposal id: what the page marks "≈ already golden". */
function repeatedGolden(data: ReviewData): Record<string, { golden_id: string; text: string; similarity: number }> {
  const marks: Record<string, { golden_id: string; text: string; similarity: number }> = {};
  for (const proposal of data.proposals) {
    if (proposal.status === "accepted") continue;
    const repeated = goldenRepeatedBy(data, proposal);
    if (repeated)
      marks[proposal.id] = {
        golden_id: repeated.memory.id,
        text: repeated.memory.text,
        similarity: repeated.similarity,
      };
  }
  return marks;
}

function state(session: ReviewSession, client: string) {
  const { golden, proposals, labels } = session.current;
  return {
    conversations: session.conversations,
    golden,
    proposals,
    labels,
    near_golden: repeatedGolden(session.current),
    versions: session.versionTable(),
    junk_categories: JunkCategorySchema.options,
    files: session.files,
    can_undo: session.canUndo(client),
  };
}

/** Actions that edit a record that exists: each must say which version of it it was made on. */
const VERSIONED_OPS = new Set(["accept", "reject", "edit_proposal", "edit_golden", "delete_golden", "label"]);

/** The page's id for itself (one per tab): whose undo history an action belongs to. */
function clientOf(req: IncomingMessage): string {
  const id = req.headers["x-review-client"];
  return typeof id === "string" && /^[A-Za-z0-9-]{1,64}$/.test(id) ? id : DEFAULT_CLIENT;
}

async function handleAction(req: IncomingMessage, res: ServerResponse, session: ReviewSession): Promise<void> {
  if (!/^application\/json\b/.test(req.headers["content-type"] ?? ""))
    return sendJson(res, 415, { error: "expected application/json" });
  let text: string;
  try {
    text = await readBody(req);
  } catch (error) {
    if (error instanceof BodyTooLarge) return refuseTooLarge(req, res);
    throw error;
  }
  let body: unknown;
  try {
    body = JSON.parse(text);
  } catch {
    return sendJson(res, 400, { error: "invalid JSON" });
  }
  const action = ReviewActionSchema.safeParse(body);
  if (!action.success)
    return sendJson(res, 400, {
      error: `invalid action: ${action.error.issues.map((i) => `${i.path.join(".")} ${i.message}`).join("; ")}`,
    });
  if (VERSIONED_OPS.has(action.data.op) && (action.data as { version?: number }).version === undefined) {
    return sendJson(res, 400, {
      error: `invalid action: ${action.data.op} needs the version of the record it was made on (versions in /api/state)`,
    });
  }
  const client = clientOf(req);
  try {
    session.apply(action.data, client);
  } catch (error) {
    if (error instanceof ReviewConflictError)
      return sendJson(res, 409, { error: error.message, current: error.current, state: state(session, client) });
    if (error instanceof ReviewActionError) return sendJson(res, 400, { error: error.message });
    throw error;
  }
  sendJson(res, 200, state(session, client));
}

/**
 * Whether a request may come from this page: a browser names where a request comes from, and a
 * page of another site (or a site that resolves to 127.0.0.1) gets 403 even when it guessed the
 * token. Requests without these headers (a script, curl) pass on the token alone.
 */
function fromThisPage(req: IncomingMessage, port: number): boolean {
  const site = req.headers["sec-fetch-site"];
  if (site !== undefined && site !== "same-origin" && site !== "none") return false;
  const origin = req.headers.origin;
  return origin === undefined || origin === `http://127.0.0.1:${port}` || origin === `http://localhost:${port}`;
}

/**
 * Serve the review page on 127.0.0.1 only. Every path carries a random token; a request without
 * it, or addressed to another host name (DNS rebinding), gets 403.
 */
export async function startReviewServer(options: ReviewServerOptions): Promise<ReviewServer> {
  const session = new ReviewSession(options);
  const token = randomBytes(24).toString("base64url");
  let port = 0;
  const server: Server = createServer((req, res) => {
    const host = req.headers.host ?? "";
    const [, first = "", ...rest] = (req.url ?? "/").split("?")[0]!.split("/");
    if ((host !== `127.0.0.1:${port}` && host !== `localhost:${port}`) || !sameToken(first, token)) {
      return send(
        res,
        403,
        "text/plain; charset=utf-8",
        "forbidden: open the address with its token, as printed by `golden review`\n",
      );
    }
    if (rest.length === 0) {
      res.writeHead(302, { Location: `/${token}/`, "Referrer-Policy": "no-referrer" });
      return res.end();
    }
    if (!fromThisPage(req, port))
      return send(res, 403, "text/plain; charset=utf-8", "forbidden: a request from another site\n");
    const route = `${req.method} /${rest.join("/")}`;
    // A Map, not an object: `constructor` or `__proto__` is no asset.
    const asset = ASSETS.get(rest.join("/"));
    Promise.resolve()
      .then(() => {
        if (route === "GET /") return send(res, 200, "text/html; charset=utf-8", page());
        if (req.method === "GET" && asset) return send(res, 200, asset.type, readAsset(asset.file));
        if (route === "GET /api/state") return sendJson(res, 200, state(session, clientOf(req)));
        if (route === "POST /api/action") return handleAction(req, res, session);
        return send(res, 404, "text/plain; charset=utf-8", "not found\n");
      })
      .catch((error: unknown) => {
        if (!res.headersSent)
          sendJson(res, 500, { error: `could not save: ${error instanceof Error ? error.message : String(error)}` });
      });
  });
  await new Promise<void>((resolvePromise, reject) => {
    server.once("error", reject);
    server.listen(options.port ?? 0, "127.0.0.1", () => resolvePromise());
  });
  port = (server.address() as AddressInfo).port;
  return {
    url: `http://127.0.0.1:${port}/${token}/`,
    session,
    close: () =>
      new Promise((resolvePromise) => {
        server.closeAllConnections();
        server.close(() => resolvePromise());
      }),
  };
}
