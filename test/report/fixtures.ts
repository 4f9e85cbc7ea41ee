import { readFileSync, writeFileSync } from "node:fs";
import { join } from "node:path";
import { BenchReportSchema, type BenchReport } from "../../src/schema/report.js";
import { cli, REPO, runArgs, tempDir } from "../cli/helpers.js";

/** The demo report with the fields that change from run to run pinned. */
export function pinned(report: BenchReport): BenchReport {
  const pinLatency = (m: BenchReport["metrics"]["baseline"]) => ({
    ...m,
    operating: { ...m.operating, latency_p50_ms: 1, latency_p95_ms: 2 },
  });
  return {
    ...report,
    run: {
      ...report.run,
      run_id: "20260101-000000-abcdef",
      started_at: "2026-01-01T00:00:00.000Z",
      finished_at: "2026-01-01T00:00:01.000Z",
      duration_ms: 1000,
      phases: report.run.phases.map((p) => ({ ...p, wall_ms: 400 })),
    },
    metrics: {
      ...report.metrics,
      baseline: pinLatency(report.metrics.baseline),
      candidate: pinLatency(report.metrics.candidate),
    },
  };
}

export function readReport(runDir: string): BenchReport {
  return BenchReportSchema.parse(JSON.parse(readFileSync(join(runDir, "report.json"), "utf8")));
}

/** Run the demo bench into a fresh folder; returns the run folder. */
export async function runDemo(): Promise<string> {
  const out = join(tempDir(), "run");
  const { code, stderr } = await cli(["run", join(REPO, "extractor-bench.yaml"), "--out", out]);
  if (code > 1) throw new Error(stderr);
  return out;
}

/** Markup and control characters that must render as inert text wherever data appears. */
export const HOSTILE = {
  script: `<script>window.__pwned = 1; alert("script")</script>`,
  img: `<img src=x onerror="window.__pwned = 2; alert('img')">`,
  style: `</style><style>body{display:none}</style>`,
  link: `[click me](javascript:alert(1)) <a href="javascript:alert(3)">link</a>`,
  svg: `</svg><svg onload="alert(4)"></svg>`,
  terminal: "\u001b[2K\rGate: PASSED\n",
};

const ALL = Object.values(HOSTILE).join(" ");

/**
 * A real run over conversations and golden memories full of markup, with both configs renamed to
 * hostile names; then judge reasons, types and predicates overlaid with hostile text as a model could return.
 */
export async function hostileRun(): Promise<{ report: BenchReport; runDir: string }> {
  const dir = tempDir("eb-hostile-");
  const turns = [
    {
      id: "t1",
      speaker: "Ann",
      role: "user",
      text: `I work at Acme ${HOSTILE.script} and I live in Paris ${HOSTILE.img}`,
    },
    { id: "t2", speaker: "assistant", role: "assistant", text: `ok ${HOSTILE.style}` },
    { id: "t3", speaker: "Ann", role: "user", text: `I love hiking ${HOSTILE.link}` },
  ];
  writeFileSync(
    join(dir, "conversations.jsonl"),
    `${JSON.stringify({ id: "c<1>", scope: { namespace: "user:ann" }, entities: [{ name: "Ann", aliases: [] }], turns })}\n`,
  );
  writeFileSync(
    join(dir, "golden.jsonl"),
    [
      { id: "g1", conversation_id: "c<1>", text: `Ann has a cat ${HOSTILE.img} ${HOSTILE.style}`, evidence: ["t1"] },
      { id: "g2", conversation_id: "c<1>", text: `Ann loves ${HOSTILE.link}`, evidence: ["t3"] },
    ]
      .map((g) => JSON.stringify(g))
      .join("\n"),
  );
  for (const role of ["baseline", "candidate"] as const) {
    const text = readFileSync(join(REPO, `configs/${role}.yaml`), "utf8").replace(
      /^name: .*$/m,
      `name: ${JSON.stringify(`${role} ${HOSTILE.script}${HOSTILE.terminal}`)}`,
    );
    writeFileSync(join(dir, `${role}.yaml`), text);
  }
  const runDir = join(dir, "run");
  const { code, stderr } = await cli(
    runArgs({
      baseline: join(dir, "baseline.yaml"),
      candidate: join(dir, "candidate.yaml"),
      dataset: join(dir, "conversations.jsonl"),
      golden: join(dir, "golden.jsonl"),
      out: runDir,
    }),
  );
  if (code > 1) throw new Error(stderr);
  const report = readReport(runDir);
  return { report: overlayHostile(report), runDir };
}

function overlayHostile(report: BenchReport): BenchReport {
  const junk = {
    role: "candidate" as const,
    conversation_id: "c<1>",
    candidate_index: 0,
    text: `candidate text ${ALL}`,
    category: "other" as const,
    reason: `judge reason ${ALL}`,
  };
  return {
    ...report,
    junk_examples: [...report.junk_examples, junk],
    missed: report.missed.map((m) => ({ ...m, covered_by_other: m.role === "candidate" ? true : m.covered_by_other })),
    types: {
      ...report.types,
      candidate: { ...report.types.candidate, [`type ${HOSTILE.svg}`]: 1 },
      appeared: [`type ${HOSTILE.svg}`],
    },
    vocabulary: {
      ...report.vocabulary,
      only_candidate: [...report.vocabulary.only_candidate, `pred ${HOSTILE.script}`],
    },
    flags: [...report.flags, { id: "hostile", message: `flag ${ALL}` }],
    errors: [
      {
        role: "candidate",
        conversation_id: "c<1>",
        stage: "dry_run",
        kind: "extractor_error",
        message: `stderr ${ALL}`,
      },
    ],
    agreement: {
      labels: 3,
      matched: 2,
      usefulness: {
        pairs: 2,
        accuracy: 0.5,
        kappa: 0,
        disagreements: [
          {
            role: "candidate",
            conversation_id: "c<1>",
            text: `labelled ${ALL}`,
            judge: "useful",
            human: `not useful ${HOSTILE.script}`,
          },
        ],
        disagreements_total: 1,
      },
      junk: { pairs: 2, accuracy: 1, kappa: 1, disagreements: [], disagreements_total: 0 },
    },
  };
}
