import { createServer, type IncomingMessage, type Server, type ServerResponse } from "node:http";
import type { AddressInfo } from "node:net";
import { afterAll, beforeAll, beforeEach, describe, expect, it } from "vitest";
import { UsageError } from "../../src/errors.js";
import { createHttpRetriever, HttpRetrieverSettingsSchema } from "../../src/retrieval/retrievers/http.js";
import type { Retriever } from "../../src/schema/retrieval-store.js";
import { annStore, query, searchFailure } from "../fixtures/retrieval-store.js";

const TOKEN = "rt-FAKE-retrieval-secret-77";
interface Memory {
  id: string;
  text: string;
  predicate: string;
}
interface Seen {
  body: {
    store: { store_id: string; scope: string; memories?: Memory[] };
    query?: { text: string; filters?: { predicate?: string } };
    k?: number;
  };
  auth: string | undefined;
}
/** What the endpoint does with the next request instead of searching: a status and body, or no answer at all. */
type Override = { status: number; body: string } | "hang";

let seen: Seen[] = [];
let overrides: Override[] = [];
const stores = new Map<string, Memory[]>();
const hanging: ServerResponse[] = [];
let server: Server;
let url = "";

/** A team's retrieval over HTTP: ranks by shared words, applies a predicate filter, keeps stores sent once. */
function answer(body: Seen["body"], res: ServerResponse): void {
  const memories = body.store.memories ?? stores.get(body.store.store_id);
  if (!body.query) {
    stores.set(body.store.store_id, memories!);
    res.writeHead(204).end();
    return;
  }
  if (!memories) {
    res
      .writeHead(409, { "content-type": "application/json" })
      .end(JSON.stringify({ error: `unknown store ${body.store.store_id}` }));
    return;
  }
  const words = new Set(body.query.text.toLowerCase().match(/[a-z]+/g));
  const predicate = body.query.filters?.predicate;
  const ids = memories
    .filter((m) => predicate === undefined || m.predicate === predicate)
    .map((m, i) => ({
      id: m.id,
      i,
      score: (m.text.toLowerCase().match(/[a-z]+/g) ?? []).filter((w) => words.has(w)).length,
    }))
    .filter((m) => m.score > 0)
    .sort((a, b) => b.score - a.score || a.i - b.i)
    .map((m) => m.id);
  res.writeHead(200, { "content-type": "application/json" }).end(JSON.stringify({ ids: ids.slice(0, body.k) }));
}

beforeAll(async () => {
  server = createServer((req: IncomingMessage, res: ServerResponse) => {
    const chunks: Buffer[] = [];
    req.on("data", (c: Buffer) => chunks.push(c));
    req.on("end", () => {
      const body = JSON.parse(Buffer.concat(chunks).toString("utf8")) as Seen["body"];
      seen.push({ body, auth: req.headers.authorization });
      const override = overrides.shift();
      if (override === "hang") hanging.push(res);
      else if (override) res.writeHead(override.status, { "content-type": "application/json" }).end(override.body);
      else answer(body, res);
    });
  });
  await new Promise<void>((resolve) => server.listen(0, "127.0.0.1", resolve));
  url = `http://127.0.0.1:${(server.address() as AddressInfo).port}/debug-retrieval`;
});
afterAll(() => {
  server.closeAllConnections();
  server.close();
});
beforeEach(() => {
  seen = [];
  overrides = [];
  stores.clear();
});

function retriever(extra: Record<string, unknown> = {}): Retriever {
  const settings = HttpRetrieverSettingsSchema.parse({
    kind: "http",
    url,
    timeout_ms: 2000,
    headers: { Authorization: { env: "RETRIEVAL_TOKEN" } },
    ...extra,
  });
  return createHttpRetriever(settings, { env: { RETRIEVAL_TOKEN: `Bearer ${TOKEN}` } });
}

describe("http retriever", () => {
  it("posts the store, the query and k with the header from the environment, and ranks by the answer", async () => {
    const ranked = await retriever().search(annStore(), query("q1", "Where does Ann live in Lisbon?"), 2);
    expect(ranked).toEqual(["m1", "m5"]);
    expect(seen).toHaveLength(1);
    expect(seen[0]!.auth).toBe(`Bearer ${TOKEN}`);
    expect(seen[0]!.body.k).toBe(2);
    expect(seen[0]!.body.store.memories).toHaveLength(5);
    expect(JSON.stringify(seen[0]!.body)).not.toMatch(/"version"|strategy/);
  });

  it("applies the query's filters the way the endpoint's store does", async () => {
    expect(
      await retriever().search(
        annStore(),
        query("q1", "Where does Ann live in Lisbon?", { predicate: "residence" }),
        5,
      ),
    ).toEqual(["m5"]);
  });

  it("with store_once, posts each store once and then only its id with each query", async () => {
    const once = retriever({ store_once: true });
    const store = annStore();
    expect(await once.search(store, query("q1", "Lisbon"), 3)).toEqual(["m1", "m5"]);
    expect(await once.search(store, query("q2", "spicy ramen"), 3)).toEqual(["m4"]);
    // Another strategy that leaves the same memories is the same store: not posted again.
    expect(await once.search(annStore("baseline"), query("q3", "cat Miso"), 3)).toEqual(["m3"]);
    expect(seen.map((s) => [Boolean(s.body.store.memories), Boolean(s.body.query)])).toEqual([
      [true, false],
      [false, true],
      [false, true],
      [false, true],
    ]);
    expect(new Set(seen.map((s) => s.body.store.store_id)).size).toBe(1);
  });

  it("posts a store again when its first load failed", async () => {
    const once = retriever({ store_once: true });
    overrides = [{ status: 503, body: "warming up" }];
    const error = await searchFailure(once.search(annStore(), query("q1", "Lisbon"), 3));
    expect(error.message).toMatch(
      /^store [0-9a-f]{16} \(user:ann\): POST .* answered HTTP 503 Service Unavailable: warming up$/,
    );
    expect(await once.search(annStore(), query("q1", "Lisbon"), 3)).toEqual(["m1", "m5"]);
  });

  it.each([
    [
      { status: 500, body: `{"error":"index missing", "auth":"Bearer ${TOKEN}"}` },
      "failed",
      /query q1: POST .* answered HTTP 500 Internal Server Error: \{"error":"index missing", "auth":"\[redacted\]"\}/,
    ],
    [
      { status: 200, body: "<html>oops</html>" },
      "invalid_output",
      /query q1: .* answered something that is not JSON: "<html>oops<\/html>"/,
    ],
    [
      { status: 200, body: '{"ids":["m1","m404"]}' },
      "invalid_output",
      /answered an id the store does not hold: "m404"/,
    ],
    [{ status: 200, body: '{"ids":["m1","m1"]}' }, "invalid_output", /answered the id "m1" twice/],
    [{ status: 200, body: '{"results":[]}' }, "invalid_output", /answered ids that do not validate/],
  ])("an endpoint that answers %j fails the search as %s", async (override, kind, message) => {
    overrides = [override];
    const error = await searchFailure(retriever().search(annStore(), query("q1", "Lisbon"), 3));
    expect(error.kind).toBe(kind);
    expect(error.message).toMatch(message);
    expect(error.message).not.toContain(TOKEN);
  });

  it("gives up on an endpoint that does not answer within timeout_ms", async () => {
    overrides = ["hang"];
    const error = await searchFailure(retriever({ timeout_ms: 200 }).search(annStore(), query("q1", "Lisbon"), 3));
    expect(error.kind).toBe("timeout");
    expect(error.message).toBe(`query q1: POST ${url} did not answer within 200 ms`);
  });

  it("fails the search when nothing listens at the URL", async () => {
    const settings = HttpRetrieverSettingsSchema.parse({
      kind: "http",
      url: "http://127.0.0.1:9/debug-retrieval",
      timeout_ms: 2000,
    });
    const error = await searchFailure(createHttpRetriever(settings).search(annStore(), query("q1", "Lisbon"), 3));
    expect(error.kind).toBe("failed");
    expect(error.message).toMatch(/query q1: POST http:\/\/127\.0\.0\.1:9\/debug-retrieval failed: .*ECONNREFUSED/);
  });

  it("refuses settings whose header variable is unset, before any request", () => {
    const settings = HttpRetrieverSettingsSchema.parse({
      kind: "http",
      url,
      headers: { Authorization: { env: "NO_SUCH_RETRIEVAL_TOKEN" } },
    });
    expect(() => createHttpRetriever(settings, { env: {} })).toThrow(UsageError);
    expect(() => createHttpRetriever(settings, { env: {} })).toThrow(
      `the http retriever at ${url} needs NO_SUCH_RETRIEVAL_TOKEN set (header values)`,
    );
    expect(seen).toEqual([]);
  });
});
