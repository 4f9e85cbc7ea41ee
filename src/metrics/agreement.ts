import { USEFUL_RATING } from "../judge/judge.js";
import type { HumanLabel } from "../schema/curation.js";
import type { Agreement, AgreementMeasure, Disagreement } from "../schema/report.js";
import type { JunkCategory } from "../schema/verdict.js";
import { ratio, round } from "./numbers.js";
import type { RunData } from "./run-data.js";

/**
 * The key a human label and a candidate share: conversation id and text, trimmed, whitespace
 * collapsed, case ignored. Stable across runs of the same extractor, unlike candidate indexes.
 */
export function labelKey(conversationId: string, text: string): string {
  return `${conversationId}\u0000${text.trim().replace(/\s+/g, " ").toLowerCase()}`;
}

/** What the judge said about one candidate of a run. */
export interface JudgedCandidate {
  role: "baseline" | "candidate";
  conversation_id: string;
  text: string;
  /** Usefulness rating 1–5, when judged. */
  rating?: number;
  useful?: boolean;
  /** Junk verdict, when the candidate was in the junk sample. */
  junk?: boolean;
  junk_category?: JunkCategory | null;
}

/** Every candidate of the labelled conversations with what the judge said about it (usefulness, and junk when sampled). Judge errors are left out. */
export function judgedCandidates(run: RunData): JudgedCandidate[] {
  return run.judged;
}

export function cohensKappa(pairs: Array<[boolean, boolean]>): number | null {
  if (pairs.length === 0) return null;
  const n = pairs.length;
  const observed = pairs.filter(([a, b]) => a === b).length / n;
  const aYes = pairs.filter(([a]) => a).length / n;
  const bYes = pairs.filter(([, b]) => b).length / n;
  const expected = aYes * bYes + (1 - aYes) * (1 - bYes);
  return expected === 1 ? null : (observed - expected) / (1 - expected);
}

const MAX_DISAGREEMENTS = 50;

function measure(pairs: Array<{ judge: boolean; human: boolean; item: Disagreement }>): AgreementMeasure {
  const disagreements = pairs.filter((p) => p.judge !== p.human).map((p) => p.item);
  return {
    pairs: pairs.length,
    accuracy: round(ratio(pairs.length - disagreements.length, pairs.length)),
    kappa: round(cohensKappa(pairs.map((p) => [p.judge, p.human]))),
    disagreements: disagreements.slice(0, MAX_DISAGREEMENTS),
    disagreements_total: disagreements.length,
  };
}

/**
 * Judge-vs-human agreement on usefulness (useful or not: a rating of USEFUL_RATING or more on both sides) and on junk,
 * over the candidates a label refers to. With `inRun` (whether the run holds a conversation), the
 * labels that matched nothing are counted by why. Pure.
 */
export function computeAgreement(
  labels: HumanLabel[],
  judged: JudgedCandidate[],
  inRun?: (conversationId: string) => boolean,
): Agreement {
  const byKey = new Map(labels.map((label) => [labelKey(label.conversation_id, label.text), label]));
  const matchedKeys = new Set<string>();
  const usefulness: Array<{ judge: boolean; human: boolean; item: Disagreement }> = [];
  const junk: Array<{ judge: boolean; human: boolean; item: Disagreement }> = [];
  for (const candidate of judged) {
    const key = labelKey(candidate.conversation_id, candidate.text);
    const label = byKey.get(key);
    if (!label) continue;
    matchedKeys.add(key);
    const base = { role: candidate.role, conversation_id: candidate.conversation_id, text: candidate.text };
    if (label.usefulness !== undefined && candidate.useful !== undefined) {
      usefulness.push({
        judge: candidate.useful,
        human: label.usefulness >= USEFUL_RATING,
        item: {
          ...base,
          judge: `rated ${candidate.rating ?? "?"} (${candidate.useful ? "useful" : "not useful"})`,
          human: `rated ${label.usefulness}`,
        },
      });
    }
    if (label.junk !== undefined && candidate.junk !== undefined) {
      const describe = (isJunk: boolean, category: string | null | undefined) =>
        isJunk ? `junk${category ? ` (${category})` : ""}` : "not junk";
      junk.push({
        judge: candidate.junk,
        human: label.junk,
        item: {
          ...base,
          judge: describe(candidate.junk, candidate.junk_category),
          human: describe(label.junk, label.junk_category),
        },
      });
    }
  }
  const unmatched = { conversation_not_in_run: 0, text_not_extracted: 0 };
  if (inRun) {
    for (const [key, label] of byKey) {
      if (matchedKeys.has(key)) continue;
      if (inRun(label.conversation_id)) unmatched.text_not_extracted++;
      else unmatched.conversation_not_in_run++;
    }
  }
  return {
    labels: labels.length,
    matched: matchedKeys.size,
    ...(inRun ? { unmatched } : {}),
    usefulness: measure(usefulness),
    junk: measure(junk),
  };
}
