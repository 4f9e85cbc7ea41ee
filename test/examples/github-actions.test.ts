import { readFileSync } from "node:fs";
import { join } from "node:path";
import { describe, expect, it } from "vitest";
import { parse } from "yaml";
import { REPO } from "../cli/helpers.js";

interface Step { name?: string; uses?: string; run?: string; if?: string; with?: Record<string, string>; id?: string }

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
