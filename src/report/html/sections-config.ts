import type { BenchReport } from "../../schema/report.js";
import type { RunPhaseName } from "../../schema/run-phase.js";
import { formatCount, formatRate } from "../../text/format-number.js";
import { SNIPPET_DESTINATION } from "../../recommend/snippet-destination.js";
import { formatDuration } from "../format.js";
import { html, type Html } from "./html.js";
import { section, table } from "./parts.js";

const PHASE_LABEL: Record<RunPhaseName, string> = {
  dry_run: "dry runs and judging",
  junk: "junk sample",
  pairwise: "pairwise",
  retrieval: "retrieval simulation",
};

export const SNIPPET_TITLES: Record<string, string> = {
  rollout: "Progressive rollout block",
  normalization: "predicate_normalization mappings",
  scaling: "confidence_scaling factor",
};

export function renderSnippets(report: BenchReport): Html {
  const snippets = Object.entries(report.recommendation.snippets).filter((e): e is [string, string] => Boolean(e[1]));
  if (snippets.length === 0) return html``;
  const body = snippets.map(
    ([name, text]) =>
      html`<h3>${SNIPPET_TITLES[name] ?? name}</h3><p class="note">Where it goes: ${SNIPPET_DESTINATION[name as keyof typeof SNIPPET_DESTINATION] ?? "see its comments"}.</p><div class="snippet"><button type="button" data-copy="snippet-${name}">Copy</button><pre><code id="snippet-${name}">${text.trimEnd()}</code></pre></div>`,
  );
  return section(
    "snippets",
    "Suggested config",
    html`<p class="note">Normalization and scaling are extractor settings: paste them into the candidate's extractor config and run the bench again to measure them. The rollout block configures the memory system's write pipeline, not an extractor or the bench.</p>${body}`,
  );
}

export function renderRunFacts(report: BenchReport): Html {
  const { run } = report;
  const configs = (["baseline", "candidate"] as const).map((role) => ({ role, ...run.configs[role] }));
  const tokens = (role: "baseline" | "candidate") => {
    const o = report.metrics[role].operating;
    return `${formatCount(o.input_tokens)} in / ${formatCount(o.output_tokens)} out`;
  };
  const diff = report.recommendation.config_diff.changed;
  const c = report.completeness;
  const sides = (["baseline", "candidate"] as const).map((role) => ({
    role,
    ...c[role],
    operating: report.metrics[role].operating,
  }));
  const counts = (record: Record<string, number>) =>
    Object.entries(record)
      .map(([k, n]) => `${k} ${n}`)
      .join(", ") || "none";
  const body = html`${table<(typeof configs)[number]>(
    [
      { header: "", cell: (c) => c.role },
      { header: "name", cell: (c) => html`<code>${c.name}</code>` },
      { header: "file", cell: (c) => html`<code>${c.path}</code>` },
      { header: "extractor", cell: (c) => `${c.provider} · ${c.model}` },
      { header: "schema version", cell: (c) => c.schema_version, numeric: true },
      { header: "tokens", cell: (c) => tokens(c.role), numeric: true },
    ],
    configs,
  )}
<h3>Completeness</h3>
${table<(typeof sides)[number]>(
  [
    { header: "", cell: (s) => s.role },
    { header: "dry runs", cell: (s) => formatCount(s.attempted), numeric: true },
    { header: "failed", cell: (s) => `${s.failed} (${formatRate(s.failed_rate)})`, numeric: true },
    { header: "failed by kind", cell: (s) => counts(s.failed_by_kind) },
    { header: "judge errors", cell: (s) => counts(s.judge_errors) },
    { header: "answers repaired", cell: (s) => counts(s.operating.repairs) },
    { header: "dropped from answers", cell: (s) => counts(s.operating.dropped) },
  ],
  sides,
)}
<p class="note">${c.paired_conversations} of ${c.conversations} conversations paired (both configs produced a result)${c.complete ? "" : `; the run did not finish: ${c.missing_dry_runs} dry runs missing`}.</p>
<h3>Config diff (${diff.length} fields)</h3>
${
  diff.length > 0
    ? table<(typeof diff)[number]>(
        [
          { header: "field", cell: (d) => html`<code>${d.field}</code>` },
          { header: "kind", cell: (d) => d.kind.replace(/_/g, " ") },
          { header: "baseline", cell: (d) => html`<code>${d.baseline}</code>` },
          { header: "candidate", cell: (d) => html`<code>${d.candidate}</code>` },
        ],
        diff.slice(0, 60),
      )
    : html`<p class="note">The two configs are identical.</p>`
}
<h3>Run</h3>
<dl class="facts">
<dt>run</dt><dd><code>${run.run_id}</code>${run.complete ? "" : " (incomplete: the run did not finish)"}</dd>
<dt>started</dt><dd>${run.started_at}</dd>
<dt>duration</dt><dd>${formatDuration(run.duration_ms)}</dd>
${run.phases.length > 0 ? html`<dt>phases</dt><dd>${run.phases.map((p, i) => html`${i > 0 ? "; " : ""}${PHASE_LABEL[p.name]} ${formatDuration(p.wall_ms)} (${formatCount(p.units)} units)`)}</dd>` : ""}
<dt>dataset</dt><dd><code>${run.dataset.path}</code>: ${formatCount(run.dataset.conversations)} conversations, ${formatCount(run.dataset.turns)} turns</dd>
<dt>golden set</dt><dd><code>${run.golden.path}</code>: ${formatCount(run.golden.memories)} memories</dd>
<dt>judge</dt><dd>${report.judge.description}</dd>
<dt>sampling</dt><dd>junk sample ${run.junk_sample_size} per config, top ${run.top_k_predicates} predicates, ${formatCount(run.bootstrap_resamples)} bootstrap resamples, seed ${run.seed}</dd>
<dt>versions</dt><dd>extractor-bench ${run.tool_version}, report format ${report.format_version}</dd>
</dl>`;
  return section("run", "Run facts", body);
}
