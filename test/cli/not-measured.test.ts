import { readFileSync, writeFileSync } from "node:fs";
import { join } from "node:path";
import { beforeAll, describe, expect, it } from "vitest";
import { BenchReportSchema, type BenchReport } from "../../src/schema/report.js";
import { cli, runArgs, tempDir } from "./helpers.js";

/**
 * A golden set imported from a CSV export with text-only memories, over conversations that list no
 * known entities. What it cannot measure (field agreement, entity resolution) must say so in every
 * format, never print as a number.
 */

const STATEMENTS = [
  "I work at Globex as a nurse.",
  "I live in Leeds now.",
  "I love hiking.",
  "My sister Emma is visiting.",
  "I'm allergic to peanuts.",
];
const PEOPLE = [
  "Anna",
  "Marcus",
  "Priya",
  "Jonas",
  "Sofia",
  "Harold",
  "Chioma",
  "Mateo",
  "Yuki",
  "Noor",
  "Elena",
  "Tomas",
];

let report: BenchReport;
let stdout: string;
let markdown: string;
let html: string;
let junit: string;

beforeAll(async () => {
  const dir = tempDir("eb-csv-");
  const rows = ["conversation_id,speaker,role,text,memory"];
  PEOPLE.forEach((name, c) => {
    for (const [i, text] of STATEMENTS.entries()) {
      rows.push(
        `c${c},${name},user,"${text}","${name} ${["works at Globex", "lives in Leeds", "loves hiking", "has a sister Emma", "is allergic to peanuts"][i]}"`,
      );
      rows.push(`c${c},Bot,assistant,Noted!,`);
    }
  });
  writeFileSync(join(dir, "export.csv"), `${rows.join("\n")}\n`);
  const imported = await cli(["golden", "import", "--from", "csv", join(dir, "export.csv"), "--out", join(dir, "set")]);
  expect(imported.code).toBe(0);
  // A dataset that lists no known entity (an export without an entity table): nothing a mention could resolve to.
  const conversations = join(dir, "set/conversations.jsonl");
  const lines = readFileSync(conversations, "utf8")
    .trim()
    .split("\n")
    .map((line) => ({ ...JSON.parse(line), entities: [] }));
  writeFileSync(conversations, `${lines.map((c) => JSON.stringify(c)).join("\n")}\n`);
  const run = await cli(
    runArgs({
      dataset: join(dir, "set/conversations.jsonl"),
      golden: join(dir, "set/golden.jsonl"),
      out: join(dir, "run"),
    }),
  );
  stdout = run.stdout;
  const read = (file: string) => readFileSync(join(dir, "run", file), "utf8");
  report = BenchReportSchema.parse(JSON.parse(read("report.json")));
  markdown = read("report.md");
  html = read("report.html");
  junit = read("junit.xml");
});

describe("a CSV-imported golden set: text-only memories, no known entities", () => {
  it("marks field agreement as not measured, with null scores and the reason", () => {
    expect(report.fields.not_measured).toEqual(
      ["subject", "predicate", "object", "type"].map((field) => ({
        field,
        reason: "the golden memories carry text only, no fields",
      })),
    );
    expect(report.fields.baseline.fields.subject.exact.f1).toBeNull();
    expect(report.fields.delta.object.strict).toBeNull();
  });

  it("marks entity resolution as not measured, with null rates, the reason, and a gate check not measured", () => {
    expect(report.entities.not_measured).toMatch(/^no mention on either side resolved to a known entity/);
    expect(report.entities.baseline.fail_rate).toBeNull();
    expect(report.entities.fail_rate_delta).toBeNull();
    const check = report.gate.checks.find((c) => c.id === "entity_resolution_fail_increase")!;
    expect(check.status).toBe("not_measured");
    expect(check.detail).toContain("not measured: no mention on either side resolved to a known entity");
  });

  it("says so in the terminal, report.md, report.html and junit.xml, and prints neither as a number", () => {
    expect(stdout).toContain(
      "entity-resolution fail rate not measured: no mention on either side resolved to a known entity",
    );
    expect(stdout).toContain(
      "field agreement, exact F1: subject, predicate, object, type not measured (the golden memories carry text only, no fields)",
    );
    expect(stdout).not.toMatch(/entity-resolution fail rate [\d.]+%/);
    expect(markdown).toContain("Not measured: no mention on either side resolved to a known entity");
    expect(markdown).toContain(
      "Not measured: subject, predicate, object, type (the golden memories carry text only, no fields).",
    );
    expect(markdown).not.toMatch(/\| subject \| 0\.00/);
    expect(html).toContain("<strong>Not measured</strong>: no mention on either side resolved to a known entity");
    expect(html).toContain(
      "Not measured: subject, predicate, object, type (the golden memories carry text only, no fields).",
    );
    expect(junit).toMatch(
      /name="entity_resolution_fail_increase" time="0">\n\s+<failure message="entity-resolution fail rate rise \(candidate − baseline\): not measured: no mention on either side resolved to a known entity/,
    );
  });
});
