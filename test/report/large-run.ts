import { readFileSync, writeFileSync } from "node:fs";
import { join } from "node:path";
import type { BenchReport } from "../../src/schema/report.js";
import { cli, REPO, tempDir } from "../cli/helpers.js";
import { HOSTILE, readReport } from "./fixtures.js";

/**
 * A real run over `n` conversations cloned from the demo set (ids made unique), every golden memory
 * and turn text lengthened with markup, so every list in the report is long.
 */
export async function largeRun(n: number): Promise<BenchReport> {
  const dir = tempDir("eb-large-");
  const lines = (file: string) =>
    readFileSync(join(REPO, file), "utf8")
      .split("\n")
      .filter((l) => l.trim() !== "")
      .map((l) => JSON.parse(l) as Record<string, unknown>);
  const conversations = lines("datasets/demo/conversations.jsonl");
  const golden = lines("golden/demo/golden.jsonl");
  const outConversations: string[] = [];
  const outGolden: string[] = [];
  for (let i = 0; i < n; i++) {
    const c = conversations[i % conversations.length]!;
    const id = `${String(c.id)}-${i} ${HOSTILE.script}`;
    outConversations.push(JSON.stringify({ ...c, id }));
    for (const g of golden.filter((x) => x.conversation_id === c.id)) {
      outGolden.push(
        JSON.stringify({
          ...g,
          id: `${String(g.id)}-${i}`,
          conversation_id: id,
          text: `${String(g.text)} ${HOSTILE.img} ${"| `x` ".repeat(40)}`,
        }),
      );
    }
  }
  writeFileSync(join(dir, "conversations.jsonl"), `${outConversations.join("\n")}\n`);
  writeFileSync(join(dir, "golden.jsonl"), `${outGolden.join("\n")}\n`);
  writeFileSync(
    join(dir, "bench.yaml"),
    [
      `baseline: ${JSON.stringify(join(REPO, "configs/baseline.yaml"))}`,
      `candidate: ${JSON.stringify(join(REPO, "configs/candidate.yaml"))}`,
      "dataset: conversations.jsonl",
      "golden: golden.jsonl",
      "bootstrap_resamples: 200",
      "concurrency: 8",
    ].join("\n"),
  );
  const out = join(dir, "run");
  const { code, stderr } = await cli(["run", join(dir, "bench.yaml"), "--out", out]);
  if (code > 1) throw new Error(stderr);
  return readReport(out);
}
