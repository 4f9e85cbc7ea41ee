// A loopback model server for the latency workloads: OpenAI's POST /v1/chat/completions, every answer
// after a fixed delay, valid JSON for each prompt the bench sends (extract, usefulness, coverage, junk,
// pairwise), a count of the requests of each kind and the first request of each.
import { createServer } from "node:http";

/** Prompt kinds: the extractor's and the preflight's by their system prompt, the judge's by the task after the conversation. */
const KINDS = [
  ["extract", (system) => system.startsWith("You extract long-term memories")],
  ["preflight", (system) => system.startsWith("This request checks")],
  ["assess", (_, user) => user.includes("Task: rate the usefulness")],
  ["junk", (_, user) => user.includes("Task: decide whether")],
  ["pairwise", (_, user) => user.includes("Task: two extractors")],
];

/** Lines `[id] rest` of the block under `heading`. */
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

/**
 * One memory per user turn, citing no turn (so the judge's cheap evidence match never answers and every
 * unit makes the same calls); every memory rated 4; a golden memory covered by the memories sharing
 * its last word; no junk; pairwise a tie.
 */
function answer(kind, model, user) {
  switch (kind) {
    case "extract": {
      const memories = [...user.matchAll(/^\[turn ([^\]]+)\] ([^:(]+?) \(user\): (.*)$/gm)].map(
        ([, , speaker, text]) => ({
          text: `${speaker} said: ${text}`,
          type: "fact",
          subject: speaker,
          predicate: model.includes("mini") ? "states" : "says",
          object: text,
          confidence: 0.8,
          evidence: [],
        }),
      );
      return { memories };
    }
    case "assess": {
      const candidates = block(user, "Memories:");
      return {
        memories: candidates.map(({ id }) => ({ index: Number(id), reason: "specific", rating: 4 })),
        coverage: block(user, "Golden memories:").map(({ id, rest }) => {
          const word = rest.split(" ").at(-1).toLowerCase();
          const covering = candidates.filter((c) => c.rest.toLowerCase().includes(word)).map((c) => Number(c.id));
          return { golden_id: id, reason: "checked", score: covering.length > 0 ? 2 : 0, candidate_indexes: covering };
        }),
      };
    }
    case "junk":
      return {
        verdicts: block(user, "Memories:").map(({ id }) => ({
          index: Number(id),
          reason: "fine",
          junk: false,
          category: null,
        })),
      };
    case "pairwise":
      return { reason: "equivalent sets", winner: "tie" };
    case "preflight":
      return { ok: true };
  }
  return undefined;
}

function text(content) {
  if (typeof content === "string") return content;
  return Array.isArray(content) ? content.map((part) => part.text ?? "").join("\n\n") : "";
}

/** Start the server on 127.0.0.1, an ephemeral port; `delayMs` before every answer. */
export async function startModelServer({ delayMs = 200 } = {}) {
  const counts = Object.fromEntries(KINDS.map(([kind]) => [kind, 0]));
  /** The first request body of each kind, for the SDK floor (bench/sdk-floor.mjs) to repeat. */
  const samples = {};
  const server = createServer((req, res) => {
    const chunks = [];
    req.on("data", (chunk) => chunks.push(chunk));
    req.on("end", () => {
      const reply = (status, body) => {
        res.writeHead(status, { "content-type": "application/json" });
        res.end(JSON.stringify(body));
      };
      if (req.method !== "POST" || req.url !== "/v1/chat/completions")
        return reply(404, { error: { type: "not_found", message: `no route ${req.method} ${req.url}` } });
      const body = JSON.parse(Buffer.concat(chunks).toString("utf8"));
      const system = text(body.messages.find((m) => m.role === "system")?.content);
      const user = body.messages
        .filter((m) => m.role === "user")
        .map((m) => text(m.content))
        .join("\n");
      const kind = KINDS.find(([, matches]) => matches(system, user))?.[0];
      if (!kind) return reply(400, { error: { type: "invalid_request_error", message: "unknown prompt" } });
      counts[kind]++;
      samples[kind] ??= body;
      const content = JSON.stringify(answer(kind, String(body.model), user));
      const input = Math.ceil((system.length + user.length) / 4);
      const output = Math.ceil(content.length / 4);
      setTimeout(() => {
        if (res.destroyed) return;
        reply(200, {
          id: "chatcmpl-bench",
          object: "chat.completion",
          created: 1_700_000_000,
          model: body.model,
          choices: [{ index: 0, message: { role: "assistant", content }, finish_reason: "stop" }],
          usage: { prompt_tokens: input, completion_tokens: output, total_tokens: input + output },
        });
      }, delayMs);
    });
  });
  await new Promise((resolve) => server.listen(0, "127.0.0.1", resolve));
  return {
    url: `http://127.0.0.1:${server.address().port}/v1`,
    counts,
    samples,
    total: () => Object.values(counts).reduce((sum, n) => sum + n, 0),
    reset: () => {
      for (const kind of Object.keys(counts)) counts[kind] = 0;
    },
    close: () =>
      new Promise((resolve) => {
        server.closeAllConnections();
        server.close(() => resolve());
      }),
  };
}
