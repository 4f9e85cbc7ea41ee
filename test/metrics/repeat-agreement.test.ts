import { describe, expect, it } from "vitest";
import { emptyConversationRecords, type Judgement } from "../../src/metrics/conversation-records.js";
import { RepeatAgreement } from "../../src/metrics/repeat-agreement.js";

function usefulness(id: string, useful: boolean[], repeat?: number): Judgement<"usefulness"> {
  return {
    kind: "judgement",
    task: "usefulness",
    role: "candidate",
    conversation_id: id,
    judge: "openai:judge",
    items: useful.map((u, i) => ({ candidate_index: i, rating: u ? 5 : 1, useful: u, reason: "r" })),
    ...(repeat ? { repeat } : {}),
  };
}

function junk(id: string, verdicts: boolean[], repeat?: number): Judgement<"junk"> {
  return {
    kind: "judgement",
    task: "junk",
    role: "baseline",
    conversation_id: id,
    judge: "openai:judge",
    items: verdicts.map((j, i) => ({ candidate_index: i, junk: j, category: j ? "other" : null, reason: "r" })),
    ...(repeat ? { repeat } : {}),
  };
}

const none = () => undefined;

describe("RepeatAgreement", () => {
  it("is null when nothing was repeated", () => {
    expect(new RepeatAgreement().counts(none)).toBeNull();
  });

  it("compares each repeat with the judgement that counts, settled or still held, and counts flips", () => {
    const check = new RepeatAgreement();
    check.tracking = true;
    const settled = emptyConversationRecords();
    settled.usefulness.candidate = usefulness("a", [true, true, false]);
    check.noteSettled("a", settled);
    check.addRepeat(usefulness("a", [true, false, false], 1));
    const held = emptyConversationRecords();
    held.usefulness.candidate = usefulness("b", [false]);
    check.addRepeat(usefulness("b", [false], 1));
    check.noteJunk(junk("c", [true, false]));
    check.addRepeat(junk("c", [false, false], 1));
    expect(check.counts((id) => (id === "b" ? held : undefined))).toEqual({
      units: 2,
      usefulness: { compared: 4, disagreements: 1 },
      coverage: { compared: 0, disagreements: 0 },
      junk: { compared: 2, disagreements: 1 },
    });
  });

  it("keeps no outcomes when the run repeats nothing, and a later junk judgement replaces an earlier one", () => {
    const check = new RepeatAgreement();
    check.noteJunk(junk("c", [true]));
    check.addRepeat(junk("c", [false], 1));
    expect(check.counts(none)?.junk).toEqual({ compared: 0, disagreements: 0 });
    check.tracking = true;
    check.noteJunk(junk("c", [true]));
    check.noteJunk({ ...junk("c", []), error: "timeout" });
    expect(check.counts(none)?.junk).toEqual({ compared: 0, disagreements: 0 });
    check.noteJunk(junk("c", [false]));
    expect(check.counts(none)?.junk).toEqual({ compared: 1, disagreements: 0 });
  });
});
