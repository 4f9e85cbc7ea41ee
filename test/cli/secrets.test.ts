import { spawnSync } from "node:child_process";
import { copyFileSync, existsSync, readdirSync, readFileSync, statSync, writeFileSync } from "node:fs";
import { createServer, type Server } from "node:http";
import type { AddressInfo } from "node:net";
import { join } from "node:path";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { PREFLIGHT_SYSTEM } from "../../src/providers/preflight.js";
import { fakeModel } from "../support/fake-model.js";
import { startModelServer, type ModelServer, type RecordedRequest, type Scripted } from "../support/model-server.js";
import { cli, REPO, tempDir } from "./helpers.js";

/**
 * Every key the run reads is echoed back by the servers it talks to, through every path a string
 * leaves the process by: provider error messages, SDK errors, judge errors, an extractor's stderr;
 * then looked for in the terminal, the run log, every report, the step summary and the cache.
 * None of the variable names looks like a secret's: the run knows them because it read them.
 */
const KEYS = {
  OPENAI_API_KEY: "oa-live.7f3a9c1e.never-print",
  ANTHROPIC_API_KEY: "an-live.19c2b7d0.never-print",
  LLM_GW: "gw-live.4d5e6f70.never-print",
  DRY_RUN_HDR: "hdr-live.8a9b0c1d.never-print",
};
/** A key the run never read, found by its shape alone. */
const SHAPED = "sk-ant-api03-Zq8XbLw2Vt5RkPn7Yd3Hf6Jm9Cs1Gx4Ue0Oa";
const ALL = [...Object.values(KEYS), SHAPED];

let server: ModelServer;
let dir: string;

function filesUnder(root: string): string[] {
  if (!existsSync(root)) return [];
  return statSync(root).isDirectory() ? readdirSync(root).flatMap((name) => filesUnder(join(root, name))) : [root];
}

/** No key, whole, in any of these texts or files. */
function expectNoKey(texts: Record<string, string>, ...roots: string[]): void {
  const all = {
    ...texts,
    ...Object.fromEntries(roots.flatMap(filesUnder).map((file) => [file, readFileSync(file, "utf8")])),
  };
  for (const [where, text] of Object.entries(all))
    for (const key of ALL) expect(text.includes(key), `${where} holds ${key}`).toBe(false);
}

const extractOf = (request: RecordedRequest, id: string) =>
  request.system.startsWith("You extract") && request.user.includes(`Conversation ${id}`);

beforeAll(async () => {
  server = await startModelServer((request) => {
    // The gateway repeats the key it got in its error message: extraction of conv-1, every judge call about conv-2.
    const echo: Scripted = {
      fault: "bad_request",
      message: `request refused for key ${request.key ?? "none"} (and ${SHAPED})`,
    };
    if (extractOf(request, "conv-1")) return echo;
    if (!request.system.startsWith("You extract") && request.user.includes("Conversation conv-2")) return echo;
    return fakeModel(request);
  });
  dir = tempDir("eb-secrets-");
  copyFileSync(join(REPO, "test/fixtures/good/conversations.json"), join(dir, "conversations.json"));
  copyFileSync(join(REPO, "test/fixtures/good/golden.jsonl"), join(dir, "golden.jsonl"));
  writeFileSync(
    join(dir, "baseline.yaml"),
    `name: gpt\nextractor:\n  provider: openai\n  model: gpt-4.1-mini\n  base_url: ${server.openaiUrl}\n  schema_version: 1\n`,
  );
  writeFileSync(
    join(dir, "candidate.yaml"),
    `name: claude-via-gateway\nextractor:\n  provider: anthropic\n  model: claude-haiku-4-5\n  api_key_env: LLM_GW\n  base_url: ${server.anthropicUrl}\n  schema_version: 2\n`,
  );
  writeFileSync(
    join(dir, "bench.yaml"),
    [
      "baseline: baseline.yaml",
      "candidate: candidate.yaml",
      "dataset: conversations.json",
      "golden: golden.jsonl",
      "judge:",
      "  provider: anthropic",
      "  model: claude-opus-5-5",
      `  base_url: ${server.anthropicUrl}`,
      "cache:",
      "  dir: cache",
      "retries: {max_retries: 1, base_delay_ms: 1, max_delay_ms: 5}",
      "",
    ].join("\n"),
  );
});
afterAll(() => server.close());

describe("a server that echoes the key in its error messages", () => {
  it("never gets a key into the terminal, the run log, a report, the step summary or the cache", async () => {
    const summary = join(dir, "step-summary.md");
    const out = join(dir, "run");
    const run = await cli(["run", join(dir, "bench.yaml"), "--out", out], { ...KEYS, GITHUB_STEP_SUMMARY: summary });
    expect(run.code).toBe(1);
    const log = readFileSync(join(out, "run.jsonl"), "utf8");
    // The echoes did come back: as failed dry runs and judge errors, redacted.
    expect(log).toMatch(/"kind":"dry_run".*request refused for key \[redacted\] \(and \[redacted\]\)/);
    expect(log).toMatch(/"kind":"judgement".*"error":"[^"]*request refused for key \[redacted\]/);
    expect(readFileSync(join(out, "report.md"), "utf8")).toContain("request refused for key \\[redacted\\]");

    const dry = await cli(
      [
        "dry",
        "--config",
        join(dir, "candidate.yaml"),
        "--dataset",
        join(dir, "conversations.json"),
        "--conversation",
        "conv-1",
        "--cache-dir",
        join(dir, "cache"),
      ],
      KEYS,
    );
    expect(dry.code).toBe(3);
    expect(dry.stderr).toContain("request refused for key [redacted]");
    expectNoKey(
      { stdout: run.stdout, stderr: run.stderr, "dry stdout": dry.stdout, "dry stderr": dry.stderr },
      out,
      summary,
      join(dir, "cache"),
    );
  });

  it("keeps the key out of the message that stops a run whose key the server rejects, and of the SDK's own error", async () => {
    server.setOptions({ answerPreflights: false });
    // The preflight meets the rejection (the responder sees it too): the run stops before any unit.
    server.setResponder((request) =>
      request.key === KEYS.LLM_GW
        ? { fault: "unauthorized", message: `invalid x-api-key ${request.key}` }
        : request.system.startsWith(PREFLIGHT_SYSTEM)
          ? '{"ok": true}'
          : fakeModel(request),
    );
    try {
      const out = join(dir, "rejected");
      const run = await cli(["run", join(dir, "bench.yaml"), "--out", out, "--cache", "off"], KEYS);
      expect(run.code).toBe(3);
      expect(run.stderr).toMatch(/HTTP 401 \(authentication_error: invalid x-api-key \[redacted\]\)/);
      expectNoKey({ stdout: run.stdout, stderr: run.stderr }, out);
    } finally {
      server.setOptions({});
      server.setResponder((request) => fakeModel(request));
    }
  });
});

describe("an http extractor's header and a command extractor's stderr", () => {
  let endpoint: Server;
  let url: string;
  beforeAll(async () => {
    // The user's dry-run endpoint fails, repeating the token it was sent in its status line.
    endpoint = createServer((req, res) => {
      res.statusMessage = `token ${String(req.headers["x-token"])} not allowed`;
      res.writeHead(500).end();
    });
    await new Promise<void>((resolve) => endpoint.listen(0, "127.0.0.1", resolve));
    url = `http://127.0.0.1:${(endpoint.address() as AddressInfo).port}/dry`;
  });
  afterAll(() => new Promise<void>((resolve) => endpoint.close(() => resolve())));

  it("hides the header value and every key the program prints", async () => {
    writeFileSync(
      join(dir, "http.yaml"),
      `name: mine\nextractor:\n  provider: http\n  url: ${url}\n  schema_version: 1\n  headers:\n    X-Token: {env: DRY_RUN_HDR}\n`,
    );
    // Keys this run read (the header's, and the providers' by their variables' names) and one by its shape.
    const printed = [KEYS.DRY_RUN_HDR, KEYS.OPENAI_API_KEY, KEYS.ANTHROPIC_API_KEY, SHAPED].join(" ");
    const program = `process.stderr.write("keys: " + ${JSON.stringify(printed)}); process.exit(2)`;
    writeFileSync(
      join(dir, "command.yaml"),
      `name: leaky\nextractor:\n  provider: command\n  schema_version: 2\n  command: [${JSON.stringify(process.execPath)}, "-e", ${JSON.stringify(program)}]\n`,
    );
    const out = join(dir, "extractors");
    const summary = join(dir, "extractors-summary.md");
    const run = await cli(
      [
        "run",
        "--baseline",
        join(dir, "http.yaml"),
        "--candidate",
        join(dir, "command.yaml"),
        "--dataset",
        join(dir, "conversations.json"),
        "--golden",
        join(dir, "golden.jsonl"),
        "--out",
        out,
      ],
      { ...KEYS, GITHUB_STEP_SUMMARY: summary },
    );
    expect(run.code).toBe(1);
    const log = readFileSync(join(out, "run.jsonl"), "utf8");
    expect(log).toContain("answered HTTP 500 token [redacted] not allowed");
    expect(log).toContain("keys: [redacted] [redacted] [redacted] [redacted]");
    expectNoKey({ stdout: run.stdout, stderr: run.stderr }, out, summary);
  });
});

describe("a failure nothing caught", () => {
  it("leaves through the redaction too, exiting 3 (not 1, a failed gate)", () => {
    // Thrown from a callback once the command line has set up its last resort, quoting a secret variable's value and a key-shaped string.
    const thrower = [
      "const wait = () => process.listenerCount('uncaughtException') > 0",
      "  ? setImmediate(() => { throw new Error('gateway said: bad key ' + process.env.GATEWAY_TOKEN + ' or ' + process.env.SHAPED_IN_MESSAGE); })",
      "  : setTimeout(wait, 5);",
      "wait();",
    ].join("\n");
    const run = spawnSync(
      process.execPath,
      ["--import", `data:text/javascript,${encodeURIComponent(thrower)}`, join(REPO, "dist/cli/bin.js"), "--version"],
      {
        encoding: "utf8",
        env: { ...process.env, GATEWAY_TOKEN: KEYS.LLM_GW, SHAPED_IN_MESSAGE: SHAPED },
      },
    );
    expect(run.status).toBe(3);
    expect(run.stderr).toContain(
      "error: the run could not finish: Error: gateway said: bad key [redacted] or [redacted]",
    );
    expectNoKey({ stdout: run.stdout, stderr: run.stderr });
  });
});
