import type { Agreement, BenchReport } from "../schema/report.js";
import { formatCount, formatNumber, formatRate, formatSignedNumber } from "../text/format-number.js";
import { rankConversationChanges } from "./conversation-changes.js";
import { truncate } from "./format.js";
import { markdownCode as code, markdownTable as table, md } from "./markdown.js";
import {
  MAX_CONVERSATIONS,
  MAX_DISAGREEMENTS,
  MAX_ERRORS,
  MAX_JUNK,
  MAX_MISSED,
  MAX_NAME,
  MAX_TEXT,
} from "./markdown-limits.js";
import { agreementNote } from "./agreement-text.js";

function agreementLines(agreement: Agreement, judge: BenchReport["judge"]): string[] {
  const lines = ["### Judge vs human labels", ""];
  lines.push(md`${agreementNote(agreement, judge)}`, "");
  const measures = [
    ["usefulness (useful or not)", agreement.usefulness],
    ["junk", agreement.junk],
  ] as const;
  lines.push(
    ...table(
      ["judgement", "pairs", "accuracy", "Cohen's κ"],
      measures.map(([name, m]) => [name, formatCount(m.pairs), formatRate(m.accuracy), formatNumber(m.kappa, 2)]),
    ),
  );
  for (const [name, m] of measures) {
    if (m.disagreements_total === 0) continue;
    lines.push("", `<details><summary>${name}: ${m.disagreements_total} disagreements</summary>`, "");
    for (const d of m.disagreements.slice(0, MAX_DISAGREEMENTS)) {
      lines.push(
        `- ${d.role} ${code(truncate(d.conversation_id, MAX_NAME))} ${md`${truncate(d.text, 120)} — judge: ${truncate(d.judge, MAX_NAME)}; human: ${truncate(d.human, MAX_NAME)}`}`,
      );
    }
    if (m.disagreements_total > MAX_DISAGREEMENTS)
      lines.push(`- … ${m.disagreements_total - MAX_DISAGREEMENTS} more in report.json`);
    lines.push("", "</details>");
  }
  return lines;
}

/** Judge agreement with human labels, and the lists behind the numbers: changed conversations, lost memories, junk, errors. */
export function detailSections(report: BenchReport): string[][] {
  const out: string[][] = [];
  if (report.agreement) out.push(agreementLines(report.agreement, report.judge));
  const changes = rankConversationChanges(report)
    .filter((c) => c.failed || c.coveredDelta !== 0 || c.candidatesDelta !== 0)
    .slice(0, MAX_CONVERSATIONS);
  if (changes.length > 0) {
    out.push([
      `<details><summary>Conversations that changed most (top ${changes.length})</summary>`,
      "",
      ...table(
        ["conversation", "golden covered", "candidates", "error"],
        changes.map((c) => [
          code(truncate(c.result.conversation_id, MAX_NAME)).text,
          `${c.result.baseline.covered} → ${c.result.candidate.covered} (${formatSignedNumber(c.coveredDelta, 0)})`,
          `${c.result.baseline.candidates} → ${c.result.candidate.candidates} (${formatSignedNumber(c.candidatesDelta, 0)})`,
          md`${truncate(c.result.candidate.error ?? c.result.baseline.error ?? "", MAX_TEXT)}`,
        ]),
      ),
      "",
      "</details>",
    ]);
  }
  const lost = report.missed.filter((m) => m.role === "candidate" && m.covered_by_other);
  if (lost.length > 0) {
    out.push([
      `<details><summary>Golden memories the candidate lost (${lost.length})</summary>`,
      "",
      ...lost
        .slice(0, MAX_MISSED)
        .map(
          (m) =>
            `- ${code(truncate(m.golden_id, MAX_NAME))} ${md`${truncate(m.text, 160)}`}` +
            (m.evidence[0]
              ? ` — ${md`${truncate(m.evidence[0].speaker, MAX_NAME)}: “${truncate(m.evidence[0].text, 160)}”`}`
              : ""),
        ),
      ...(lost.length > MAX_MISSED ? [`- … ${lost.length - MAX_MISSED} more in report.html`] : []),
      "",
      "</details>",
    ]);
  }
  const junk = report.junk_examples.filter((j) => j.role === "candidate");
  if (junk.length > 0) {
    out.push([
      `<details><summary>Candidate junk examples (${junk.length})</summary>`,
      "",
      ...junk
        .slice(0, MAX_JUNK)
        .map((j) => md`- ${truncate(j.text, 160)} — ${j.category ?? "other"}: ${truncate(j.reason, 160)}`),
      "",
      "</details>",
    ]);
  }
  if (report.errors.length > 0) {
    out.push([
      `### Errors (${report.errors.length})`,
      "",
      ...report.errors
        .slice(0, MAX_ERRORS)
        .map(
          (e) =>
            `- ${e.role} ${code(truncate(e.conversation_id, MAX_NAME))} ${e.stage} ${md`${e.kind}: ${truncate(e.message, MAX_TEXT)}`}`,
        ),
      ...(report.errors.length > MAX_ERRORS ? [`- … ${report.errors.length - MAX_ERRORS} more in report.json`] : []),
    ]);
  }
  return out;
}
