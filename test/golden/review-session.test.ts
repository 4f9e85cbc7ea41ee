import { existsSync, readFileSync, writeFileSync } from "node:fs";
import { describe, expect, it } from "vitest";
import { CONFIG, DATASET, lines, reviewSession } from "./review-fixture.js";
import { proposeMemories } from "../../src/golden/propose.js";
import { ReviewActionError } from "../../src/golden/review/review-state.js";

const session = () => reviewSession("eb-review-");

describe("golden propose", () => {
  it("writes every candidate as a proposal linked to its evidence turns", async () => {
    const { proposals, files } = await session();
    expect(proposals.length).toBeGreaterThan(50);
    expect(lines(files.proposals)).toEqual(proposals);
    expect(proposals[0]).toMatchObject({
      id: "conv-alice-01/p1",
      conversation_id: "conv-alice-01",
      status: "proposed",
      source: "baseline-v3",
      evidence: ["t4"],
    });
    expect(proposals.every((p) => p.evidence.length > 0)).toBe(true);
  });

  it("never replaces a proposals file without --force", async () => {
    const { files } = await session();
    await expect(proposeMemories({ config: CONFIG, dataset: DATASET, out: files.proposals })).rejects.toThrow(
      /already holds proposals, perhaps reviewed; choose another --out or pass --force/,
    );
    await expect(
      proposeMemories({ config: CONFIG, dataset: DATASET, out: files.proposals, force: true }),
    ).resolves.toMatchObject({ conversations: 28 });
  });
});

describe("review session", () => {
  it("accepts a proposal into the golden file and marks it accepted", async () => {
    const { review, files, proposals } = await session();
    review.apply({ op: "accept", proposal_id: proposals[0]!.id });
    expect(lines(files.golden)).toEqual([
      {
        id: "conv-alice-01/g1",
        conversation_id: "conv-alice-01",
        text: proposals[0]!.text,
        type: proposals[0]!.type,
        subject: proposals[0]!.subject,
        predicate: proposals[0]!.predicate,
        object: proposals[0]!.object,
        evidence: proposals[0]!.evidence,
      },
    ]);
    expect(lines(files.proposals)[0]).toMatchObject({ status: "accepted", golden_id: "conv-alice-01/g1" });
  });

  it("adds, edits (blank clears a field) and deletes golden memories, refusing evidence outside the conversation", async () => {
    const { review, files } = await session();
    review.apply({
      op: "add_golden",
      conversation_id: "conv-alice-01",
      fields: { text: "Alice's dev setup broke", type: "event", evidence: ["t4", "t4"] },
    });
    review.apply({
      op: "edit_golden",
      golden_id: "conv-alice-01/g1",
      fields: { text: "Alice's local dev setup broke", type: "", alternatives: ["Alice's setup is broken", " "] },
    });
    expect(lines(files.golden)).toEqual([
      {
        id: "conv-alice-01/g1",
        conversation_id: "conv-alice-01",
        text: "Alice's local dev setup broke",
        evidence: ["t4"],
        alternatives: ["Alice's setup is broken"],
      },
    ]);
    expect(() =>
      review.apply({ op: "edit_golden", golden_id: "conv-alice-01/g1", fields: { evidence: ["t99"] } }),
    ).toThrow(new ReviewActionError('no turn "t99" in conversation "conv-alice-01"'));
    expect(() =>
      review.apply({ op: "add_golden", conversation_id: "conv-alice-01", fields: { text: "no evidence" } }),
    ).toThrow(/evidence: must list at least one turn id/);
    review.apply({ op: "delete_golden", golden_id: "conv-alice-01/g1" });
    expect(readFileSync(files.golden, "utf8")).toBe("");
  });

  it("stores ratings and junk marks as labels keyed by conversation and text", async () => {
    const { review, files, proposals } = await session();
    const p = proposals[1]!;
    review.apply({ op: "label", conversation_id: p.conversation_id, text: p.text, usefulness: 2 });
    review.apply({
      op: "label",
      conversation_id: p.conversation_id,
      text: `  ${p.text.toUpperCase()} `,
      junk_category: "over_broad",
    });
    expect(lines(files.labels)).toEqual([
      { conversation_id: p.conversation_id, text: p.text, usefulness: 2, junk: true, junk_category: "over_broad" },
    ]);
    review.apply({ op: "label", conversation_id: p.conversation_id, text: p.text, junk: false });
    expect(lines(files.labels)).toEqual([
      { conversation_id: p.conversation_id, text: p.text, usefulness: 2, junk: false },
    ]);
    review.apply({ op: "label", conversation_id: p.conversation_id, text: p.text, usefulness: null, junk: null });
    // No label left: no labels file, rather than an empty one.
    expect(existsSync(files.labels)).toBe(false);
  });

  it("undoes every change, one at a time, back to the start, and says when there is nothing left", async () => {
    const { review, files, proposals } = await session();
    writeFileSync(files.golden, "");
    review.apply({ op: "accept", proposal_id: proposals[0]!.id });
    review.apply({ op: "reject", proposal_id: proposals[1]!.id });
    review.apply({ op: "edit_proposal", proposal_id: proposals[2]!.id, fields: { text: "edited" } });
    expect(
      lines(files.proposals)
        .slice(0, 3)
        .map((p) => [p.status, p.text === "edited"]),
    ).toEqual([
      ["accepted", false],
      ["rejected", false],
      ["proposed", true],
    ]);
    review.apply({ op: "undo" });
    review.apply({ op: "undo" });
    expect(
      lines(files.proposals)
        .slice(0, 3)
        .map((p) => p.status),
    ).toEqual(["accepted", "proposed", "proposed"]);
    review.apply({ op: "undo" });
    expect(lines(files.proposals)).toEqual(proposals);
    expect(readFileSync(files.golden, "utf8")).toBe("");
    expect(review.canUndo()).toBe(false);
  });

  it("refuses to reject an accepted proposal; accepting it again changes nothing", async () => {
    const { review, proposals, files } = await session();
    review.apply({ op: "accept", proposal_id: proposals[0]!.id });
    const golden = readFileSync(files.golden, "utf8");
    review.apply({ op: "accept", proposal_id: proposals[0]!.id });
    expect(readFileSync(files.golden, "utf8")).toBe(golden);
    expect(() => review.apply({ op: "reject", proposal_id: proposals[0]!.id })).toThrow(
      /delete its golden memory instead/,
    );
    expect(() => review.apply({ op: "reject", proposal_id: "nope" })).toThrow(/no proposal "nope"/);
  });
});
