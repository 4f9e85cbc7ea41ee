import { judgeCallsModel } from "../judge/judge-table.js";
import type { Agreement, BenchReport } from "../schema/report.js";
import { formatCount } from "../text/format-number.js";

/**
 * What the agreement stands on, as plain text for each medium to escape: how many labels matched a
 * candidate of this run, why the others did not (when the report counted it), and whether the judge
 * is a model.
 */
export function agreementNote(agreement: Agreement, judge: BenchReport["judge"]): string {
  const matched = `${formatCount(agreement.matched)} of ${formatCount(agreement.labels)} labels matched a candidate of this run (by conversation and text).`;
  const reasons: string[] = [];
  const { unmatched } = agreement;
  if (unmatched?.conversation_not_in_run)
    reasons.push(`${formatCount(unmatched.conversation_not_in_run)} name a conversation this run does not hold`);
  if (unmatched?.text_not_extracted)
    reasons.push(
      `${formatCount(unmatched.text_not_extracted)} name a text neither config extracted here (the extractors' wording changed since they were labelled)`,
    );
  const why = reasons.length > 0 ? ` Of the others, ${reasons.join(", and ")}.` : "";
  return `${matched}${why}${judgeCallsModel(judge.kind) ? "" : " The judge is not an LLM."}`;
}
