import { HIGH_CONFIDENCE_BAND, jaccardBandLabel, jaccardBandScale } from "../../metrics/band-label.js";
import type { BenchReport } from "../../schema/report.js";
import { formatNumber, formatRate } from "../../text/format-number.js";
import { calibrationCaveat } from "../measured-text.js";
import { html, type Html } from "./html.js";
import { chart, chips, moreNote, section, table } from "./parts.js";

const MAX_PREDICATES = 60;
const MAX_RENAMES = 12;

export function renderVocabulary(report: BenchReport): Html {
  const v = report.vocabulary;
  const renames = v.renames.slice(0, MAX_RENAMES);
  const body = html`<p>Jaccard over the top ${v.top_k} predicates: <strong>${formatNumber(v.jaccard)}</strong> (${jaccardBandLabel(v.band)}; ${jaccardBandScale()}).</p>
<div class="grid2"><div>
<h3>Lost: only in the baseline (${v.only_baseline.length})</h3>${chips(v.only_baseline, MAX_PREDICATES, "lost")}
<h3>Added: only in the candidate (${v.only_candidate.length})</h3>${chips(v.only_candidate, MAX_PREDICATES, "added")}
<h3>Kept: in both (${v.shared.length})</h3>${chips(v.shared, MAX_PREDICATES)}
</div><div>
<h3>Renames seen on paired facts (${v.renames.length})</h3>
${
  renames.length > 0
    ? table<(typeof renames)[number]>(
        [
          { header: "baseline", cell: (r) => html`<code>${r.from}</code>` },
          { header: "candidate", cell: (r) => html`<code>${r.to}</code>` },
          { header: "facts", cell: (r) => r.count, numeric: true },
        ],
        renames,
      )
    : html`<p class="note">none</p>`
}
${moreNote(v.renames.length - renames.length, "renames")}
<h3>Suggested mappings (${v.suggestions.length})</h3>
${
  v.suggestions.length > 0
    ? table<(typeof v.suggestions)[number]>(
        [
          { header: "candidate", cell: (r) => html`<code>${r.from}</code>` },
          { header: "→ baseline", cell: (r) => html`<code>${r.to}</code>` },
          { header: "why", cell: (r) => r.reason },
          { header: "memories reconciled", cell: (r) => r.reconciles, numeric: true },
        ],
        v.suggestions.slice(0, MAX_RENAMES),
      )
    : html`<p class="note">none</p>`
}
${moreNote(v.suggestions.length - MAX_RENAMES, "suggestions")}
${report.recommendation.snippets.normalization ? html`<p class="note">As a config block: <a href="#snippet-normalization">predicate_normalization mappings</a>.</p>` : ""}
</div></div>`;
  return section("vocabulary", "Predicate vocabulary", body);
}

export function renderConfidence(
  report: BenchReport,
  histogram: Html | undefined,
  calibration: Html | undefined,
): Html {
  const { baseline: a, candidate: b } = report.metrics;
  const cal = report.calibration;
  const rows = [
    { label: "mean", a: formatNumber(a.confidence.mean), b: formatNumber(b.confidence.mean) },
    { label: "median", a: formatNumber(a.confidence.median), b: formatNumber(b.confidence.median) },
    {
      label: `share at ${HIGH_CONFIDENCE_BAND}`,
      a: formatRate(a.confidence.high_share),
      b: formatRate(b.confidence.high_share),
    },
    {
      label: "judged for calibration",
      a: `${cal.baseline.judged}${cal.baseline.indicative_only ? " (indicative only)" : ""}`,
      b: `${cal.candidate.judged}${cal.candidate.indicative_only ? " (indicative only)" : ""}`,
    },
    {
      label: "expected calibration error (ECE)",
      a: formatNumber(cal.baseline.ece),
      b: formatNumber(cal.candidate.ece),
    },
    { label: "Brier score", a: formatNumber(cal.baseline.brier), b: formatNumber(cal.candidate.brier) },
  ];
  const body = html`${chart(histogram, "Confidence distribution")}
<div class="grid2" style="margin-top:10px">${chart(calibration, "Calibration")}<div>${table<(typeof rows)[number]>(
    [
      { header: "confidence", cell: (r) => r.label },
      { header: "baseline", cell: (r) => r.a, numeric: true },
      { header: "candidate", cell: (r) => r.b, numeric: true },
    ],
    rows,
  )}
${calibrationCaveat(report) ? html`<p class="note warn-note">⚠ ECE, Brier score and the calibration curve are ${calibrationCaveat(report)}.</p>` : ""}
${cal.scaling ? html`<p class="note">Suggested <code>confidence_scaling.factor</code>: <strong>${cal.scaling.factor}</strong> (${cal.scaling.method}; it does not use the judge); the snippet is under <a href="#snippets">suggested config</a>.</p>` : ""}</div></div>`;
  return section("confidence", "Confidence and calibration", body);
}

export function renderTypes(report: BenchReport, distribution: Html | undefined): Html {
  const t = report.types;
  const moved = t.moved_by_type.filter((m) => m.moved > 0).slice(0, 30);
  const body = html`<div class="grid2">${chart(distribution, "Memory types")}<div>
<h3>Appeared in the candidate</h3>${chips(t.appeared, 40, "added")}
<h3>Disappeared from the candidate</h3>${chips(t.disappeared, 40, "lost")}
<h3>Moved (same fact, other type; ${report.pairing.pairs} paired facts)</h3>
${
  moved.length > 0
    ? table<(typeof moved)[number]>(
        [
          { header: "baseline type", cell: (m) => html`<code>${m.type}</code>` },
          { header: "moved", cell: (m) => `${m.moved} of ${m.pairs} (${formatRate(m.share, 0)})`, numeric: true },
          {
            header: "to",
            cell: (m) => m.to.slice(0, 6).map((x, i) => html`${i > 0 ? ", " : ""}<code>${x.type}</code> ${x.count}`),
          },
        ],
        moved,
      )
    : html`<p class="note">none</p>`
}
</div></div>`;
  return section("types", "Memory types", body);
}
