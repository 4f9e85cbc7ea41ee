import { describe, expect, it } from "vitest";
import { binaryAgreement, computeHumanAgreement } from "../../src/metrics/human-agreement.js";
import type { HumanLabel } from "../../src/schema/labels.js";
import { candidatesWith, dryRunRecord, junkRecord, makeDryRun, makeRunData, makeRunStart, usefulnessRecord } from "./fixtures.js";

const pair = (judge: boolean, human: boolean) => ({ judge, human });

describe("binaryAgreement", () => {
  it("gives accuracy and Cohen's κ (hand-computed: p_o 0.75, p_e 0.5, κ 0.5)", () => {
    expect(binaryAgreement([pair(true, true), pair(true, false), pair(false, false), pair(true, true)])).toEqual({ pairs: 4, accuracy: 0.75, kappa: 0.5 });
  });

  it("has no κ when both raters always agree on one answer, and nothing without pairs", () => {
    expect(binaryAgreement([pair(true, true), pair(true, true)])).toEqual({ pairs: 2, accuracy: 1, kappa: null });
    expect(binaryAgreement([])).toEqual({ pairs: 0, accuracy: null, kappa: null });
  });
});

describe("computeHumanAgreement", () => {
  const candidates = ["Ann lives in Leeds", "Ann likes tea", "The assistant said hi"].map((text) => candidatesWith(1, { text })[0]!);
  const labels: HumanLabel[] = [
    { conversation_id: "c1", text: "ann lives  in LEEDS", rating: 5 },
    { conversation_id: "c1", text: "Ann likes tea", rating: 2, role: "candidate" },
    { conversation_id: "c1", text: "Ann likes tea", rating: 4 },
    { conversation_id: "c1", text: "The assistant said hi", junk: true },
  ];
  const start = { ...makeRunStart({ conversations: [{ id: "c1", turns: 3 }] }), labels: { path: "labels.jsonl", items: labels } };

  it("matches labels to candidates by text, prefers a role's own label, and lists the disagreements", () => {
    const run = makeRunData(start, [
      dryRunRecord("baseline", makeDryRun("c1", candidates)),
      dryRunRecord("candidate", makeDryRun("c1", candidates)),
      usefulnessRecord("baseline", "c1", [true, true, false]),
      usefulnessRecord("candidate", "c1", [true, true, false]),
      junkRecord("baseline", "c1", [{ index: 2, junk: true, category: "about_assistant" }]),
      junkRecord("candidate", "c1", [{ index: 2, junk: false }]),
    ]);
    const agreement = computeHumanAgreement(run)!;
    expect(agreement.labels).toBe(4);
    // usefulness: baseline (T,T) (T,T); candidate (T,T) (T,F): 3 of 4 agree
    expect(agreement.usefulness).toMatchObject({ pairs: 4, accuracy: 0.75 });
    expect(agreement.junk).toMatchObject({ pairs: 2, accuracy: 0.5 });
    expect(agreement.disagreements.map((d) => [d.task, d.role, d.text, d.judge, d.human])).toEqual([
      ["usefulness", "candidate", "Ann likes tea", "rated 4", "rated 2"],
      ["junk", "candidate", "The assistant said hi", "not junk", "junk"],
    ]);
  });

  it("is null without a labels file", () => {
    expect(computeHumanAgreement(makeRunData(makeRunStart({ conversations: [{ id: "c1", turns: 3 }] }), []))).toBeNull();
  });
});
