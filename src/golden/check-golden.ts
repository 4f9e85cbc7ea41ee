import type { Problem } from "../errors.js";
import { formatPath } from "../load/locate.js";
import { lineOf, type Located } from "../load/read-records.js";
import type { RecordLocation } from "../load/validate-record.js";
import type { Conversation } from "../schema/conversation.js";
import type { GoldenMemory } from "../schema/golden.js";
import { textSimilarity, tokenSet } from "../text/tokens.js";

/** Two memories of one conversation whose texts are at least this similar (Dice of content tokens) say the same thing. */
export const NEAR_DUPLICATE_SIMILARITY = 0.9;

/** The kinds of curation warning, named as a linter names its rules. */
export type CurationRule = "near-duplicate" | "speaker-attribution" | "no-fields" | "no-entities";

/**
 * Something a reviewer should look at: `run` accepts the set as it is, and some findings are right
 * as written (a memory about one speaker that the other speaker states: "Caroline: you ran a marathon!").
 */
export interface CurationWarning extends Problem {
  rule: CurationRule;
}

function warningAt(where: RecordLocation, path: PropertyKey[], rule: CurationRule, message: string): CurationWarning {
  const line = lineOf(where, path);
  const fullPath = formatPath([...(where.prefix ?? []), ...path]);
  return {
    file: where.file,
    ...(line === undefined ? {} : { line }),
    ...(fullPath ? { path: fullPath } : {}),
    message,
    rule,
  };
}

function where(item: Located<GoldenMemory>): string {
  const line = lineOf(item.where);
  return line === undefined ? item.where.file : `${item.where.file}:${line}`;
}

/**
 * How much a text repeats a memory: the Dice similarity of their content tokens, 1 for the same text
 * (case and outer spaces aside). `golden validate` and the review page's "≈ already golden" both use it.
 */
export function repeatSimilarity(text: string, memory: Pick<GoldenMemory, "text">): number {
  return text.trim().toLowerCase() === memory.text.trim().toLowerCase() ? 1 : textSimilarity(text, memory.text);
}

/** The first of `memories` that a text repeats (similarity ≥ NEAR_DUPLICATE_SIMILARITY), with its similarity. */
export function nearDuplicateOf<M extends Pick<GoldenMemory, "text">>(
  text: string,
  memories: Iterable<M>,
): { memory: M; similarity: number } | undefined {
  for (const memory of memories) {
    const similarity = repeatSimilarity(text, memory);
    if (similarity >= NEAR_DUPLICATE_SIMILARITY) return { memory, similarity };
  }
  return undefined;
}

/** Memories that repeat an earlier one of the same conversation. */
function nearDuplicates(items: Located<GoldenMemory>[]): CurationWarning[] {
  const problems: CurationWarning[] = [];
  const seen = new Map<string, GoldenMemory[]>();
  const located = new Map<GoldenMemory, Located<GoldenMemory>>(items.map((item) => [item.value, item]));
  for (const item of items) {
    const earlier = seen.get(item.value.conversation_id) ?? [];
    const repeated = nearDuplicateOf(item.value.text, earlier);
    if (repeated) {
      const other = located.get(repeated.memory)!;
      problems.push(
        warningAt(
          item.where,
          ["text"],
          "near-duplicate",
          `near-duplicate of "${other.value.id}" at ${where(other)} (similarity ${repeated.similarity.toFixed(2)})`,
        ),
      );
    }
    seen.set(item.value.conversation_id, [...earlier, item.value]);
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
  return entity
    ? speakers.find((s) => [entity.name, ...entity.aliases].some((n) => n.toLowerCase() === s.toLowerCase()))
    : undefined;
}

/**
 * A memory about a speaker whose evidence turns are all spoken by someone else: usually evidence
 * pointing at the wrong turn. Memories about people who do not speak are not checked.
 */
function evidenceFromOthers(conversationOf: ConversationLookup, items: Located<GoldenMemory>[]): CurationWarning[] {
  return items.flatMap((item) => {
    if (!item.value.subject) return [];
    const conversation = conversationOf(item.value.conversation_id);
    if (!conversation) return [];
    const speaker = speakerOf(item.value.subject, conversation);
    if (!speaker) return [];
    const turns = new Map(conversation.turns.map((t) => [t.id, t]));
    // Evidence naming no turn is an error of its own; the warning is about the turns that exist.
    const speakers = item.value.evidence.flatMap((id) => turns.get(id)?.speaker ?? []);
    if (speakers.length === 0 || speakers.includes(speaker)) return [];
    const others = [...new Set(speakers)].join(", ");
    return [
      warningAt(
        item.where,
        ["evidence"],
        "speaker-attribution",
        `no evidence turn is spoken by the subject "${item.value.subject}" (spoken by ${others})`,
      ),
    ];
  });
}

/** Findings in file order, then line order (stable: findings of one line keep their order). */
function sortByPlace<T extends Problem>(problems: T[]): T[] {
  return problems.sort((a, b) => (a.file < b.file ? -1 : a.file > b.file ? 1 : (a.line ?? 0) - (b.line ?? 0)));
}

/** The structured fields of a golden memory, beside its text. */
const MEMORY_FIELDS = ["type", "subject", "predicate", "object"] as const;
type MemoryFields = Pick<GoldenMemory, (typeof MEMORY_FIELDS)[number]>;

/** How many of type, subject, predicate and object a memory gives: 0 is text only, as most imports leave it. */
export function fieldsGiven(memory: MemoryFields): number {
  return MEMORY_FIELDS.filter((field) => memory[field]?.trim()).length;
}

/** How many memories lack their structured fields: `all` of them (text only), or `some` but not all. */
export interface MissingFields {
  all: number;
  some: number;
}

/** Count the memories that lack all or some of type, subject, predicate and object. */
export function countMissingFields(
  memories: Iterable<MemoryFields>,
  into: MissingFields = { all: 0, some: 0 },
): MissingFields {
  for (const memory of memories) {
    const present = fieldsGiven(memory);
    if (present === 0) into.all++;
    else if (present < MEMORY_FIELDS.length) into.some++;
  }
  return into;
}

/** Memories with text only: the report's field agreement and type checks have nothing to compare them on. */
function memoriesWithoutFields(items: Located<GoldenMemory>[]): CurationWarning[] {
  return items
    .filter((item) => fieldsGiven(item.value) === 0)
    .map((item) =>
      warningAt(
        item.where,
        [],
        "no-fields",
        "no type, subject, predicate or object: fill them in on the review page (golden review)",
      ),
    );
}

/** A conversation by id, read when asked (a dataset need not be held whole). */
export type ConversationLookup = (id: string) => Conversation | undefined;

/** Curation checks on golden memories beyond the ones `run` makes: near-duplicates, evidence spoken by someone other than the subject, memories without fields. */
export function checkGoldenCuration(
  conversationOf: ConversationLookup,
  items: Located<GoldenMemory>[],
): CurationWarning[] {
  return sortByPlace([
    ...nearDuplicates(items),
    ...evidenceFromOthers(conversationOf, items),
    ...memoriesWithoutFields(items),
  ]);
}

/** A conversation that lists no known entities: entity resolution has nothing to match its mentions against. */
export function conversationWithoutEntities(
  conversation: Pick<Conversation, "id" | "entities">,
  where: RecordLocation,
): CurationWarning | undefined {
  if (conversation.entities.length > 0) return undefined;
  return warningAt(
    where,
    ["entities"],
    "no-entities",
    `conversation "${conversation.id}" lists no known entities: add its speakers and the people it names`,
  );
}
