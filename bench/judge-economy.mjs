// The judge's economy: one run with model extractors on both sides and an LLM judge (pairwise on,
// judge-noise repeats at their default share) against a loopback server that counts, per task, the
// requests and the input tokens it receives, and plays Anthropic's prompt cache: a prefix up to a
// cache breakpoint seen before is a cache read, a new one a cache write. Printed against the floor:
// each conversation read once per config by the extractor and once by the judge.
import { spawn } from "node:child_process";
import { createHash } from "node:crypto";
import { mkdtempSync, rmSync, writeFileSync } from "node:fs";
import { createServer } from "node:http";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { generateDataset } from "./generate.mjs";

const REPO = new URL("..", import.meta.url).pathname;
const BIN = join(REPO, "dist/cli/bin.js");
/** Tokens as the server counts them: four characters each, the same measure for the floor. */
const tokens = (text) => Math.ceil(text.length / 4);
/** Prices of the judge model (USD per million tokens): input, cache read, cache write (claude-opus-5-5). */
const PRICE = { input: 4, read: 0.2, write: 5 };
/** Anthropic's smallest cacheable prefix, in tokens. */
const CACHE_MIN = 1024;
const TARGET = 2.5;

function block(text, heading) {
  const start = text.indexOf(heading);
  if (start < 0) return [];
  const out = [];
  for (const line of text
    .slice(start + heading.length)
    .split("\n")
    .slice(1)) {
    const match = /^\[([^\]]+)\] (.*)$/.exec(line);
    if (!match) break;
    out.push({ id: match[1], rest: match[2] });
  }
  return out;
}

const textOf = (content) =>
  typeof content === "string" ? content : content.map((part) => part.text ?? "").join("\n\n");

function taskOf(system, user) {
  if (system.startsWith("You extract")) return "extract";
  if (system.startsWith("This request checks")) return "preflight";
  if (user.includes("Task: rate the usefulness")) return "assess";
  if (user.includes("Task: decide whether")) return "junk";
  if (user.includes("Task: two extractors")) return "pairwise";
  return "other";
}

function answer(task, user, model) {
  if (task === "extract") {
    const memories = [...user.matchAll(/^\[turn ([^\]]+)\] (?:\S+ )?([^:(]+?) \(user\): (.*)$/gm)]
      .filter(([, , , text]) => /^I /.test(text) || /^My /.test(text))
      .map(([, id, speaker, text]) => {
        // One short memory per statement, as an extractor writes it: the first sentence, its last words as the object.
        const sentence = text.split(/(?<=\.) /)[0].replace(/\.$/, "");
        const object = sentence.split(" ").slice(-2).join(" ");
        return {
          text: `${speaker}: ${sentence}`,
          type: "fact",
          subject: speaker,
          predicate: model.includes("haiku") ? "states" : "says",
          object,
          confidence: 0.8,
          evidence: [id],
        };
      });
    return { memories };
  }
  if (task === "assess") {
    const shown = block(user, "Memories:");
    return {
      memories: shown.map(({ id }) => ({ index: Number(id), reason: "specific", rating: 4 })),
      coverage: block(user, "Golden memories:").map(({ id, rest }) => {
        const last = rest.split(" ").at(-1).toLowerCase();
        const covering = shown.filter((m) => m.rest.toLowerCase().includes(last)).map((m) => Number(m.id));
        return { golden_id: id, reason: "checked", score: covering.length > 0 ? 2 : 0, candidate_indexes: covering };
      }),
    };
  }
  if (task === "junk")
    return {
      verdicts: block(user, "Memories:").map(({ id }) => ({
        index: Number(id),
        reason: "fine",
        junk: false,
        category: null,
      })),
    };
  if (task === "pairwise") return { reason: "equal", winner: "tie" };
  return { ok: true };
}

/** The counting server: Anthropic's Messages API, prompt cache played by prefix hash. */
function startServer() {
  const seen = new Set();
  const counts = {};
  const server = createServer((req, res) => {
    const chunks = [];
    req.on("data", (c) => chunks.push(c));
    req.on("end", () => {
      const body = JSON.parse(Buffer.concat(chunks).toString("utf8"));
      const system = textOf(body.system ?? "");
      const user = body.messages
        .filter((m) => m.role === "user")
        .map((m) => textOf(m.content))
        .join("\n\n");
      const task = taskOf(system, user);
      // The prefix up to the last block marked for the cache: read when seen, written when new.
      let prefix = system;
      let cacheable = 0;
      let text = system;
      for (const message of body.messages) {
        const parts = typeof message.content === "string" ? [{ text: message.content }] : message.content;
        for (const part of parts) {
          text += `\n\n${part.text ?? ""}`;
          if (part.cache_control) {
            prefix = text;
            cacheable = tokens(prefix);
          }
        }
      }
      const all = tokens(text);
      let read = 0;
      let write = 0;
      if (cacheable >= CACHE_MIN) {
        const key = createHash("sha256").update(prefix).digest("hex");
        if (seen.has(key)) read = cacheable;
        else {
          seen.add(key);
          write = cacheable;
        }
      }
      const c = (counts[task] ??= { requests: 0, input: 0, read: 0, write: 0 });
      c.requests++;
      c.input += all - read - write;
      c.read += read;
      c.write += write;
      const out = JSON.stringify(answer(task, user, String(body.model)));
      res.writeHead(200, { "content-type": "application/json" });
      res.end(
        JSON.stringify({
          id: "msg",
          type: "message",
          role: "assistant",
          model: body.model,
          content: [{ type: "text", text: out }],
          stop_reason: "end_turn",
          stop_sequence: null,
          usage: {
            input_tokens: all - read - write,
            output_tokens: tokens(out),
            cache_read_input_tokens: read,
            cache_creation_input_tokens: write,
          },
        }),
      );
    });
  });
  return new Promise((resolve) =>
    server.listen(0, "127.0.0.1", () =>
      resolve({ url: `http://127.0.0.1:${server.address().port}`, counts, close: () => server.close() }),
    ),
  );
}

function runCli(args) {
  return new Promise((resolve, reject) => {
    const child = spawn(process.execPath, [BIN, ...args], {
      env: { ...process.env, CI: "true", ANTHROPIC_API_KEY: "bench" },
      stdio: ["ignore", "ignore", "pipe"],
    });
    let stderr = "";
    child.stderr.on("data", (chunk) => (stderr += chunk));
    child.on("close", (code) =>
      code === 0 || code === 1 ? resolve() : reject(new Error(`exit ${code}: ${stderr.slice(-800)}`)),
    );
  });
}

/** Run the workload on `conversations` conversations of `turns` turns; returns the table rows and the judge's effective ratio. */
export async function runJudgeEconomy({ conversations = 100, turns = 60 } = {}) {
  const dir = mkdtempSync(join(tmpdir(), "eb-judge-economy-"));
  try {
    return await measureJudgeEconomy(dir, conversations, turns);
  } finally {
    // Its folder goes when it ends, however it ends, unless BENCH_KEEP=1 keeps it to look into.
    if (process.env.BENCH_KEEP === "1") console.log(`kept: ${dir}`);
    else rmSync(dir, { recursive: true, force: true });
  }
}

async function measureJudgeEconomy(dir, conversations, turns) {
  generateDataset(dir, { conversations, turns, golden: 5, seed: 7 });
  const server = await startServer();
  const extractor = (name, model) =>
    writeFileSync(
      join(dir, `${name}.yaml`),
      `name: ${name}\nextractor:\n  provider: anthropic\n  model: ${model}\n  base_url: ${server.url}\n  schema_version: 1\n  max_input_tokens: 200000\n`,
    );
  extractor("baseline", "claude-haiku-5-5");
  extractor("candidate", "claude-sonnet-5-5");
  writeFileSync(
    join(dir, "bench.yaml"),
    [
      "baseline: baseline.yaml",
      "candidate: candidate.yaml",
      "dataset: conversations.jsonl",
      "golden: golden.jsonl",
      "concurrency: 16",
      "judge:",
      "  provider: anthropic",
      "  model: claude-opus-5-5",
      `  base_url: ${server.url}`,
      "  max_input_tokens: 200000",
      "  pairwise: true",
      "cache: {mode: off}",
      "",
    ].join("\n"),
  );
  try {
    await runCli(["run", join(dir, "bench.yaml"), "--out", join(dir, "run")]);
  } finally {
    server.close();
  }
  const { readFileSync } = await import("node:fs");
  const conversationTokens = readFileSync(join(dir, "conversations.jsonl"), "utf8")
    .trim()
    .split("\n")
    .map((line) =>
      JSON.parse(line)
        .turns.map((t) => t.text)
        .join("\n"),
    )
    .reduce((sum, text) => sum + tokens(text), 0);
  // The floor: each conversation read once per config by the extractor, once by the judge.
  const floor = { extract: 2 * conversationTokens, judge: conversationTokens };
  const rows = [];
  const judgeTasks = ["assess", "junk", "pairwise"];
  let judgeEffective = 0;
  let judgeSent = 0;
  for (const task of ["extract", ...judgeTasks]) {
    const c = server.counts[task] ?? { requests: 0, input: 0, read: 0, write: 0 };
    const sent = c.input + c.read + c.write;
    const effective = c.input + (c.read * PRICE.read + c.write * PRICE.write) / PRICE.input;
    if (judgeTasks.includes(task)) {
      judgeEffective += effective;
      judgeSent += sent;
    }
    const base = task === "extract" ? floor.extract : floor.judge;
    rows.push({ task, requests: c.requests / conversations, sent: sent / base, effective: effective / base });
  }
  return {
    rows,
    judge: { sent: judgeSent / floor.judge, effective: judgeEffective / floor.judge },
    conversations,
    turns,
    preflights: server.counts.preflight?.requests ?? 0,
  };
}

/** The table as `npm run bench` prints it; the target applies to conversations long enough to cache (`withTarget`). */
export function formatJudgeEconomy(result, withTarget = true) {
  const lines = [
    `Judge economy (${result.conversations} conversations of ${result.turns} turns, model extractors on both sides, LLM judge with pairwise and noise repeats):`,
    "  task      requests/conversation  input sent ÷ floor  effective ÷ floor (cached at its price)",
  ];
  for (const row of result.rows)
    lines.push(
      `  ${row.task.padEnd(9)} ${row.requests.toFixed(2).padStart(21)}  ${row.sent.toFixed(2).padStart(18)}  ${row.effective.toFixed(2).padStart(10)}`,
    );
  const met = result.judge.effective <= TARGET;
  const verdict = withTarget
    ? ` (target ≤ ${TARGET} × on long conversations) — ${met ? "met" : "MISSED"}`
    : " (no target: the prompt's fixed part weighs more on short conversations)";
  lines.push(
    `  judge total: input sent ${result.judge.sent.toFixed(2)} × the floor, effective ${result.judge.effective.toFixed(2)} ×${verdict}`,
  );
  return { text: lines.join("\n"), met: withTarget ? met : true };
}

/** Both sizes: conversations of 60 turns (about 1,500 tokens, near the smallest cacheable prompt) and of 200 (the target). */
export async function judgeEconomyWorkload(conversations = 100) {
  const short = formatJudgeEconomy(await runJudgeEconomy({ conversations, turns: 60 }), false);
  const longResult = await runJudgeEconomy({ conversations, turns: 200 });
  const long = formatJudgeEconomy(longResult, true);
  return {
    text: `${short.text}\n${long.text}`,
    met: long.met,
    judgeEffective: longResult.judge.effective,
    target: TARGET,
  };
}

if (import.meta.url === `file://${process.argv[1]}`) {
  const { text, met } = await judgeEconomyWorkload(Number(process.env.ECONOMY_CONVERSATIONS ?? 100));
  console.log(text);
  process.exitCode = met ? 0 : 1;
}
