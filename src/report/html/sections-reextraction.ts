import type { ReextractionSide } from "../../schema/report.js";
import type { BenchReport } from "../../schema/report.js";
import { CONFIG_ROLES } from "../../schema/constants.js";
import type { ConfigRole } from "../../schema/run-log.js";
import {
  batchedDuration,
  costCell,
  estimateNote,
  estimateReasons,
  extractorLabel,
  liveDuration,
  projectedTokens,
  storeText,
  tokensPerConversation,
  tokensPerTurn,
} from "../render-reextraction.js";
import { html, type Html } from "./html.js";
import { section, table } from "./parts.js";

type Row = ReextractionSide & { role: ConfigRole };

/** The projected cost and duration of re-extracting the whole store, next to the run facts. */
export function renderReextraction(report: BenchReport): Html {
  const estimate = report.reextraction;
  if (!estimate) return html``;
  const rows: Row[] = CONFIG_ROLES.map((role) => ({ role, ...estimate[role] }));
  const reasons = estimateReasons(estimate);
  const body = html`${table<Row>(
    [
      { header: "", cell: (r) => (r.role === "candidate" ? html`<strong>candidate</strong>` : "baseline (reference)") },
      { header: "model", cell: extractorLabel },
      { header: "tokens / conversation (in / out)", cell: tokensPerConversation, numeric: true },
      { header: "tokens / turn (in / out)", cell: tokensPerTurn, numeric: true },
      { header: "projected tokens (in / out)", cell: projectedTokens, numeric: true },
      { header: "cost live", cell: (r) => costCell(r, "live"), numeric: true },
      { header: "cost batched", cell: (r) => costCell(r, "batched"), numeric: true },
      { header: "duration live", cell: liveDuration, numeric: true },
      { header: "duration batched", cell: batchedDuration, numeric: true },
    ],
    rows,
  )}
<p class="note">${estimateNote(estimate)}</p>
${reasons.length > 0 ? html`<ul>${reasons.map(({ role, reason }) => html`<li>${role}: ${reason}</li>`)}</ul>` : ""}`;
  return section("reextraction", `Full re-extraction estimate (${storeText(estimate)})`, body);
}
