import { createServer, type IncomingMessage, type Server, type ServerResponse } from "node:http";
import type { AddressInfo } from "node:net";
import { gzipSync } from "node:zlib";
import OpenAI from "openai";
import { afterEach, describe, expect, it } from "vitest";
import { modelFetch } from "../../src/providers/http-transport.js";

interface Seen {
  method: string;
  url: string;
  headers: IncomingMessage["headers"];
  body: string;
  socket: number;
}

/** A loopback server answering with `handler`, recording each request and the connection it came on. */
async function serve(handler: (req: IncomingMessage, res: ServerResponse, body: string) => void) {
  const seen: Seen[] = [];
  const sockets = new Map<unknown, number>();
  const server: Server = createServer((req, res) => {
    const chunks: Buffer[] = [];
    req.on("data", (chunk: Buffer) => chunks.push(chunk));
    req.on("end", () => {
      if (!sockets.has(req.socket)) sockets.set(req.socket, sockets.size);
      const body = Buffer.concat(chunks).toString("utf8");
      seen.push({ method: req.method!, url: req.url!, headers: req.headers, body, socket: sockets.get(req.socket)! });
      handler(req, res, body);
    });
  });
  await new Promise<void>((resolve) => server.listen(0, "127.0.0.1", resolve));
  servers.push(server);
  return { url: `http://127.0.0.1:${(server.address() as AddressInfo).port}`, seen };
}

const servers: Server[] = [];
afterEach(async () => {
  for (const server of servers.splice(0)) {
    server.closeAllConnections();
    await new Promise((resolve) => server.close(resolve));
  }
});

const json = (res: ServerResponse, status: number, body: unknown, headers: Record<string, string> = {}) => {
  res.writeHead(status, { "content-type": "application/json", ...headers });
  res.end(JSON.stringify(body));
};

describe("modelFetch", () => {
  it("sends the method, headers and body, and answers with the server's status, headers and body", async () => {
    const server = await serve((_req, res, body) =>
      json(res, 201, { echo: JSON.parse(body) }, { "x-request-id": "req_1" }),
    );
    const response = await modelFetch(`${server.url}/v1/things`, {
      method: "POST",
      headers: new Headers({ "content-type": "application/json", authorization: "Bearer test-key" }),
      body: JSON.stringify({ text: "é ✓" }),
    });
    expect(response.status).toBe(201);
    expect(response.headers.get("x-request-id")).toBe("req_1");
    expect(await response.json()).toEqual({ echo: { text: "é ✓" } });
    expect(server.seen[0]).toMatchObject({ method: "POST", url: "/v1/things", body: '{"text":"é ✓"}' });
    expect(server.seen[0]!.headers).toMatchObject({
      authorization: "Bearer test-key",
      "content-length": String(Buffer.byteLength('{"text":"é ✓"}')),
    });
  });

  it("keeps one connection alive for calls one after the other", async () => {
    const server = await serve((_req, res) => json(res, 200, { ok: true }));
    for (let i = 0; i < 5; i++) await (await modelFetch(`${server.url}/v1/x`, { method: "POST", body: "{}" })).json();
    expect(server.seen.map((s) => s.socket)).toEqual([0, 0, 0, 0, 0]);
  });

  it("decodes a compressed answer", async () => {
    const server = await serve((_req, res) => {
      res.writeHead(200, { "content-type": "application/json", "content-encoding": "gzip" });
      res.end(gzipSync(JSON.stringify({ zipped: true })));
    });
    expect(await (await modelFetch(`${server.url}/v1/x`, { method: "POST", body: "{}" })).json()).toEqual({
      zipped: true,
    });
  });

  it("gives a 204 no body", async () => {
    const server = await serve((_req, res) => {
      res.writeHead(204);
      res.end();
    });
    const response = await modelFetch(`${server.url}/v1/x`, { method: "DELETE" });
    expect(response.status).toBe(204);
    expect(response.body).toBeNull();
    // A bodiless DELETE says so with a length of 0, as fetch does, rather than chunked encoding.
    expect(server.seen[0]!.headers).toMatchObject({ "content-length": "0" });
    expect(server.seen[0]!.headers["transfer-encoding"]).toBeUndefined();
  });

  it("rejects with the signal's reason when aborted before or during the call", async () => {
    const server = await serve(() => undefined); // never answers
    const before = new AbortController();
    before.abort();
    await expect(
      modelFetch(`${server.url}/v1/x`, { method: "POST", body: "{}", signal: before.signal }),
    ).rejects.toMatchObject({ name: "AbortError" });
    const during = new AbortController();
    const call = modelFetch(`${server.url}/v1/x`, { method: "POST", body: "{}", signal: during.signal });
    setTimeout(() => during.abort(), 50);
    await expect(call).rejects.toMatchObject({ name: "AbortError" });
  });

  it("rejects a refused connection or an answer cut short as fetch does: TypeError('fetch failed') with the cause", async () => {
    const closed = await serve(() => undefined);
    const port = new URL(closed.url).port;
    await new Promise((resolve) => servers.pop()!.close(resolve));
    const refused = await modelFetch(`http://127.0.0.1:${port}/v1/x`, { method: "POST", body: "{}" }).catch(
      (e: unknown) => e,
    );
    expect(refused).toBeInstanceOf(TypeError);
    expect(refused).toMatchObject({ message: "fetch failed", cause: { code: "ECONNREFUSED" } });

    const cut = await serve((_req, res) => {
      res.writeHead(200, { "content-type": "application/json", "content-length": "100" });
      res.write('{"partial":');
      setTimeout(() => res.socket!.destroy(), 20);
    });
    await expect(modelFetch(`${cut.url}/v1/x`, { method: "POST", body: "{}" })).rejects.toMatchObject({
      message: "fetch failed",
    });
  });

  it("follows a redirect, and leaves bodies it does not hold whole (a form upload) to the global fetch", async () => {
    const server = await serve((req, res, body) => {
      if (req.url === "/old") {
        res.writeHead(307, { location: "/new" });
        res.end();
      } else json(res, 200, { at: req.url, type: req.headers["content-type"], hasFile: body.includes('name="file"') });
    });
    expect(await (await modelFetch(`${server.url}/old`, { method: "POST", body: "{}" })).json()).toMatchObject({
      at: "/new",
    });
    const form = new FormData();
    form.append("file", new Blob(["line\n"]), "input.jsonl");
    const uploaded = (await (await modelFetch(`${server.url}/v1/files`, { method: "POST", body: form })).json()) as {
      type: string;
      hasFile: boolean;
    };
    expect(uploaded.type).toMatch(/^multipart\/form-data; boundary=/);
    expect(uploaded.hasFile).toBe(true);
  });

  it("serves a real SDK: its errors carry the status and its timeout is a timeout", async () => {
    const server = await serve((req, res) => {
      if (req.headers["x-case"] === "slow") return; // never answers: the SDK's timeout aborts
      json(res, 429, { error: { type: "rate_limit_error", message: "slow down" } }, { "retry-after": "3" });
    });
    const client = new OpenAI({
      apiKey: "test-key",
      baseURL: `${server.url}/v1`,
      maxRetries: 0,
      timeout: 200,
      fetch: modelFetch,
    });
    const ask = (headers: Record<string, string>) =>
      client.chat.completions.create({ model: "m", messages: [{ role: "user", content: "hi" }] }, { headers }).then(
        () => undefined,
        (e: unknown) => e,
      );
    const limited = await ask({});
    expect(limited).toBeInstanceOf(OpenAI.RateLimitError);
    expect((limited as InstanceType<typeof OpenAI.RateLimitError>).headers.get("retry-after")).toBe("3");
    expect(await ask({ "x-case": "slow" })).toBeInstanceOf(OpenAI.APIConnectionTimeoutError);
  });
});
