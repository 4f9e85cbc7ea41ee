import type { RecordedRequest, Scripted } from "./model-server.js";

/** Lines `[id] rest` of the block that follows `heading` in a prompt. */
function block(text: string, heading: string): Array<{ id: string; rest: string }> {
  const start = text.indexOf(heading);
  if (start < 0) return [];
  const out: Array<{ id: string; rest: string }> = [];
  for (const line of text.slice(start + heading.length).split("\n").slice(1)) {
    const match = /^\[([^\]]+)\] (.*)$/.exec(line);
    if (!match) break;
    out.push({ id: match[1]!, rest: match[2]! });
  }
  return out;
}

/**
 * A deterministic stand-in for a model, answering by the task its system prompt names: one memory per
 * user turn (the predicate spelled by model), every memory rated 4 except those about "assistant",
 * a golden memory covered by the memory citing its words, no junk, candidate better in pairwise.
 */
export function fakeModel(request: RecordedRequest): Scripted {
  const model = String(request.body.model);
  if (request.system.startsWith("You extract long-term memories")) {
    const memories = [...request.user.matchAll(/^\[turn ([^\]]+)\] ([^:(]+?)(?: \((\w+)\))?: (.*)$/gm)]
      .filter((m) => m[3] !== "assistant" && m[4]!.length > 12)
      .map(([, id, speaker, , text]) => ({
        text: `${speaker} said: ${text}`,
        type: "fact",
        subject: speaker,
        predicate: model.includes("mini") ? "states" : "says",
        object: text,
        confidence: 0.8,
        evidence: [id],
      }));
    return JSON.stringify({ memories });
  }
  if (request.system.startsWith("You judge memories")) {
    const ratings = block(request.user, "Memories to rate:").map(({ id, rest }) => ({
      index: Number(id),
      rating: /assistant/i.test(rest) ? 2 : 4,
      reason: "specific",
    }));
    return "```json\n" + JSON.stringify({ ratings }) + "\n```";
  }
  if (request.system.startsWith("You check which extracted memories")) {
    const candidates = block(request.user, "Extracted memories:");
    const coverage = block(request.user, "Golden memories:").map(({ id, rest }) => {
      const object = rest.split(" ").at(-1)!.toLowerCase();
      return { golden_id: id, candidate_indexes: candidates.filter((c) => c.rest.toLowerCase().includes(object)).map((c) => Number(c.id)) };
    });
    return JSON.stringify({ coverage });
  }
  if (request.system.startsWith("You find junk")) {
    const verdicts = block(request.user, "Memories to rate:").map(({ id }) => ({ index: Number(id), junk: false, category: null, reason: "fine" }));
    return JSON.stringify({ verdicts });
  }
  if (request.system.startsWith("You compare two sets")) return JSON.stringify({ winner: "A", reason: "first set is better" });
  return { fault: "server_error" };
}
