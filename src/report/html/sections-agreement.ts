import type { Agreement, BenchReport } from "../../schema/report.js";
import { formatCount, formatNumber, formatRate } from "../../text/format-number.js";
import { truncate } from "../format.js";
import { html, type Html } from "./html.js";
import { bounded, section, table } from "./parts.js";
import { agreementNote } from "../agreement-text.js";

const MAX_DISAGREEMENTS = 20;

/** Judge-vs-human agreement, when the bench had human labels: accuracy, Cohen's κ and the disagreements. */
export function renderAgreement(report: BenchReport): Html {
  const agreement = report.agreement;
  if (!agreement) return html``;
  const measures: [string, Agreement["usefulness"]][] = [
    ["usefulness (useful or not)", agreement.usefulness],
    ["junk", agreement.junk],
  ];
  const body = html`<p class="note">${agreementNote(agreement, report.judge)}</p>
${table<(typeof measures)[number]>(
  [
    { header: "judgement", cell: ([name]) => name },
    { header: "pairs", cell: ([, m]) => formatCount(m.pairs), numeric: true },
    { header: "accuracy", cell: ([, m]) => formatRate(m.accuracy), numeric: true },
    { header: "Cohen's κ", cell: ([, m]) => formatNumber(m.kappa, 2), numeric: true },
  ],
  measures,
)}
${measures.filter(([, m]) => m.disagreements_total > 0).map(([name, m]) => html`<details><summary>${name}: ${m.disagreements_total} disagreements</summary>${bounded(m.disagreements, MAX_DISAGREEMENTS, "disagreements", (d) => html`<div class="item"><div>${truncate(d.text, 400)}</div><div class="meta">${d.role} · <code>${d.conversation_id}</code> · judge: ${truncate(d.judge, 120)} · human: ${truncate(d.human, 120)}</div></div>`)}${m.disagreements_total > m.disagreements.length ? html`<p class="more">${m.disagreements_total - m.disagreements.length} more disagreements are counted but not listed in report.json</p>` : ""}</details>`)}`;
  return section("agreement", "Judge vs human labels", body);
}
