import { writeFileSync } from "node:fs";
import { join } from "node:path";
import { describe, expect, it } from "vitest";
import { describeStats } from "../../src/golden/describe.js";
import { computeGoldenStats } from "../../src/golden/stats.js";
import { validateGoldenSet } from "../../src/golden/validate.js";
import type { Conversation } from "../../src/schema/conversation.js";
import type { GoldenMemory } from "../../src/schema/golden.js";
import { cli, REPO, tempDir } from "../cli/helpers.js";

const conversation: Conversation = {
  id: "c1",
  scope: { namespace: "user:anna" },
  entities: [{ id: "ent-anna", name: "Anna Silva", aliases: ["Anna"] }],
  turns: [
    { id: "t1", speaker: "Anna", role: "user", text: "I moved to Lisbon and I adopted a cat named Miso." },
    { id: "t2", speaker: "assistant", role: "assistant", text: "So you live in Lisbon now, with Miso the cat!" },
    { id: "t3", speaker: "Anna", role: "user", text: "My brother Tom lives in Porto." },
  ],
};

const memory = (id: string, text: string, evidence: string[], extra: Partial<GoldenMemory> = {}): GoldenMemory => ({
  id,
  conversation_id: "c1",
  text,
  evidence,
  ...extra,
});

function writeSet(golden: GoldenMemory[]): { dataset: string; golden: string } {
  const dir = tempDir("eb-validate-");
  const files = { dataset: join(dir, "conversations.jsonl"), golden: join(dir, "golden.jsonl") };
  writeFileSync(files.dataset, `${JSON.stringify(conversation)}\n`);
  writeFileSync(files.golden, golden.map((m) => `${JSON.stringify(m)}\n`).join(""));
  return files;
}

describe("golden validate", () => {
  const findings = (list: Array<{ line?: number; path?: string; message: string; rule?: string }>) =>
    list.map((p) => `${p.line}: ${p.path ?? ""}: ${p.message}${p.rule ? ` [${p.rule}]` : ""}`);

  it("passes a clean set, including a memory about someone who does not speak", () => {
    const files = writeSet([
      memory("m1", "Anna lives in Lisbon", ["t1"], { subject: "Anna" }),
      memory("m2", "Anna has a cat named Miso", ["t1"], { subject: "Anna Silva" }),
      memory("m3", "Tom lives in Porto", ["t3"], { subject: "Tom" }),
    ]);
    expect(validateGoldenSet(files)).toMatchObject({ errors: [], warnings: [] });
  });

  it("warns, with file and line, about near-duplicates, evidence spoken by someone other than the subject and memories without fields", () => {
    const files = writeSet([
      memory("m1", "Anna lives in Lisbon", ["t1"], { subject: "Anna" }),
      memory("m2", "anna LIVES in Lisbon.", ["t3"]),
      memory("m3", "Anna has a cat called Miso", ["t2"], { subject: "Anna" }),
    ]);
    const outcome = validateGoldenSet(files);
    expect(outcome.errors).toEqual([]);
    expect(outcome.warnings.every((w) => w.file === files.golden)).toBe(true);
    expect(findings(outcome.warnings)).toEqual([
      `2: text: near-duplicate of "m1" at ${files.golden}:1 (similarity 1.00) [near-duplicate]`,
      "2: : no type, subject, predicate or object: fill them in on the review page (golden review) [no-fields]",
      '3: evidence: no evidence turn is spoken by the subject "Anna" (spoken by assistant) [speaker-attribution]',
    ]);
  });

  it("warns about a conversation with no known entities, naming the dataset's file and line", () => {
    const dir = tempDir("eb-validate-");
    const files = { dataset: join(dir, "conversations.jsonl"), golden: join(dir, "golden.jsonl") };
    writeFileSync(
      files.dataset,
      `${JSON.stringify(conversation)}\n${JSON.stringify({ ...conversation, id: "c2", entities: [] })}\n`,
    );
    writeFileSync(
      files.golden,
      `${JSON.stringify(memory("m1", "Anna lives in Lisbon", ["t1"], { subject: "Anna" }))}\n`,
    );
    const outcome = validateGoldenSet(files);
    expect(outcome.warnings).toEqual([
      {
        file: files.dataset,
        line: 2,
        path: "entities",
        rule: "no-entities",
        message: 'conversation "c2" lists no known entities: add its speakers and the people it names',
      },
    ]);
  });

  it("makes the checks run makes, as errors: missing evidence, unknown turns", () => {
    const files = writeSet([
      memory("m1", "Anna lives in Lisbon", [], { subject: "Anna" }),
      memory("m2", "Anna likes fado", ["t9"], { subject: "Anna" }),
    ]);
    const outcome = validateGoldenSet(files);
    expect(findings(outcome.errors)).toEqual([
      "1: evidence: must list at least one turn id, got an empty array",
      '2: evidence[0]: no turn "t9" in conversation "c1"',
    ]);
    expect(outcome.warnings).toEqual([]);
  });

  it("exits 0 on a valid set, 0 with warnings printed, 2 on errors, and 2 on warnings with --strict", async () => {
    const good = await cli([
      "golden",
      "validate",
      "--dataset",
      join(REPO, "datasets/demo/conversations.jsonl"),
      "--golden",
      join(REPO, "golden/demo/golden.jsonl"),
    ]);
    expect(good).toMatchObject({ code: 0, stdout: "Valid: 198 golden memories over 28 conversations.\n" });

    const files = writeSet([
      memory("m1", "Anna lives in Lisbon", ["t1"], { subject: "Anna" }),
      memory("m2", "Anna lives in Lisbon", ["t1"], { subject: "Anna" }),
    ]);
    const args = ["golden", "validate", "--dataset", files.dataset, "--golden", files.golden];
    const warned = await cli(args);
    expect(warned).toEqual({
      code: 0,
      stderr: "",
      stdout:
        `warning: ${files.golden}:2: text: near-duplicate of "m1" at ${files.golden}:1 (similarity 1.00) [near-duplicate]\n` +
        "Valid with 1 warning (near-duplicate 1): 2 golden memories over 1 conversation. run accepts the set; look at each warning, and pass --strict to make warnings fail.\n",
    });
    const strict = await cli([...args, "--strict"]);
    expect(strict.code).toBe(2);
    expect(strict.stdout).toBe("");
    expect(strict.stderr).toMatch(
      /\nInvalid under --strict: 1 warning \(near-duplicate 1\); 2 golden memories over 1 conversation\.\n$/,
    );

    const broken = writeSet([
      memory("m1", "Anna lives in Lisbon", ["t1"]),
      memory("m2", "Anna likes fado", ["t9"], { subject: "Anna" }),
    ]);
    const bad = await cli(["golden", "validate", "--dataset", broken.dataset, "--golden", broken.golden]);
    expect(bad.code).toBe(2);
    expect(bad.stderr).toBe(
      `error: ${broken.golden}:2: evidence[0]: no turn "t9" in conversation "c1"\n` +
        `warning: ${broken.golden}:1: no type, subject, predicate or object: fill them in on the review page (golden review) [no-fields]\n` +
        "Invalid: 1 error that run refuses, and 1 warning (no-fields 1).\n",
    );
  });
});

describe("golden stats", () => {
  it("counts conversations, turns, memories per conversation, types, predicates and evidence coverage", () => {
    const second: Conversation = { ...conversation, id: "c2" };
    const stats = computeGoldenStats(
      [conversation, second],
      [
        memory("m1", "Anna lives in Lisbon", ["t1"], { type: "fact", predicate: "lives_in" }),
        memory("m2", "Anna has a cat", ["t1", "t2"], {
          type: "fact",
          predicate: "has_pet",
          alternatives: ["Anna owns a cat"],
        }),
        memory("m3", "Tom lives in Porto", ["t3"], { type: "relation", predicate: "lives_in" }),
      ],
    );
    expect(stats).toEqual({
      conversations: 2,
      turns: 6,
      memories: 3,
      memories_per_conversation: { mean: 1.5, median: 1.5, min: 0, max: 3 },
      conversations_without_memories: 1,
      types: { fact: 2, relation: 1 },
      predicates: { lives_in: 2, has_pet: 1 },
      evidence_coverage: 0.5,
      with_alternatives: 1 / 3,
      memories_missing_fields: { all: 0, some: 3 },
      detectable_change: expect.objectContaining({ items: 3 }),
    });
  });

  it("says how many memories lack type, subject, predicate or object, and that the review page fills them in", async () => {
    const files = writeSet([
      memory("m1", "Anna lives in Lisbon", ["t1"]),
      memory("m2", "Anna has a cat", ["t1"], { subject: "Anna" }),
      memory("m3", "Tom lives in Porto", ["t3"], {
        type: "fact",
        subject: "Tom",
        predicate: "lives_in",
        object: "Porto",
      }),
    ]);
    const args = ["golden", "stats", "--dataset", files.dataset, "--golden", files.golden];
    expect(JSON.parse((await cli([...args, "--json"])).stdout).memories_missing_fields).toEqual({ all: 1, some: 1 });
    expect((await cli(args)).stdout).toContain(
      "\nfields                   1 of 3 memories have text only (no type, subject, predicate or object), 1 more lack some of type, subject, predicate and object; fill them in on the review page (golden review)\n",
    );
    const complete = computeGoldenStats(
      [conversation],
      [
        memory("m3", "Tom lives in Porto", ["t3"], {
          type: "fact",
          subject: "Tom",
          predicate: "lives_in",
          object: "Porto",
        }),
      ],
    );
    expect(describeStats(complete)).toContain(
      "\nfields                   every memory has type, subject, predicate and object\n",
    );
  });

  it("reads the files one conversation at a time and counts the same as from memory, memories of conversations interleaved", async () => {
    const second: Conversation = { ...conversation, id: "c2" };
    const third: Conversation = { ...conversation, id: "c3" };
    const golden = [
      memory("m1", "Anna lives in Lisbon", ["t1"], { type: "fact", predicate: "lives_in" }),
      {
        ...memory("m2", "Anna has a cat", ["t1", "t2"], { type: "fact", predicate: "has_pet" }),
        conversation_id: "c3",
      },
      memory("m3", "Tom lives in Porto", ["t3", "t1"], {
        type: "relation",
        predicate: "lives_in",
        alternatives: ["Tom is in Porto"],
      }),
      { ...memory("m4", "Anna likes cats", ["t2"]), conversation_id: "c3" },
    ];
    const dir = tempDir("eb-stats-");
    const files = { dataset: join(dir, "conversations.jsonl"), golden: join(dir, "golden.jsonl") };
    writeFileSync(files.dataset, [conversation, second, third].map((c) => `${JSON.stringify(c)}\n`).join(""));
    writeFileSync(files.golden, golden.map((m) => `${JSON.stringify(m)}\n`).join(""));
    const printed = await cli(["golden", "stats", "--dataset", files.dataset, "--golden", files.golden, "--json"]);
    expect(printed.code).toBe(0);
    const expected = computeGoldenStats([conversation, second, third], golden);
    expect(JSON.parse(printed.stdout)).toEqual(expected);
    expect(expected).toMatchObject({
      conversations: 3,
      memories: 4,
      conversations_without_memories: 1,
      evidence_coverage: 4 / 9,
      memories_per_conversation: { min: 0, max: 2 },
    });
  });

  it("prints them, or JSON", async () => {
    const args = [
      "golden",
      "stats",
      "--dataset",
      join(REPO, "datasets/demo/conversations.jsonl"),
      "--golden",
      join(REPO, "golden/demo/golden.jsonl"),
    ];
    const text = await cli(args);
    expect(text.stdout).toMatch(
      /^conversations {12}28 \(0 without memories\)\nturns {20}\d+\ngolden memories {10}198\n/,
    );
    expect(JSON.parse((await cli([...args, "--json"])).stdout)).toMatchObject({ conversations: 28, memories: 198 });
  });
});
