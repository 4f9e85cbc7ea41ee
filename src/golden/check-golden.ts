import type { Problem } from "../errors.js";
import { formatPath } from "../load/locate.js";
import { lineOf, type Located } from "../load/read-records.js";
import type { Conversation } from "../schema/conversation.js";
import type { GoldenMemory } from "../schema/golden.js";
import { textSimilarity, tokenSet } from "../text/tokens.js";

/** Two memories of one conversation whose texts are at least this similar (Dice of content tokens) say the same thing. */
export const NEAR_DUPLICATE_SIMILARITY = 0.9;

function problemAt(item: Located<GoldenMemory>, path: PropertyKey[], message: string): Problem {
  const line = lineOf(item.where, path);
  return { file: item.where.file, ...(line === undefined ? {} : { line }), path: formatPath([...(item.where.prefix ?? []), ...path]), message };
}

function where(item: Located<GoldenMemory>): string {
  const line = lineOf(item.where);
  return line === undefined ? item.where.file : `${item.where.file}:${line}`;
}

/** Memories that repeat an earlier one of the same conversation. */
function nearDuplicates(items: Located<GoldenMemory>[]): Problem[] {
  const problems: Problem[] = [];
  const seen = new Map<string, Located<GoldenMemory>[]>();
  for (const item of items) {
    const earlier = seen.get(item.value.conversation_id) ?? [];
    for (const other of earlier) {
      const similarity = textSimilarity(item.value.text, other.value.text);
      const same = item.value.text.trim().toLowerCase() === other.value.text.trim().toLowerCase();
      if (same || similarity >= NEAR_DUPLICATE_SIMILARITY) {
        problems.push(problemAt(item, ["text"], `near-duplicate of "${other.value.id}" at ${where(other)} (similarity ${similarity.toFixed(2)})`));
        break;
      }
    }
    seen.set(item.value.conversation_id, [...earlier, item]);
  }
  return problems;
}

/** The speaker a subject names: a speaker's own name, or a known entity's name or alias that a speaker uses. */
function speakerOf(subject: string, conversation: Conversation): string | undefined {
  const wanted = tokenSet(subject);
  if (wanted.size === 0) return undefined;
  const matches = (name: string) => {
    const tokens = tokenSet(name);
    return tokens.size > 0 && [...tokens].every((t) => wanted.has(t));
  };
  const speakers = [...new Set(conversation.turns.map((t) => t.speaker))];
  const direct = speakers.find(matches);
  if (direct) return direct;
  const entity = conversation.entities.find((e) => [e.name, ...e.aliases].some(matches));
  return entity ? speakers.find((s) => [entity.name, ...entity.aliases].some((n) => n.toLowerCase() === s.toLowerCase())) : undefined;
}

/**
 * A memory about a speaker whose evidence turns are all spoken by someone else: usually evidence
 * pointing at the wrong turn. Memories about people who do not speak are not checked.
 */
function evidenceFromOthers(conversationOf: ConversationLookup, items: Located<GoldenMemory>[]): Problem[] {
  return items.flatMap((item) => {
    if (!item.value.subject) return [];
    const conversation = conversationOf(item.value.conversation_id);
    if (!conversation) return [];
    const speaker = speakerOf(item.value.subject, conversation);
    if (!speaker) return [];
    const turns = new Map(conversation.turns.map((t) => [t.id, t]));
    const speakers = item.value.evidence.map((id) => turns.get(id)?.speaker);
    if (speakers.includes(speaker)) return [];
    const others = [...new Set(speakers.filter(Boolean))].join(", ");
    return [problemAt(item, ["evidence"], `no evidence turn is spoken by the subject "${item.value.subject}" (spoken by ${others})`)];
  });
}

/** A conversation by id, read when asked (a dataset need not be held whole). */
export type ConversationLookup = (id: string) => Conversation | undefined;

/** Curation checks beyond the ones `run` makes: near-duplicates and evidence spoken by someone other than the subject. */
export function checkGoldenCuration(conversationOf: ConversationLookup, items: Located<GoldenMemory>[]): Problem[] {
  return [...nearDuplicates(items), ...evidenceFromOthers(conversationOf, items)].sort((a, b) => (a.line ?? 0) - (b.line ?? 0));
}
