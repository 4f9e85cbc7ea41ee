import { createServer, type Server } from "node:http";
import type { AddressInfo } from "node:net";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { createHttpExtractor } from "../../src/extract/extractors/http-extractor.js";
import { UsageError } from "../../src/errors.js";
import { ExtractorConfigSchema, HttpExtractorSchema } from "../../src/schema/extractor-config.js";
import { scriptedConversation } from "../fixtures/scripted-conversation.js";
import { until } from "../support/until.js";

const TOKEN = "tok-FAKE-http-secret-42";
interface Seen {
  body: { conversation: { id: string; turns: unknown[] }; config: { name: string; extractor: unknown } };
  auth: string | undefined;
}
const seen: Seen[] = [];
let replies: Array<{ status?: number; body: string; delayMs?: number }> = [];
let server: Server;
let url = "";

beforeAll(async () => {
  server = createServer((req, res) => {
    const chunks: Buffer[] = [];
    req.on("data", (c: Buffer) => chunks.push(c));
    req.on("end", () => {
      seen.push({ body: JSON.parse(Buffer.concat(chunks).toString("utf8")), auth: req.headers.authorization });
      const reply = replies.shift() ?? { body: "[]" };
      setTimeout(() => {
        res.writeHead(reply.status ?? 200, { "content-type": "application/json" });
        res.end(reply.body);
      }, reply.delayMs ?? 0).unref();
    });
  });
  await new Promise<void>((resolve) => server.listen(0, "127.0.0.1", resolve));
  url = `http://127.0.0.1:${(server.address() as AddressInfo).port}/dry-run`;
});
afterAll(() => {
  server.closeAllConnections();
  server.close();
});

const conversation = scriptedConversation("c1", "ok");
const input = { conversation, turns: conversation.turns };
const candidate = {
  type: "fact",
  subject: "Ann",
  predicate: "lives_in",
  object: "Leeds",
  confidence: 0.7,
  evidence: ["t1"],
};

async function stage(timeout_ms = 2000) {
  const extractor = HttpExtractorSchema.parse({
    provider: "http",
    schema_version: 3,
    url,
    timeout_ms,
    headers: { Authorization: { env: "DRY_RUN_TOKEN" } },
  });
  const config = ExtractorConfigSchema.parse({ name: "in-house", extractor });
  return createHttpExtractor(extractor, {
    configPath: "/tmp/http.yaml",
    config,
    env: { DRY_RUN_TOKEN: `Bearer ${TOKEN}` },
  });
}

describe("http extractor", () => {
  it("posts the conversation and its config with headers from the environment, and reads candidates back", async () => {
    replies = [{ body: JSON.stringify({ candidates: [candidate], usage: { input_tokens: 30, output_tokens: 8 } }) }];
    const output = await (await stage()).extract(input);
    expect(output).toMatchObject({
      candidates: [candidate],
      calls: 1,
      jsonFailures: 0,
      usage: { input_tokens: 30, output_tokens: 8 },
    });
    const request = seen.at(-1)!;
    expect(request.auth).toBe(`Bearer ${TOKEN}`);
    expect(request.body.conversation.id).toBe("c1");
    expect(request.body.config).toMatchObject({
      name: "in-house",
      extractor: { provider: "http", headers: { Authorization: { env: "DRY_RUN_TOKEN" } } },
    });
    expect(JSON.stringify(request.body)).not.toContain(TOKEN);
  });

  it("asks again after a body that is not JSON, then counts a JSON failure", async () => {
    replies = [{ body: "oops" }, { body: "[]" }];
    expect(await (await stage()).extract(input)).toMatchObject({ candidates: [], jsonFailures: 0 });
    replies = [{ body: "oops" }, { body: "still not json" }];
    expect(await (await stage()).extract(input)).toMatchObject({ candidates: [], calls: 1, jsonFailures: 1 });
  });

  it("records HTTP errors, timeouts and invalid candidates for the conversation", async () => {
    replies = [{ status: 503, body: "{}" }];
    expect((await (await stage()).extract(input)).error).toEqual({
      kind: "http_error",
      message: `POST ${url} answered HTTP 503 Service Unavailable`,
    });
    replies = [{ body: "[]", delayMs: 500 }];
    expect((await (await stage(50)).extract(input)).error).toMatchObject({ kind: "timeout" });
    // On a busy machine the server may read the abandoned request after the client gave up on it:
    // the next reply is queued only once that request took the slow one.
    await until(() => replies.length === 0);
    replies = [{ body: JSON.stringify([{ ...candidate, confidence: 3 }]) }];
    const invalid = await (await stage()).extract(input);
    expect(invalid.error).toMatchObject({ kind: "invalid_output", message: expect.stringContaining("[0].confidence") });
  });

  it("refuses to start when a header's variable is unset, naming it", async () => {
    const extractor = HttpExtractorSchema.parse({
      provider: "http",
      schema_version: 3,
      url,
      headers: { "X-Key": { env: "MISSING_VAR" } },
    });
    const config = ExtractorConfigSchema.parse({ name: "in-house", extractor });
    const error = await createHttpExtractor(extractor, { configPath: "/tmp/http.yaml", config, env: {} }).catch(
      (e: unknown) => e,
    );
    expect(error).toBeInstanceOf(UsageError);
    expect((error as Error).message).toContain("MISSING_VAR");
  });
});
