import { existsSync, mkdtempSync, readFileSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { afterAll, describe, expect, it } from "vitest";
import { InputError } from "../../src/errors.js";
import { CommandRetrieverSettingsSchema, createCommandRetriever } from "../../src/retrieval/retrievers/command.js";
import type { Retriever } from "../../src/schema/retrieval-store.js";
import { REPO } from "../cli/helpers.js";
import { annStore, query, searchFailure } from "../fixtures/retrieval-store.js";

const SCRIPT = join(REPO, "test/fixtures/retrievers/retrieve.mjs");
const dir = mkdtempSync(join(tmpdir(), "eb-command-retriever-"));
const configPath = join(dir, "bench.yaml");
writeFileSync(configPath, "retrieval:\n  retriever:\n    command: [node, retrieve.mjs]\n");
const opened: Retriever[] = [];

function retriever(mode: string, extra: Record<string, unknown> = {}, args: string[] = []): Retriever {
  const settings = CommandRetrieverSettingsSchema.parse({
    kind: "command",
    command: [process.execPath, SCRIPT, mode, ...args],
    timeout_ms: 10_000,
    ...extra,
  });
  const created = createCommandRetriever(settings, { baseDir: dir, configPath });
  opened.push(created);
  return created;
}

afterAll(async () => {
  await Promise.all(opened.map((r) => r.close?.()));
});

describe("command retriever", () => {
  it("ranks by the program's answer, best first, cut at k", async () => {
    const ranked = await retriever("good").search(annStore(), query("q1", "Where does Ann live in Lisbon?"), 3);
    expect(ranked).toEqual(["m1", "m5", "m2"]);
  });

  it("takes a bare array of ids too, and the program applies the query's filters", async () => {
    const ranked = await retriever("bare").search(
      annStore(),
      query("q2", "Where does Ann live in Lisbon?", { predicate: "lives_in" }),
      5,
    );
    expect(ranked).toEqual(["m1"]);
  });

  it("sends the store's memories without their extractor version, the query without what answers it, and k", async () => {
    const log = join(dir, "requests.jsonl");
    const store = annStore();
    const asked = { ...query("q3", "Ann has a cat", { type: "relation" }), relevant_golden: ["g3"] };
    expect(await retriever("record", {}, [log]).search(store, asked, 2)).toEqual(["m3"]);
    const request = readLines(log)[0]!;
    expect(request.k).toBe(2);
    expect(request.query).toEqual({
      id: "q3",
      scope: "user:ann",
      text: "Ann has a cat",
      filters: { type: "relation" },
    });
    expect(request.store.scope).toBe("user:ann");
    expect(request.store.store_id).toMatch(/^[0-9a-f]{16}$/);
    expect(request.store.memories).toHaveLength(5);
    expect(request.store.memories[4]).toEqual({
      id: "m5",
      conversation_id: "c1",
      scope: "user:ann",
      type: "fact",
      subject: "ann",
      subject_entity: "ent-ann",
      predicate: "residence",
      object: "Lisbon",
      text: "Ann moved to Lisbon from Porto",
      confidence: 0.8,
      evidence: ["t1"],
    });
    expect(JSON.stringify(request)).not.toMatch(/version|strategy|coexist|relevant/);
  });

  it("with store_once, writes each store once to a file the program reads, and removes the files on close", async () => {
    const log = join(dir, "requests-once.jsonl");
    const once = retriever("record", { store_once: true }, [log]);
    const store = annStore();
    // The same memories left by another strategy are the same store to the program.
    const same = annStore("reextract");
    expect(await once.search(store, query("q1", "Where does Ann live in Lisbon?"), 2)).toEqual(["m1", "m5"]);
    expect(await once.search(same, query("q2", "spicy ramen"), 2)).toEqual(["m4"]);
    const requests = readLines(log);
    expect(requests.map((r) => Object.keys(r.store).sort())).toEqual([
      ["file", "scope", "store_id"],
      ["file", "scope", "store_id"],
    ]);
    const [first, second] = requests as [Record<string, any>, Record<string, any>];
    expect(second.store).toEqual(first.store);
    const file = first.store.file as string;
    expect(JSON.parse(readFileSync(file, "utf8"))).toMatchObject({
      store_id: first.store.store_id,
      scope: "user:ann",
      memories: expect.any(Array),
    });
    await once.close!();
    expect(existsSync(file)).toBe(false);
  });

  it.each([
    ["bad-json", "invalid_output", /query q1: \S+ answered something that is not JSON: "ids: m1, m2"/],
    ["bad-shape", "invalid_output", /answered ids that do not validate .*ids\[0\]: expected string/],
    ["unknown", "invalid_output", /answered an id the store does not hold: "no-such-memory"/],
    ["exit1", "failed", /exited with code 1: index not found for scope user:ann/],
  ])("a program that answers %s fails the search as %s, with what it printed", async (mode, kind, message) => {
    const error = await searchFailure(retriever(mode).search(annStore(), query("q1", "Lisbon"), 3));
    expect(error.kind).toBe(kind);
    expect(error.message).toMatch(message);
    if (mode === "exit1") expect(error.stderr).toBe("index not found for scope user:ann");
  });

  it("stops a program that runs past its timeout, with everything it started", async () => {
    const error = await searchFailure(
      retriever("sleep", { timeout_ms: 300 }).search(annStore(), query("q1", "Lisbon"), 3),
    );
    expect(error.kind).toBe("timeout");
    expect(error.message).toMatch(/query q1: .* did not finish within 300 ms/);
  });

  it("never shows a key from the environment that the program prints", async () => {
    process.env.RETRIEVAL_TEST_API_KEY = "rk-live-0123456789abcdef";
    try {
      const error = await searchFailure(retriever("exit1-key").search(annStore(), query("q1", "Lisbon"), 3));
      expect(error.message).toContain("[redacted]");
      expect(`${error.message}${error.stderr}`).not.toContain("rk-live-0123456789abcdef");
    } finally {
      delete process.env.RETRIEVAL_TEST_API_KEY;
    }
  });

  it("refuses a program that does not exist, naming the bench file and the setting", () => {
    const settings = CommandRetrieverSettingsSchema.parse({ kind: "command", command: ["./no-such-retrieval"] });
    expect(() => createCommandRetriever(settings, { baseDir: dir, configPath })).toThrow(InputError);
    expect(() => createCommandRetriever(settings, { baseDir: dir, configPath })).toThrow(
      `${configPath}:3: retrieval.retriever.command[0]: program ${join(dir, "no-such-retrieval")} does not exist or is not executable`,
    );
    expect(() => createCommandRetriever({ ...settings, cwd: "missing" }, { baseDir: dir })).toThrow(
      `${dir}: retrieval.retriever.cwd: working folder ${join(dir, "missing")} does not exist`,
    );
  });
});

function readLines(file: string): Record<string, any>[] {
  return readFileSync(file, "utf8")
    .trim()
    .split("\n")
    .map((line) => JSON.parse(line) as Record<string, any>);
}
