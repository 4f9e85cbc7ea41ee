import { labelKey, type HumanLabel } from "../schema/labels.js";
import type { AgreementStats, HumanAgreement, HumanDisagreement } from "../schema/report.js";
import { CONFIG_ROLES, type ConfigRole } from "../schema/run-log.js";
import { round } from "./numbers.js";
import type { RunData } from "./run-data.js";

interface Pair {
  judge: boolean;
  human: boolean;
}

/**
 * Accuracy and Cohen's κ of two binary raters: κ = (p_o − p_e) / (1 − p_e), p_e from each rater's
 * share of "yes". κ is null when chance agreement is total (both raters said the same thing every time).
 */
export function binaryAgreement(pairs: Pair[]): AgreementStats {
  const n = pairs.length;
  if (n === 0) return { pairs: 0, accuracy: null, kappa: null };
  const observed = pairs.filter((p) => p.judge === p.human).length / n;
  const judgeYes = pairs.filter((p) => p.judge).length / n;
  const humanYes = pairs.filter((p) => p.human).length / n;
  const expected = judgeYes * humanYes + (1 - judgeYes) * (1 - humanYes);
  return { pairs: n, accuracy: round(observed), kappa: expected === 1 ? null : round((observed - expected) / (1 - expected)) };
}

/** The label for one candidate of one config: a role-specific label first, then one for both. */
function labelIndex(labels: HumanLabel[]): (role: ConfigRole, conversationId: string, text: string) => HumanLabel | undefined {
  const byKey = new Map<string, HumanLabel[]>();
  for (const label of labels) {
    const key = labelKey(label.conversation_id, label.text);
    byKey.set(key, [...(byKey.get(key) ?? []), label]);
  }
  return (role, conversationId, text) => {
    const found = byKey.get(labelKey(conversationId, text)) ?? [];
    return found.find((l) => l.role === role) ?? found.find((l) => l.role === undefined);
  };
}

/**
 * Judge against human labels: usefulness (useful = rating 4–5) and junk marks, over the candidates
 * both judged; judge errors are left out. Null when the run has no labels file.
 */
export function computeHumanAgreement(run: RunData): HumanAgreement | null {
  const labels = run.start.labels?.items;
  if (!labels) return null;
  const find = labelIndex(labels);
  const usefulness: Pair[] = [];
  const junk: Pair[] = [];
  const disagreements: HumanDisagreement[] = [];
  for (const role of CONFIG_ROLES) {
    const data = run.roles[role];
    for (const [id, judgement] of data.usefulness) {
      const candidates = data.dryRuns.get(id)?.candidates ?? [];
      if (judgement.error) continue;
      for (const verdict of judgement.items) {
        const text = candidates[verdict.candidate_index]?.text;
        const rating = text === undefined ? undefined : find(role, id, text)?.rating;
        if (rating === undefined) continue;
        const pair = { judge: verdict.useful, human: rating >= 4 };
        usefulness.push(pair);
        if (pair.judge !== pair.human) disagreements.push({ task: "usefulness", role, conversation_id: id, text: text!, judge: `rated ${verdict.rating}`, human: `rated ${rating}`, reason: verdict.reason });
      }
    }
    for (const [id, judgement] of data.junk) {
      const candidates = data.dryRuns.get(id)?.candidates ?? [];
      if (judgement.error) continue;
      for (const verdict of judgement.items) {
        const text = candidates[verdict.candidate_index]?.text;
        const mark = text === undefined ? undefined : find(role, id, text)?.junk;
        if (mark === undefined) continue;
        junk.push({ judge: verdict.junk, human: mark });
        if (verdict.junk !== mark) {
          disagreements.push({ task: "junk", role, conversation_id: id, text: text!, judge: verdict.junk ? `junk (${verdict.category ?? "other"})` : "not junk", human: mark ? "junk" : "not junk", reason: verdict.reason });
        }
      }
    }
  }
  return { labels: labels.length, usefulness: binaryAgreement(usefulness), junk: binaryAgreement(junk), disagreements };
}
