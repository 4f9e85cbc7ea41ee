import { describe, expect, it } from "vitest";
import { cohensKappa, computeAgreement, labelKey, type JudgedCandidate } from "../../src/metrics/agreement.js";
import type { HumanLabel } from "../../src/schema/curation.js";

const judged = (text: string, extra: Partial<JudgedCandidate>): JudgedCandidate => ({
  role: "candidate",
  conversation_id: "c1",
  text,
  ...extra,
});

describe("Cohen's κ", () => {
  it("matches hand-computed values", () => {
    // 4 of 6 agree (po = 2/3); each side says yes half the time (pe = 1/2): κ = (2/3 − 1/2) / (1 − 1/2) = 1/3.
    expect(
      cohensKappa([
        [true, true],
        [true, true],
        [true, false],
        [false, false],
        [false, true],
        [false, false],
      ]),
    ).toBeCloseTo(1 / 3, 10);
    // Perfect agreement with both classes present: κ = 1; systematic disagreement: κ = −1.
    expect(
      cohensKappa([
        [true, true],
        [false, false],
      ]),
    ).toBe(1);
    expect(
      cohensKappa([
        [true, false],
        [false, true],
      ]),
    ).toBe(-1);
    // Both raters constant: chance agreement is total, κ is undefined.
    expect(
      cohensKappa([
        [true, true],
        [true, true],
      ]),
    ).toBeNull();
    expect(cohensKappa([])).toBeNull();
  });
});

describe("judge-vs-human agreement", () => {
  const labels: HumanLabel[] = [
    { conversation_id: "c1", text: "Alice works at Acme", usefulness: 5, junk: false },
    { conversation_id: "c1", text: "the user said hello", usefulness: 1, junk: true, junk_category: "chit_chat" },
    { conversation_id: "c1", text: "Alice likes tea", usefulness: 4 },
    { conversation_id: "c2", text: "never extracted", usefulness: 3 },
  ];
  const candidates: JudgedCandidate[] = [
    judged("Alice  works at ACME ", { rating: 5, useful: true, junk: false, junk_category: null }),
    judged("The user said hello", { rating: 4, useful: true, junk: true, junk_category: "chit_chat" }),
    judged("Alice likes tea", { rating: 2, useful: false }),
    judged("unlabelled", { rating: 5, useful: true }),
  ];

  it("matches labels to candidates by conversation and normalized text, and lists the disagreements", () => {
    const agreement = computeAgreement(labels, candidates);
    expect(agreement).toEqual({
      labels: 4,
      matched: 3,
      usefulness: {
        pairs: 3,
        accuracy: 0.3333,
        // judge: yes, yes, no; human: yes, no, yes → po = 1/3, pe = (2/3)(2/3) + (1/3)(1/3) = 5/9, κ = (3/9 − 5/9) / (4/9) = −0.5.
        kappa: -0.5,
        disagreements: [
          {
            role: "candidate",
            conversation_id: "c1",
            text: "The user said hello",
            judge: "rated 4 (useful)",
            human: "rated 1",
          },
          {
            role: "candidate",
            conversation_id: "c1",
            text: "Alice likes tea",
            judge: "rated 2 (not useful)",
            human: "rated 4",
          },
        ],
        disagreements_total: 2,
      },
      junk: { pairs: 2, accuracy: 1, kappa: 1, disagreements: [], disagreements_total: 0 },
    });
  });

  it("keys labels by conversation and text, whitespace and case ignored", () => {
    expect(labelKey("c1", "  Alice\n works ")).toBe(labelKey("c1", "alice works"));
    expect(labelKey("c1", "Alice works")).not.toBe(labelKey("c2", "Alice works"));
  });
});

describe("labels that match no candidate", () => {
  it("are counted by why: their conversation is not in the run, or no candidate of it has their text", () => {
    const labels: HumanLabel[] = [
      { conversation_id: "c1", text: "Lives in Lisbon", usefulness: 5 },
      { conversation_id: "c1", text: "Owns a red bicycle", usefulness: 2 },
      { conversation_id: "c2", text: "Works at Acme", usefulness: 4 },
      { conversation_id: "c9", text: "Plays chess", junk: false },
    ];
    const candidates = [
      judged("lives in  lisbon", { rating: 5, useful: true }),
      { ...judged("x", {}), conversation_id: "c2" },
    ];
    const inRun = (id: string) => id === "c1" || id === "c2";
    expect(computeAgreement(labels, candidates, inRun)).toMatchObject({
      labels: 4,
      matched: 1,
      unmatched: { conversation_not_in_run: 1, text_not_extracted: 2 },
    });
    // Without knowing the run's conversations, the reasons are left out rather than guessed.
    expect(computeAgreement(labels, candidates).unmatched).toBeUndefined();
  });
});
