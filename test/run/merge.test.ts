import { existsSync, mkdirSync, readFileSync, writeFileSync } from "node:fs";
import { join } from "node:path";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { readRunLog } from "../../src/run/run-log.js";
import type { ModelUsage } from "../../src/schema/model-usage.js";
import { cli, REPO, tempDir } from "../cli/helpers.js";
import { fakeModel } from "../support/fake-model.js";
import { startModelServer, type ModelServer } from "../support/model-server.js";
import { encodeRecord } from "../../src/run/run-log.js";
import type { RunLogRecord } from "../../src/schema/run-log.js";
import { generateShardDataset, normalizeReport, readReport, retrievalRecords } from "./shard-fixtures.js";

/**
 * merge equals unsharded: a generated dataset run whole and as 3 shards merged gives the same report
 * but for run ids, timings and paths, with the free heuristic judge and with an LLM judge on a loopback
 * server whose junk sample is smaller than the set and which repeats a share of its judgements.
 */

const CONVERSATIONS = 36;
const ENV = { ANTHROPIC_API_KEY: "fake.anthropic.key.merge" };
let dir: string;
let server: ModelServer;

beforeAll(async () => {
  dir = tempDir("eb-merge-");
  await generateShardDataset(dir, CONVERSATIONS);
  server = await startModelServer(fakeModel);
  const common = [
    `baseline: ${join(REPO, "configs/baseline.yaml")}`,
    `candidate: ${join(REPO, "configs/candidate.yaml")}`,
    "dataset: conversations.jsonl",
    "golden: golden.jsonl",
    "bootstrap_resamples: 200",
  ];
  // Human labels on candidates of a third of the conversations: the agreement must survive the merge.
  const probe = await cli([
    "run",
    "--baseline",
    join(REPO, "configs/baseline.yaml"),
    "--candidate",
    join(REPO, "configs/candidate.yaml"),
    "--dataset",
    join(dir, "conversations.jsonl"),
    "--golden",
    join(dir, "golden.jsonl"),
    "--out",
    join(dir, "probe"),
  ]);
  expect(probe.code).toBe(0);
  const labels = records(join(dir, "probe"))
    .flatMap((r) =>
      r.kind === "dry_run" && r.role === "candidate"
        ? r.result.candidates.slice(0, 2).map((c, i) => ({
            conversation_id: r.conversation_id,
            text: c.text,
            usefulness: i === 0 ? 5 : 2,
            junk: i !== 0,
          }))
        : [],
    )
    .filter((_, i) => i % 3 === 0);
  writeFileSync(join(dir, "labels.jsonl"), labels.map((label) => JSON.stringify(label)).join("\n"));
  writeFileSync(join(dir, "heuristic.yaml"), [...common, "labels: labels.jsonl", "judge: heuristic", ""].join("\n"));
  writeFileSync(
    join(dir, "llm.yaml"),
    [
      ...common,
      "junk_sample_size: 6",
      // A fixed junk sample: a whole run grows it while the junk check is undecided, which shards cannot (they keep the first round).
      "junk_sample_max: 6",
      "concurrency: 8",
      "judge:",
      "  provider: anthropic",
      "  model: claude-opus-5-5",
      `  base_url: ${server.anthropicUrl}`,
      "  repeat_share: 0.2",
      "  pairwise: true",
      "cache: {mode: off}",
      "",
    ].join("\n"),
  );
  // So small a share that no conversation's hash falls below it: the whole run repeats its lowest, each shard its own.
  writeFileSync(
    join(dir, "rare-noise.yaml"),
    readFileSync(join(dir, "llm.yaml"), "utf8").replace("repeat_share: 0.2", "repeat_share: 0.000001"),
  );
});
afterAll(() => server.close());

const records = (runDir: string) => readRunLog(join(runDir, "run.jsonl")).records;
const junkJudged = (runDir: string) =>
  records(runDir).filter((r) => r.kind === "judgement" && r.task === "junk").length;
const usageTotals = (accounts: ModelUsage[]) => ({
  requests: accounts.reduce((sum, a) => sum + a.requests, 0),
  input_tokens: accounts.reduce((sum, a) => sum + a.input_tokens, 0),
});

/** Run the bench whole and as three shards, then merge the shards. */
async function runWholeAndSharded(
  bench: string,
  name: string,
): Promise<{ whole: string; shards: string[]; merged: string }> {
  const whole = join(dir, `${name}-whole`);
  const shards = [1, 2, 3].map((i) => join(dir, `${name}-shard-${i}`));
  const merged = join(dir, `${name}-merged`);
  const run = await cli(["run", join(dir, bench), "--out", whole], ENV);
  expect(run.code, run.stderr).toBe(0);
  for (const [i, out] of shards.entries()) {
    const shard = await cli(["run", join(dir, bench), "--shard", `${i + 1}/3`, "--out", out], ENV);
    expect(shard.code, shard.stderr).toBe(0);
    expect(shard.stderr).toContain(`Shard ${i + 1}/3 finished`);
  }
  const merge = await cli(["merge", ...shards, "--out", merged], ENV);
  expect(merge.code, merge.stderr).toBe(0);
  expect(merge.stdout).toContain(join(merged, "report.json").replace(`${process.cwd()}/`, ""));
  return { whole, shards, merged };
}

describe("merge of shards of which some are empty", () => {
  it("equals the unsharded run: 3 conversations in 4 shards", async () => {
    const small = tempDir("eb-merge-small-");
    const inputs = await generateShardDataset(small, 3);
    const args = (out: string) => [
      "run",
      "--baseline",
      join(REPO, "configs/baseline.yaml"),
      "--candidate",
      join(REPO, "configs/candidate.yaml"),
      "--dataset",
      inputs.dataset,
      "--golden",
      inputs.golden,
      "--out",
      out,
    ];
    expect((await cli(args(join(small, "whole")))).code).toBeLessThan(2);
    const shards = [1, 2, 3, 4].map((i) => join(small, `shard-${i}`));
    for (const [i, out] of shards.entries()) expect((await cli([...args(out), "--shard", `${i + 1}/4`])).code).toBe(0);
    expect(shards.some((out) => readReport(out).completeness.conversations === 0)).toBe(true);
    const merge = await cli(["merge", ...shards, "--out", join(small, "merged")]);
    expect(merge.code, merge.stderr).toBe(0);
    expect(normalizeReport(readReport(join(small, "merged")))).toEqual(
      normalizeReport(readReport(join(small, "whole"))),
    );
  });
});

describe("merge of three shards equals the unsharded run", () => {
  it("with the heuristic judge", async () => {
    const { whole, shards, merged } = await runWholeAndSharded("heuristic.yaml", "heuristic");
    const reference = readReport(whole);
    expect(reference.completeness.conversations).toBe(CONVERSATIONS);
    expect(reference.agreement?.matched).toBeGreaterThan(0);
    expect(reference.agreement?.labels).toBe(readFileSync(join(dir, "labels.jsonl"), "utf8").split("\n").length);
    expect(normalizeReport(readReport(merged))).toEqual(normalizeReport(reference));
    // Each shard holds whole scopes and simulated them: the merged run has the whole run's retrieval
    // records and section (its phase too), and each shard's part of them.
    expect(reference.retrieval?.strategies.length).toBeGreaterThan(0);
    expect(readReport(merged).retrieval).toEqual(reference.retrieval);
    expect(retrievalRecords(merged)).toEqual(retrievalRecords(whole));
    expect(shards.map((s) => retrievalRecords(s).length).reduce((a, b) => a + b, 0)).toBe(
      retrievalRecords(whole).length,
    );
    const phase = (runDir: string) => readReport(runDir).run.phases.find((p) => p.name === "retrieval");
    expect(phase(merged)?.units).toBe(phase(whole)?.units);
    // The Markdown and HTML reports and the terminal summary show the same retrieval section.
    const section = (text: string, from: string, to: string) =>
      text.slice(text.indexOf(from), text.indexOf(to, text.indexOf(from) + 1));
    const markdown = (runDir: string) =>
      section(readFileSync(join(runDir, "report.md"), "utf8"), "### What each strategy does to retrieval", "\n### ");
    expect(markdown(merged)).toContain("coexist");
    expect(markdown(merged)).toBe(markdown(whole));
    const html = (runDir: string) => readFileSync(join(runDir, "report.html"), "utf8");
    expect(html(merged)).toContain("What each strategy does to retrieval");
    const summary = (runDir: string) =>
      cli(["report", runDir]).then((r) => r.stdout.split("\n").find((line) => line.includes("Retrieval simulation")));
    expect(await summary(merged)).toBeDefined();
    expect(await summary(merged)).toBe(await summary(whole));
    // Each shard alone is a smaller run.
    expect(shards.map((s) => readReport(s).completeness.conversations).reduce((a, b) => a + b, 0)).toBe(CONVERSATIONS);
    // The merged run gates like the whole one, the retrieval check among them.
    const gateWhole = await cli(["gate", whole]);
    const gateMerged = await cli(["gate", merged]);
    expect(gateMerged.code).toBe(gateWhole.code);
    expect(gateMerged.stdout).toBe(gateWhole.stdout);
    writeFileSync(join(dir, "retrieval-limit.yaml"), "max_coexist_retrieval_loss: 0.02\n");
    const limited = (runDir: string) =>
      cli(["gate", runDir, "--thresholds", join(dir, "retrieval-limit.yaml"), "--json"]);
    const [limitedWhole, limitedMerged] = [await limited(whole), await limited(merged)];
    expect(limitedMerged.code).toBe(limitedWhole.code);
    const retrievalCheck = (stdout: string) =>
      (JSON.parse(stdout) as { checks: Array<{ id: string; status: string; value: number | null }> }).checks.find(
        (c) => c.id === "coexist_retrieval_loss",
      );
    expect(retrievalCheck(limitedMerged.stdout)?.value).not.toBeNull();
    expect(retrievalCheck(limitedMerged.stdout)).toEqual(retrievalCheck(limitedWhole.stdout));
    // The merged folder is a run like any other: `report` re-renders it to the same report.
    const rerendered = await cli(["report", merged]);
    expect(rerendered.code).toBe(0);
    expect(normalizeReport(readReport(merged))).toEqual(normalizeReport(reference));
  });

  it("with an LLM judge on a loopback server, a junk sample smaller than the set and judge-noise repeats", async () => {
    const { whole, shards, merged } = await runWholeAndSharded("llm.yaml", "llm");
    const reference = readReport(whole);
    const report = readReport(merged);
    expect(reference.judge.kind).toBe("llm");
    // The junk sample really is a sample, and the noise repeats and pairwise verdicts are there.
    expect(junkJudged(whole)).toBeGreaterThan(0);
    expect(junkJudged(whole)).toBeLessThan(2 * CONVERSATIONS);
    expect(reference.judge_noise?.units).toBeGreaterThan(0);
    expect(reference.pairwise?.conversations).toBeGreaterThan(0);
    // Each shard drew junk until it alone had the sample size: together more than the whole run drew,
    // and the merge kept exactly what the whole run judged.
    expect(shards.map(junkJudged).reduce((a, b) => a + b, 0)).toBeGreaterThan(junkJudged(whole));
    expect(junkJudged(merged)).toBe(junkJudged(whole));
    expect(normalizeReport(report)).toEqual(normalizeReport(reference));

    // The model usage is what the shards spent, added up.
    const spent = shards.flatMap((s) => readReport(s).model_usage!.accounts);
    expect(usageTotals(report.model_usage!.accounts)).toEqual(usageTotals(spent));
    expect(usageTotals(report.model_usage!.accounts).requests).toBeGreaterThan(
      usageTotals(reference.model_usage!.accounts).requests,
    );
    const kinds = records(merged).map((r) => r.kind);
    expect(kinds.filter((k) => k === "run_start" || k === "run_end" || k === "model_usage")).toEqual([
      "run_start",
      "model_usage",
      "run_end",
    ]);
    expect(JSON.stringify(records(merged))).not.toContain(ENV.ANTHROPIC_API_KEY);
  });

  it("with judge-noise repeats of one conversation only, where each shard repeated its own", async () => {
    const { whole, shards, merged } = await runWholeAndSharded("rare-noise.yaml", "rare-noise");
    // Coverage and usefulness repeats: junk is repeated only where the repeated conversation is in the junk sample too.
    const repeats = (runDir: string) =>
      records(runDir).filter((r) => r.kind === "judgement" && r.repeat !== undefined && r.task !== "junk").length;
    const reference = readReport(whole);
    expect(reference.judge_noise?.units).toBe(2); // one conversation, both configs
    expect(shards.map(repeats).reduce((a, b) => a + b, 0)).toBe(3 * repeats(whole));
    expect(repeats(merged)).toBe(repeats(whole));
    expect(normalizeReport(readReport(merged))).toEqual(normalizeReport(reference));
  });
});

describe("merge of shards whose normalization differs from the whole run's", () => {
  /** A copy of a shard whose retrieval records say they used another normalization, and measured under it. */
  function withOtherNormalization(from: string, to: string): string {
    mkdirSync(to, { recursive: true });
    const logged = records(from);
    for (const r of logged) {
      if (r.kind !== "retrieval") continue;
      r.normalization = { mappings: r.normalization.mappings.slice(1), factor: 0.5 };
      r.strategies.coexist_normalized!.answerable = 0;
      r.examples = r.examples.filter((e) => e.strategy !== "coexist_normalized");
    }
    writeFileSync(join(to, "run.jsonl"), logged.map((r: RunLogRecord) => encodeRecord(r)).join(""));
    return to;
  }

  let whole: string;
  let shards: string[];
  beforeAll(async () => {
    ({ whole, shards } = await runWholeAndSharded("heuristic.yaml", "renormalized"));
  });

  it("measures coexist_normalized again with the whole run's, and equals the unsharded run", async () => {
    const other = withOtherNormalization(shards[1]!, join(dir, "renormalized-other-2"));
    expect(retrievalRecords(other).length).toBeGreaterThan(0);
    const merged = join(dir, "renormalized-remerged");
    const merge = await cli(["merge", shards[0]!, other, shards[2]!, "--out", merged]);
    expect(merge.code, merge.stderr).toBe(0);
    expect(retrievalRecords(merged)).toEqual(retrievalRecords(whole));
    expect(normalizeReport(readReport(merged))).toEqual(normalizeReport(readReport(whole)));
  });

  it("refuses with exit 2 when the inputs it needs for that changed since the shards ran", async () => {
    const moved = shards.map((shard, i) => {
      const to = join(dir, `changed-inputs-${i + 1}`);
      if (i === 1) withOtherNormalization(shard, to);
      else {
        mkdirSync(to, { recursive: true });
        writeFileSync(join(to, "run.jsonl"), readFileSync(join(shard, "run.jsonl")));
      }
      // Every shard says its dataset had other content: the dataset on disk is not what they read.
      const logged = records(to);
      const start = logged[0]!;
      if (start.kind === "run_start") start.inputs = { ...start.inputs, dataset: "0".repeat(64) };
      writeFileSync(join(to, "run.jsonl"), logged.map((r: RunLogRecord) => encodeRecord(r)).join(""));
      return to;
    });
    const out = join(dir, "changed-inputs-merged");
    const merge = await cli(["merge", ...moved, "--out", out]);
    expect(merge.code).toBe(2);
    expect(merge.stderr).toContain("used a normalization other than the whole run's");
    expect(merge.stderr).toContain("conversations.jsonl changed since the shards ran");
    expect(existsSync(join(out, "run.jsonl"))).toBe(false);
  });
});
