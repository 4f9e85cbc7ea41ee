import type { RecordedRequest, Scripted } from "./model-server.js";

/** Lines `[id] rest` of the block that follows `heading` in a prompt. */
function block(text: string, heading: string): Array<{ id: string; rest: string }> {
  const start = text.indexOf(heading);
  if (start < 0) return [];
  const out: Array<{ id: string; rest: string }> = [];
  for (const line of text
    .slice(start + heading.length)
    .split("\n")
    .slice(1)) {
    const match = /^\[([^\]]+)\] (.*)$/.exec(line);
    if (!match) break;
    out.push({ id: match[1]!, rest: match[2]! });
  }
  return out;
}

/**
 * A deterministic stand-in for a model, answering by the task its prompt names: one memory per user
 * turn (the predicate spelled by model), every memory rated 4 except those about "assistant", a
 * golden memory covered (score 2) by the memories citing its words, no junk, "A" better in pairwise.
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
  // The judge: one system prompt for every task; the task follows the conversation in the user message.
  if (request.user.includes("Task: rate the usefulness")) {
    const candidates = block(request.user, "Memories:");
    const memories = candidates.map(({ id, rest }) => ({
      index: Number(id),
      reason: "specific",
      rating: /assistant/i.test(rest) ? 2 : 4,
    }));
    const coverage = block(request.user, "Golden memories:").map(({ id, rest }) => {
      const object = rest
        .replace(/ \(alternatives: .*\)$/, "")
        .split(" ")
        .at(-1)!
        .toLowerCase();
      const covering = candidates.filter((c) => c.rest.toLowerCase().includes(object)).map((c) => Number(c.id));
      return {
        golden_id: id,
        reason: covering.length > 0 ? "same fact" : "not stated",
        score: covering.length > 0 ? 2 : 0,
        candidate_indexes: covering,
      };
    });
    return `\`\`\`json\n${JSON.stringify({ memories, coverage })}\n\`\`\``;
  }
  if (request.user.includes("Task: decide whether each memory below is junk")) {
    const verdicts = block(request.user, "Memories:").map(({ id }) => ({
      index: Number(id),
      reason: "fine",
      junk: false,
      category: null,
    }));
    return JSON.stringify({ verdicts });
  }
  if (request.user.includes("Task: two extractors"))
    return JSON.stringify({ reason: "first set is better", winner: "A" });
  return { fault: "server_error" };
}
