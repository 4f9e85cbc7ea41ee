import { existsSync, readFileSync, writeFileSync } from "node:fs";
import { join } from "node:path";
import { describe, expect, it } from "vitest";
import { cli, REPO, runArgs, tempDir } from "../cli/helpers.js";

const fixture = (name: string) => join(REPO, "test/fixtures/import", name);

describe("golden import on the command line", () => {
  it.each([
    { from: "csv", file: "turns-semicolon.csv", extra: ["--mapping", fixture("mapping-semicolon.yaml")] },
    { from: "locomo", file: "locomo-mini.json", extra: [] },
  ])("writes files that run accepts as they are ($from)", async ({ from, file, extra }) => {
    const dir = tempDir("eb-golden-");
    const out = join(dir, "set");
    const imported = await cli(["golden", "import", "--from", from, fixture(file), "--out", out, ...extra]);
    expect(imported.stderr).toBe("");
    expect(imported.code).toBe(0);
    expect(imported.stdout).toMatch(
      /^Imported \d+ conversations \(\d+ turns\) and \d+ golden memories\.\n(?:Fields: .*; fill them in on the review page \(golden review\)\.\n)?Written:\n/,
    );
    const run = await cli(
      runArgs({ dataset: join(out, "conversations.jsonl"), golden: join(out, "golden.jsonl"), out: join(dir, "run") }),
    );
    expect(run.stderr).not.toMatch(/error/);
    expect([0, 1]).toContain(run.code);
    const report = JSON.parse(readFileSync(join(dir, "run", "report.json"), "utf8"));
    expect(report.run.golden.memories).toBeGreaterThan(0);
    expect(report.metrics.candidate.recall.golden).toBe(report.run.golden.memories);
  });

  it("says how many imported memories lack fields, and that the review page fills them in", async () => {
    const dir = tempDir("eb-golden-");
    const csv = join(dir, "export.csv");
    writeFileSync(
      csv,
      "conversation_id,speaker,role,text,memory,memory_subject\nc1,Anna,user,I moved to Lisbon,Anna lives in Lisbon,\nc1,Bot,assistant,Nice!,,\nc1,Anna,user,I have a cat,Anna has a cat,Anna\n",
    );
    const { stdout } = await cli(["golden", "import", "--from", "csv", csv, "--out", join(dir, "set")]);
    expect(stdout).toContain(
      "and 2 golden memories.\nFields: 1 of 2 memories have text only (no type, subject, predicate or object), 1 more lack some of type, subject, predicate and object; fill them in on the review page (golden review).\nWritten:\n",
    );
  });

  it("prints what LoCoMo left out", async () => {
    const out = join(tempDir("eb-golden-"), "set");
    const { stdout } = await cli(["golden", "import", "--from", "locomo", fixture("locomo-mini.json"), "--out", out]);
    expect(stdout).toContain("Not imported or changed: 7\n  empty fact: 1 (e.g. conv-t1/session_1 Caroline #3)\n");
  });

  it("imports LoCoMo whose findings are speaker attribution and near-duplicates: validate prints them as warnings and exits 0", async () => {
    const out = join(tempDir("eb-golden-"), "set");
    expect(
      (await cli(["golden", "import", "--from", "locomo", fixture("locomo-warnings.json"), "--out", out])).code,
    ).toBe(0);
    const golden = join(out, "golden.jsonl");
    const args = ["golden", "validate", "--dataset", join(out, "conversations.jsonl"), "--golden", golden];
    const validated = await cli(args);
    expect(validated.stderr).toBe("");
    expect(validated.code).toBe(0);
    expect(validated.stdout).toBe(
      [
        `warning: ${golden}:2: evidence: no evidence turn is spoken by the subject "Melanie" (spoken by Caroline) [speaker-attribution]`,
        `warning: ${golden}:4: text: near-duplicate of "conv-w1/session_1/caroline-1" at ${golden}:3 (similarity 1.00) [near-duplicate]`,
        "Valid with 2 warnings (near-duplicate 1, speaker-attribution 1): 4 golden memories over 1 conversation. run accepts the set; look at each warning, and pass --strict to make warnings fail.",
        "",
      ].join("\n"),
    );
    expect((await cli([...args, "--strict"])).code).toBe(2);
  });

  it("exits 2 on bad rows, naming file:line, and writes nothing", async () => {
    const out = join(tempDir("eb-golden-"), "set");
    const { code, stderr } = await cli(["golden", "import", "--from", "csv", fixture("turns-bad.csv"), "--out", out]);
    expect(code).toBe(2);
    expect(stderr).toContain(`${fixture("turns-bad.csv")}:3: missing speaker`);
    expect(stderr).toContain(`${fixture("turns-bad.csv")}:8: Quote Not Closed`);
    expect(existsSync(out)).toBe(false);
  });

  it("writes LoCoMo's questions with evidence to queries.jsonl beside the golden file and says how many", async () => {
    const out = join(tempDir("eb-golden-"), "set");
    const { code, stdout } = await cli([
      "golden",
      "import",
      "--from",
      "locomo",
      fixture("locomo-mini.json"),
      "--out",
      out,
    ]);
    expect(code).toBe(0);
    expect(stdout).toContain(
      `${join(out, "golden.jsonl")}\n  ${join(out, "queries.jsonl")} (2 queries from the file's questions)\n`,
    );
    const lines = readFileSync(join(out, "queries.jsonl"), "utf8")
      .trim()
      .split("\n")
      .map((line) => JSON.parse(line));
    expect(lines.map((q) => [q.id, q.scope, q.relevant_turns])).toEqual([
      ["conv-t1/q1", "locomo:conv-t1", ["D1:3"]],
      ["conv-t1/q2", "locomo:conv-t1", ["D1:4", "D2:1"]],
    ]);
  });

  it("writes no queries.jsonl for a format without questions", async () => {
    const out = join(tempDir("eb-golden-"), "set");
    const { code, stdout } = await cli([
      "golden",
      "import",
      "--from",
      "csv",
      fixture("turns-semicolon.csv"),
      "--out",
      out,
      "--mapping",
      fixture("mapping-semicolon.yaml"),
    ]);
    expect(code).toBe(0);
    expect(stdout).not.toContain("queries");
    expect(existsSync(join(out, "queries.jsonl"))).toBe(false);
  });

  it("never overwrites a golden set that holds memories without --force", async () => {
    const out = join(tempDir("eb-golden-"), "set");
    await cli(["golden", "import", "--from", "locomo", fixture("locomo-mini.json"), "--out", out]);
    const again = await cli(["golden", "import", "--from", "locomo", fixture("locomo-mini.json"), "--out", out]);
    expect(again.code).toBe(2);
    expect(again.stderr).toMatch(/already holds golden memories; choose another --out or pass --force/);
    expect(
      (await cli(["golden", "import", "--from", "locomo", fixture("locomo-mini.json"), "--out", out, "--force"])).code,
    ).toBe(0);
  });
});
