import { readFileSync } from "node:fs";
import { join } from "node:path";
import { describe, expect, it } from "vitest";
import { parse } from "yaml";
import { REPO } from "../cli/helpers.js";

interface Step {
  name?: string;
  uses?: string;
  run?: string;
  if?: string;
  with?: Record<string, string>;
  id?: string;
}

describe("examples/github-actions.yml", () => {
  const workflow = parse(readFileSync(join(REPO, "examples/github-actions.yml"), "utf8")) as {
    on: { pull_request: { paths: string[] } };
    permissions: Record<string, string>;
    jobs: { bench: { steps: Step[] } };
  };
  const steps = workflow.jobs.bench.steps;

  it("runs on pull requests that touch extraction configs", () => {
    expect(workflow.on.pull_request.paths).toContain("configs/**");
    expect(workflow.permissions["pull-requests"]).toBe("write");
  });

  it("runs the bench, keeps its exit code, uploads report.html, comments once, then fails on the gate", () => {
    const names = steps.map((s) => s.name ?? s.uses);
    expect(names.indexOf("Run the bench")).toBeLessThan(names.indexOf("Upload the HTML report"));
    expect(names.indexOf("Post or update the PR comment")).toBeLessThan(names.indexOf("Gate"));
    expect(steps.find((s) => s.id === "bench")?.run).toMatch(/extractor-bench run .*\n.*exit_code=\$\?/s);
    expect(steps.find((s) => s.id === "upload")?.with?.path).toContain("/report.html");
    const comment = steps.find((s) => s.name === "Post or update the PR comment")!;
    expect(comment.with?.script).toContain("updateComment");
    expect(comment.with?.script).toContain("report.md");
    expect(steps.find((s) => s.name === "Gate")?.run).toMatch(/1\) .*exit 1/);
  });
});

describe("examples/github-actions-sharded.yml", () => {
  const workflow = parse(readFileSync(join(REPO, "examples/github-actions-sharded.yml"), "utf8")) as {
    on: { pull_request: { paths: string[] } };
    jobs: {
      shard: { strategy: { "fail-fast": boolean; matrix: { shard: number[] } }; steps: Step[] };
      merge: { needs: string; steps: Step[] };
    };
  };
  const { shard, merge } = workflow.jobs;

  it("runs every shard of the matrix in its own job and uploads its run folder", () => {
    expect(workflow.on.pull_request.paths).toContain("configs/**");
    const count = shard.strategy.matrix.shard.length;
    expect(shard.strategy.matrix.shard).toEqual(Array.from({ length: count }, (_, i) => i + 1));
    expect(shard.strategy["fail-fast"]).toBe(false);
    const run = shard.steps.find((s) => s.run?.includes("extractor-bench run"))!.run!;
    expect(run).toContain(`--shard \${{ matrix.shard }}/${count}`);
    const upload = shard.steps.find((s) => s.uses?.startsWith("actions/upload-artifact"))!;
    // biome-ignore lint/suspicious/noTemplateCurlyInString: a GitHub Actions expression, not a template literal
    expect(upload.with?.name).toContain("${{ matrix.shard }}");
  });

  it("merges the downloaded shards once they all finished, then comments and gates on the merged run", () => {
    expect(merge.needs).toBe("shard");
    const names = merge.steps.map((s) => s.name ?? s.uses);
    const download = merge.steps.find((s) => s.uses?.startsWith("actions/download-artifact"))!;
    expect(download.with?.pattern).toBe("extractor-bench-shard-*");
    const mergeStep = merge.steps.find((s) => s.name === "Merge the shards")!;
    expect(mergeStep.run).toMatch(
      new RegExp(`extractor-bench merge ${download.with!.path}/extractor-bench-shard-\\* --out "\\$RUN_DIR"`),
    );
    expect(names.indexOf("Merge the shards")).toBeLessThan(names.indexOf("Post or update the PR comment"));
    expect(merge.steps.at(-1)?.run).toMatch(/extractor-bench gate "\$RUN_DIR"/);
  });
});
