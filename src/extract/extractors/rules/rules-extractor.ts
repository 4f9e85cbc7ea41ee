import type { RawCandidate } from "../../../schema/candidate.js";
import type { Conversation, Turn } from "../../../schema/conversation.js";
import {
  DEFAULT_TYPE_RULES,
  type RuleCategory,
  type RulesExtractor,
  type RulesOptions,
} from "../../../schema/extractor-config.js";
import { slugify } from "../../../text/tokens.js";
import { emptyUsage, type ExtractStageFactory } from "../../extract-stage.js";
import {
  CORRECTION,
  HEDGES,
  STATEMENT_CUE,
  STATEMENT_PATTERNS,
  type CueStrength,
  type StatementPattern,
} from "./patterns.js";

const STRENGTH_ADJUSTMENT: Record<CueStrength, number> = { strong: 0.1, plain: 0, weak: -0.1 };
const HEDGE_PENALTY = 0.25;
const CORRECTION_BONUS = 0.05;
const MAX_OBJECT_WORDS = 8;

const TRAILING_FILLER =
  /(?:\s+(?:too|as well|lol|haha|now|these days|nowadays|a lot|so much|honestly|though|anyway|tbh|right now|at the moment))+$/i;

/** Split a turn into clauses: sentences, dashes, and "…, and I …" / "… but my …" joins. */
export function splitClauses(text: string): string[] {
  return text
    .split(/(?<=[.!?])\s+|\n+|;\s*|\s[—–-]\s|,?\s+(?:and|but|so)\s+(?=(?:I|I'm|I've|we|we're|my)\b)/)
    .map((s) => s.trim())
    .filter((s) => s.length > 0);
}

function styled(predicate: string, style: RulesOptions["predicate_style"]): string {
  if (style === "snake_case") return predicate;
  return predicate.replace(/_([a-z0-9])/g, (_, c: string) => c.toUpperCase());
}

function cleanObject(raw: string, stopAt: RegExp | undefined): string {
  let object = raw;
  if (stopAt) {
    const stop = stopAt.exec(object);
    if (stop) object = object.slice(0, stop.index);
  }
  object = object.split(/,|\s[-–—]\s|\(|:|\s(?:lol|haha)\b/)[0] ?? "";
  object = object.replace(TRAILING_FILLER, "").replace(/^(?:the|a|an|my) (?=\S)/i, (m) => (/^my /i.test(m) ? m : ""));
  object = object.trim().replace(/[\s"'’)]+$/, "");
  const words = object.split(/\s+/);
  return words.length > MAX_OBJECT_WORDS ? "" : object;
}

function isUserTurn(turn: Turn): boolean {
  return turn.role ? turn.role === "user" : turn.speaker.toLowerCase() !== "assistant";
}

/** The subject string for a speaker, under the config's entity naming convention. */
export function subjectFor(
  speaker: string,
  conversation: Conversation,
  naming: RulesOptions["subject_naming"],
): string {
  if (naming === "user") return "user";
  if (naming === "name") return speaker;
  const lower = speaker.toLowerCase();
  const known = conversation.entities.find(
    (e) => e.name.toLowerCase() === lower || e.aliases.some((a) => a.toLowerCase() === lower),
  );
  return slugify(known?.name ?? speaker);
}

function resolve<T>(value: T | ((match: RegExpExecArray) => T), match: RegExpExecArray): T {
  return typeof value === "function" ? (value as (m: RegExpExecArray) => T)(match) : value;
}

interface ClauseMatch {
  pattern: StatementPattern;
  match: RegExpExecArray;
  object: string;
  predicate: string;
}

function matchClause(clause: string, categories: ReadonlySet<RuleCategory>): ClauseMatch[] {
  const suppressed = new Set<RuleCategory>();
  const predicates = new Set<string>();
  const out: ClauseMatch[] = [];
  for (const pattern of STATEMENT_PATTERNS) {
    if (!categories.has(pattern.category) || suppressed.has(pattern.category)) continue;
    const match = pattern.pattern.exec(clause);
    if (!match) continue;
    if (pattern.suppresses) {
      suppressed.add(pattern.category);
      continue;
    }
    // One memory per predicate per clause: the first, most specific pattern wins.
    const predicate = resolve(pattern.predicate, match);
    if (predicates.has(predicate)) continue;
    predicates.add(predicate);
    const object = cleanObject(match.groups?.object ?? "", pattern.stopAt);
    if (object !== "") out.push({ pattern, match, object, predicate });
  }
  return out;
}

/** The deterministic, pattern-based extract stage: first-person statements in user turns. */
export function extractRuleCandidates(
  conversation: Conversation,
  turns: Turn[],
  options: RulesOptions,
): RawCandidate[] {
  const categories = new Set<RuleCategory>(options.categories ?? (Object.keys(DEFAULT_TYPE_RULES) as RuleCategory[]));
  const candidates: RawCandidate[] = [];
  for (const turn of turns) {
    if (!isUserTurn(turn)) continue;
    const subject = subjectFor(turn.speaker, conversation, options.subject_naming);
    for (const rawClause of splitClauses(turn.text)) {
      if (!STATEMENT_CUE.test(rawClause)) continue;
      const corrected = CORRECTION.test(rawClause);
      const clause = rawClause.replace(/[’‘]/g, "'").replace(CORRECTION, "");
      const hedged = HEDGES.test(clause);
      if (hedged && options.hedged_statements === "skip") continue;
      for (const { pattern, match, object, predicate } of matchClause(clause, categories)) {
        const strength = resolve(pattern.strength ?? "plain", match);
        const confidence =
          options.base_confidence +
          STRENGTH_ADJUSTMENT[strength] +
          (corrected ? CORRECTION_BONUS : 0) -
          (hedged ? HEDGE_PENALTY : 0);
        candidates.push({
          text: `${subject} ${resolve(pattern.phrase, match)} ${object}`,
          type: options.type_rules[pattern.category] ?? DEFAULT_TYPE_RULES[pattern.category],
          subject,
          predicate: styled(predicate, options.predicate_style),
          object,
          confidence: Math.round(Math.min(0.99, Math.max(0.05, confidence)) * 100) / 100,
          evidence: [turn.id],
          entities: pattern.objectIsEntity ? [subject, object] : [subject],
        });
      }
    }
  }
  return candidates;
}

export const createRulesExtractor: ExtractStageFactory<RulesExtractor> = async (extractor) => ({
  inProcess: true,
  async extract({ conversation, turns }) {
    return {
      candidates: extractRuleCandidates(conversation, turns, extractor.rules),
      calls: 1,
      jsonFailures: 0,
      usage: emptyUsage(),
    };
  },
});
