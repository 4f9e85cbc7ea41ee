import { createHash } from "node:crypto";
import { createRng } from "../../src/metrics/random.js";
import { fakeModel } from "./fake-model.js";
import type { RecordedRequest, Scripted } from "./model-server.js";

/**
 * A loopback judge with a known flip rate: it answers every judge task as `fakeModel` does (the truth
 * of these tests) and then flips each verdict of the answer with probability `flipRate`: a usefulness
 * rating across the useful line (4 ↔ 2), a coverage score (2 ↔ 0), a junk verdict. Every call flips
 * afresh, a repeat of the same prompt included, as a judge sampled again would; which verdicts flip
 * depends on the seed, the prompt and how many times that prompt was asked, so it does not depend on
 * the order in which concurrent calls arrive. Extraction calls are answered as fakeModel answers them.
 */
export function flippingJudge(flipRate: number, seed: number): (request: RecordedRequest) => Scripted {
  const asked = new Map<string, number>();
  return (request) => {
    const truth = fakeModel(request);
    const isJudge = request.user.includes("Task: ");
    if (!isJudge || typeof truth !== "string") return truth;
    const key = createHash("sha256").update(request.system).update("\u0000").update(request.user).digest("hex");
    const occurrence = asked.get(key) ?? 0;
    asked.set(key, occurrence + 1);
    const rng = createRng(
      Number.parseInt(createHash("sha256").update(`${seed}:${key}:${occurrence}`).digest("hex").slice(0, 8), 16),
    );
    const answer = JSON.parse(truth.replace(/^```json\n|\n```$/g, "")) as unknown;
    return JSON.stringify(flipVerdicts(answer, () => rng() < flipRate));
  };
}

/** Every verdict in an answer, wherever it sits, flipped when `flip()` says so. */
function flipVerdicts(value: unknown, flip: () => boolean, shown: number[] = []): unknown {
  if (Array.isArray(value)) return value.map((item) => flipVerdicts(item, flip, shown));
  if (value === null || typeof value !== "object") return value;
  const entry = { ...(value as Record<string, unknown>) };
  const memories = Array.isArray(entry.memories)
    ? (entry.memories as Array<{ index: number }>).map((m) => m.index)
    : shown;
  for (const [key, child] of Object.entries(entry))
    if (typeof child === "object" && child !== null) entry[key] = flipVerdicts(child, flip, memories);
  if (typeof entry.rating === "number" && flip()) entry.rating = entry.rating >= 4 ? 2 : 4;
  if (typeof entry.junk === "boolean" && flip())
    Object.assign(entry, entry.junk ? { junk: false, category: null } : { junk: true, category: "other" });
  if (typeof entry.score === "number" && Array.isArray(entry.candidate_indexes) && flip()) {
    const covered = entry.score === 2;
    Object.assign(
      entry,
      covered ? { score: 0, candidate_indexes: [] } : { score: 2, candidate_indexes: memories.slice(0, 1) },
    );
    if (!covered && memories.length === 0) Object.assign(entry, { score: 0 });
  }
  return entry;
}
