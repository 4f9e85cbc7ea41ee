import type { BenchReport } from "../../schema/report.js";
import { formatNumber, formatRate } from "../format.js";
import { html, type Html } from "./html.js";
import { chart, chips, moreNote, section, table } from "./parts.js";

const MAX_PREDICATES = 60;
const MAX_RENAMES = 12;

export function renderVocabulary(report: BenchReport): Html {
  const v = report.vocabulary;
  const renames = v.renames.slice(0, MAX_RENAMES);
  const body = html`<p>Jaccard over the top ${v.top_k} predicates: <strong>${formatNumber(v.jaccard)}</strong> (${v.band ?? "n/a"} drift; ≥ 0.8 minimal, 0.5–0.8 noticeable, &lt; 0.5 significant break).</p>
<div class="grid2"><div>
<h3>Lost: only in the baseline (${v.only_baseline.length})</h3>${chips(v.only_baseline, MAX_PREDICATES, "lost")}
<h3>Added: only in the candidate (${v.only_candidate.length})</h3>${chips(v.only_candidate, MAX_PREDICATES, "added")}
<h3>Kept: in both (${v.shared.length})</h3>${chips(v.shared, MAX_PREDICATES)}
</div><div>
<h3>Renames seen on paired facts (${v.renames.length})</h3>
${renames.length > 0
    ? table<(typeof renames)[number]>([
        { header: "baseline", cell: (r) => html`<code>${r.from}</code>` },
        { header: "candidate", cell: (r) => html`<code>${r.to}</code>` },
        { header: "facts", cell: (r) => r.count, numeric: true },
      ], renames)
    : html`<p class="note">none</p>`}
${moreNote(v.renames.length - renames.length, "renames")}
${report.recommendation.snippets.normalization ? html`<p class="note">Suggested mappings that close these renames: see <a href="#snippets">suggested config</a>.</p>` : ""}
</div></div>`;
  return section("vocabulary", "Predicate vocabulary", body);
}

export function renderConfidence(report: BenchReport, histogram: Html | undefined): Html {
  const { baseline: a, candidate: b } = report.metrics;
  const rows = [
    { label: "mean", a: formatNumber(a.confidence.mean), b: formatNumber(b.confidence.mean) },
    { label: "median", a: formatNumber(a.confidence.median), b: formatNumber(b.confidence.median) },
    { label: "share at ≥ 0.7", a: formatRate(a.confidence.high_share), b: formatRate(b.confidence.high_share) },
  ];
  const body = html`${chart(histogram, "Confidence distribution")}
<div style="margin-top:10px">${table<(typeof rows)[number]>([
    { header: "confidence", cell: (r) => r.label },
    { header: "baseline", cell: (r) => r.a, numeric: true },
    { header: "candidate", cell: (r) => r.b, numeric: true },
  ], rows)}</div>`;
  return section("confidence", "Confidence", body);
}

export function renderTypes(report: BenchReport, distribution: Html | undefined): Html {
  const t = report.types;
  const body = html`<div class="grid2">${chart(distribution, "Memory types")}<div>
<h3>Appeared in the candidate</h3>${chips(t.appeared, 40, "added")}
<h3>Disappeared from the candidate</h3>${chips(t.disappeared, 40, "lost")}
<h3>Moved (same fact, other type; ${report.pairing.pairs} paired facts)</h3>
${t.moved.length > 0 ? html`<ul>${t.moved.slice(0, 30).map((m) => html`<li><code>${m.from}</code> → <code>${m.to}</code>: ${m.count}</li>`)}</ul>` : html`<p class="note">none</p>`}
</div></div>`;
  return section("types", "Memory types", body);
}
