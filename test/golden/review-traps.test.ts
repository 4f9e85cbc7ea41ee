import { existsSync, readFileSync, writeFileSync } from "node:fs";
import { join } from "node:path";
import { describe, expect, it } from "vitest";
import { DATASET, lines, reviewSession } from "./review-fixture.js";
import { startReviewServer } from "../../src/golden/review/review-server.js";
import { ReviewActionError } from "../../src/golden/review/review-state.js";
import { validateGoldenSet } from "../../src/golden/validate.js";
import { cli, REPO, runArgs, tempDir } from "../cli/helpers.js";

const GOLDEN = join(REPO, "golden/demo/golden.jsonl");
const session = () => reviewSession("eb-review-traps-");

describe("labels attach to the proposal, not its current text", () => {
  it("a proposal edited then rated keeps its label under the text the extractor wrote, and a run matches it", async () => {
    const { dir, files, proposals, review } = await session();
    const [first, second] = proposals;
    review.apply({ op: "label", proposal_id: first!.id, usefulness: 5, version: 0 });
    review.apply({
      op: "edit_proposal",
      proposal_id: first!.id,
      fields: { text: "Alice is on the ledger team at Acme" },
      version: 1,
    });
    review.apply({ op: "edit_proposal", proposal_id: second!.id, fields: { text: "An edited wording" }, version: 1 });
    review.apply({ op: "label", proposal_id: second!.id, usefulness: 2, version: 0 });

    expect(lines(files.proposals)[0]).toMatchObject({
      text: "Alice is on the ledger team at Acme",
      extracted_text: first!.text,
    });
    expect(lines(files.labels)).toEqual([
      { conversation_id: first!.conversation_id, text: first!.text, proposal_id: first!.id, usefulness: 5 },
      { conversation_id: second!.conversation_id, text: second!.text, proposal_id: second!.id, usefulness: 2 },
    ]);
    // Editing the text back to the extractor's drops the kept copy.
    review.apply({ op: "edit_proposal", proposal_id: second!.id, fields: { text: second!.text }, version: 2 });
    expect(lines(files.proposals)[1]).not.toHaveProperty("extracted_text");

    const out = join(dir, "run");
    const run = await cli([...runArgs({ dataset: DATASET, golden: GOLDEN, out }), "--labels", files.labels]);
    expect(run.code).toBe(0);
    expect(JSON.parse(readFileSync(join(out, "report.json"), "utf8")).agreement).toMatchObject({
      labels: 2,
      matched: 2,
    });
  });

  it("a label names a proposal, or a conversation and a text", async () => {
    const { review } = await session();
    expect(() => review.apply({ op: "label", usefulness: 3, version: 0 })).toThrow(
      new ReviewActionError("a label names a proposal_id, or a conversation_id and a text"),
    );
    expect(() => review.apply({ op: "label", proposal_id: "nope", usefulness: 3, version: 0 })).toThrow(
      /no proposal "nope"/,
    );
  });
});

describe("no empty labels file", () => {
  it("undoing the only label removes labels.jsonl instead of leaving it empty", async () => {
    const { files, proposals, review } = await session();
    review.apply({ op: "label", proposal_id: proposals[0]!.id, usefulness: 4, version: 0 });
    expect(lines(files.labels)).toHaveLength(1);
    review.apply({ op: "undo" });
    expect(existsSync(files.labels)).toBe(false);
    review.apply({ op: "label", proposal_id: proposals[0]!.id, junk: true });
    expect(lines(files.labels)).toHaveLength(1);
    review.apply({ op: "label", proposal_id: proposals[0]!.id, junk: null });
    expect(existsSync(files.labels)).toBe(false);
  });

  it("a run given an empty labels file warns and runs, without judge-vs-human agreement", async () => {
    const dir = tempDir("eb-review-traps-");
    const labels = join(dir, "labels.jsonl");
    writeFileSync(labels, "\n");
    const out = join(dir, "run");
    const run = await cli([...runArgs({ dataset: DATASET, golden: GOLDEN, out }), "--labels", labels]);
    expect(run.code).toBe(0);
    expect(run.stderr).toContain(`warning: ${labels} holds no labels yet: this run has no judge-vs-human agreement\n`);
    expect(JSON.parse(readFileSync(join(out, "report.json"), "utf8")).agreement ?? null).toBeNull();
  });
});

describe("accepting a proposal that repeats a golden memory", () => {
  it("is refused without confirm_near_duplicate, and validate then warns about the pair the page marked", async () => {
    const { files, proposals, review } = await session();
    const original = proposals[0]!;
    review.apply({ op: "accept", proposal_id: original.id });
    // A second proposal that says the same (another extractor's wording of it).
    const repeat = {
      ...proposals[1]!,
      conversation_id: original.conversation_id,
      text: `${original.text}.`,
      evidence: original.evidence,
    };
    const all = lines(files.proposals);
    all[1] = repeat;
    writeFileSync(files.proposals, all.map((p) => `${JSON.stringify(p)}\n`).join(""));

    const server = await startReviewServer(files);
    try {
      const post = (body: unknown) =>
        fetch(new URL("api/action", server.url), {
          method: "POST",
          headers: { "content-type": "application/json" },
          body: JSON.stringify(body),
        });
      const state = (await (await fetch(new URL("api/state", server.url))).json()) as {
        near_golden: Record<string, unknown>;
      };
      expect(state.near_golden[repeat.id]).toEqual({
        golden_id: `${original.conversation_id}/g1`,
        text: original.text,
        similarity: 1,
      });
      expect(Object.keys(state.near_golden)).not.toContain(proposals[2]!.id);

      const refused = await post({ op: "accept", proposal_id: repeat.id, version: 1 });
      expect(refused.status).toBe(400);
      expect(((await refused.json()) as { error: string }).error).toBe(
        `proposal "${repeat.id}" repeats golden memory "${original.conversation_id}/g1" (similarity 1.00): accept it with confirm_near_duplicate: true, or reject it`,
      );
      expect(lines(files.golden)).toHaveLength(1);
      expect(
        (await post({ op: "accept", proposal_id: repeat.id, version: 1, confirm_near_duplicate: true })).status,
      ).toBe(200);
    } finally {
      await server.close();
    }
    const result = validateGoldenSet({ dataset: DATASET, golden: files.golden });
    expect(result.warnings.map((w) => w.rule)).toContain("near-duplicate");
    expect(result.warnings.find((w) => w.rule === "near-duplicate")!.message).toMatch(/similarity 1\.00/);
  });
});
