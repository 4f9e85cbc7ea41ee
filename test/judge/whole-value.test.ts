import { describe, expect, it } from "vitest";
import { supersededBy, wholeValueEnds } from "../../src/judge/heuristic/usefulness-rules.js";
import { createRng } from "../../src/metrics/random.js";
import type { Conversation } from "../../src/schema/conversation.js";
import { makeCandidate } from "../fixtures/candidate.js";

/** The one pattern the edges are tested for: the value with look-arounds for letters and digits. */
function patternEnds(text: string, value: string): number[] {
  const escaped = value.replace(/[.*+?^${}()|[\]\\]/g, "\\$&");
  return [...text.matchAll(new RegExp(`(?<![\\p{L}\\p{N}])${escaped}(?![\\p{L}\\p{N}])`, "giu"))].map(
    (m) => m.index + m[0].length,
  );
}

describe("a value found whole in a turn", () => {
  it("ends where the look-around pattern's matches end, on seeded texts with overlaps, case, accents and astral letters", () => {
    const random = createRng(7);
    const alphabet = ["a", "A", "b", "1", " ", "-", ".", "é", "É", "𝐀", "😀", "ß", "K", "aa", "ab"];
    const pick = () => alphabet[Math.floor(random() * alphabet.length)]!;
    let found = 0;
    for (let i = 0; i < 1500; i++) {
      const text = Array.from({ length: 1 + Math.floor(random() * 14) }, pick).join("");
      // Half the values are cut from the text (possibly mid-letter), half made up.
      const from = Math.floor(random() * text.length);
      const cut = text.slice(from, from + 2 + Math.floor(random() * 4));
      const value = (random() < 0.5 ? cut : Array.from({ length: 1 + Math.floor(random() * 3) }, pick).join("")).trim();
      if (value.length < 2) continue;
      const expected = patternEnds(text, value);
      expect(wholeValueEnds(text, value), `${JSON.stringify(value)} in ${JSON.stringify(text)}`).toEqual(expected);
      found += expected.length;
    }
    expect(found).toBeGreaterThan(100);
  });

  it("still tells a value taken back in its own turn", () => {
    const conversation = {
      id: "c",
      scope: { namespace: "n" },
      turns: [{ id: "t1", speaker: "Ana", role: "user", text: "I'm 28 — wait no, 29. Or 280?" }],
    } as Conversation;
    const candidate = makeCandidate({ text: "Ana is 28", object: "28", evidence: ["t1"], entities: [] });
    expect(supersededBy(candidate, conversation, conversation.turns)).toBe(
      'the turn takes "28" back right after saying it',
    );
    const other = makeCandidate({ text: "Ana is 280", object: "280", evidence: ["t1"], entities: [] });
    expect(supersededBy(other, conversation, conversation.turns)).toBeUndefined();
  });
});
