import type { BenchReport } from "../../schema/report.js";
import type { ConversationChange } from "../conversation-changes.js";
import { formatCount, formatNumber, formatSignedNumber } from "../../text/format-number.js";
import { truncate } from "../format.js";
import type { MetricRow } from "../metric-rows.js";
import { html, type Html } from "./html.js";
import { chart, moreNote, section, table } from "./parts.js";

export const MAX_CONVERSATION_ROWS = 50;
const MAX_FLAGS = 20;

export function renderMetrics(report: BenchReport, rows: MetricRow[]): Html {
  const body = html`${table<MetricRow>(
    [
      { header: "metric", cell: (r) => r.label },
      { header: "baseline", cell: (r) => r.baseline, numeric: true },
      { header: "candidate", cell: (r) => r.candidate, numeric: true },
      {
        header: "candidate − baseline",
        cell: (r) => html`<span class="${r.direction}">${r.delta}</span>`,
        numeric: true,
      },
      { header: "95% interval of the change", cell: (r) => r.interval, numeric: true },
    ],
    rows,
    (r) => (r.direction === "worse" ? "regression" : ""),
  )}<p class="note">Over the ${report.completeness.paired_conversations} conversations where both configs produced a result. Intervals: ${formatCount(report.run.bootstrap_resamples)}-resample paired bootstrap over conversations (seed ${report.run.seed}); junk on ${report.metrics.candidate.junk.conversations} conversations judged on both sides. Highlighted rows moved the wrong way.${(["precision", "recall", "junk"] as const).some((m) => report.metrics.delta[m].corrected) ? " Values marked corrected are corrected for the judge's flip rate (see judge noise under Models); their intervals resample the repeated verdicts that measure the flip rate as well as the conversations, and the gate reads them." : ""}</p>
<p class="note">McNemar's exact test on golden memories covered by one config only: ${report.mcnemar.baseline_only} by the baseline only, ${report.mcnemar.candidate_only} by the candidate only, p = ${formatNumber(report.mcnemar.p_value)}.</p>
${report.flags.length > 0 ? html`<h3>Flags</h3><ul>${report.flags.slice(0, MAX_FLAGS).map((f) => html`<li>${truncate(f.message, 400)}</li>`)}</ul>${moreNote(report.flags.length - MAX_FLAGS, "flags")}` : ""}`;
  return section("metrics", "Metrics", body);
}

const signed = (n: number) => formatSignedNumber(n, 0);

function conversationTable(rows: ConversationChange[]): Html {
  return table<ConversationChange>(
    [
      { header: "conversation", cell: (c) => html`<code>${c.result.conversation_id}</code>` },
      { header: "turns", cell: (c) => c.result.turns, numeric: true },
      { header: "golden", cell: (c) => c.result.golden, numeric: true },
      {
        header: "covered (base → cand)",
        cell: (c) =>
          html`${c.result.baseline.covered} → ${c.result.candidate.covered} <span class="${c.coveredDelta < 0 ? "worse" : c.coveredDelta > 0 ? "better" : ""}">(${signed(c.coveredDelta)})</span>`,
        numeric: true,
      },
      {
        header: "candidates (base → cand)",
        cell: (c) =>
          `${c.result.baseline.candidates} → ${c.result.candidate.candidates} (${signed(c.candidatesDelta)})`,
        numeric: true,
      },
      {
        header: "useful (base → cand)",
        cell: (c) => `${c.result.baseline.useful} → ${c.result.candidate.useful}`,
        numeric: true,
      },
      {
        header: "error",
        cell: (c) =>
          (["baseline", "candidate"] as const).map((role) => {
            const side = c.result[role];
            return side.error
              ? html`<div>${role}: ${truncate(side.error, 300)}${side.stderr ? html`<pre class="stderr">${truncate(side.stderr, 600)}</pre>` : ""}</div>`
              : "";
          }),
      },
    ],
    rows,
    (c) => (c.failed || c.coveredDelta < 0 ? "regression" : ""),
  );
}

export function renderConversations(
  changes: ConversationChange[],
  svg: Html | undefined,
  counts?: { total: number; changed: number },
): Html {
  const moved = changes.filter(
    (c) => c.failed || c.coveredDelta !== 0 || c.candidatesDelta !== 0 || c.usefulDelta !== 0,
  ).length;
  // A large run lists its largest changes only; the counts cover every conversation.
  const total = counts?.total ?? changes.length;
  const movedTotal = counts?.changed ?? moved;
  const changed = changes.slice(0, Math.min(moved, MAX_CONVERSATION_ROWS));
  const unchanged = changes.slice(moved, moved + Math.max(0, MAX_CONVERSATION_ROWS - changed.length));
  const body = html`<p class="note">${movedTotal} of ${total} conversations changed; largest change first (failures, then golden memories covered, then candidates)${total > changes.length ? `; report.json lists the ${formatCount(changes.length)} largest changes` : ""}.</p>
${chart(svg, "Largest per-conversation changes")}
${changed.length > 0 ? html`<div style="margin-top:10px">${conversationTable(changed)}</div>` : ""}
${unchanged.length > 0 ? html`<details><summary>Unchanged conversations (${total - movedTotal})</summary>${conversationTable(unchanged)}</details>` : ""}
${moreNote(changes.length - changed.length - unchanged.length, "conversations")}`;
  return section("conversations", "Per-conversation results", body);
}
