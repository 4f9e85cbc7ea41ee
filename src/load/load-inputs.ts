import type { Problem } from "../errors.js";
import { throwIfProblems } from "../errors.js";
import { ConversationSchema, type Conversation } from "../schema/conversation.js";
import { HumanLabelSchema, type HumanLabel } from "../schema/curation.js";
import { GoldenMemorySchema, type GoldenMemory } from "../schema/golden.js";
import { parse } from "../schema/quick-parse.js";
import { formatPath } from "./locate.js";
import { OpenFiles } from "./line-reader.js";
import {
  lineOf,
  readRecords,
  reloadRecord,
  reloadRecords,
  streamRecords,
  type Located,
  type RecordRef,
} from "./read-records.js";
import type { RecordLocation } from "./validate-record.js";

/** A problem at a field of a located record: file, line and path as precisely as the format allows. */
export function locatedProblem(where: RecordLocation, path: ReadonlyArray<PropertyKey>, message: string): Problem {
  const problem: Problem = { file: where.file, message };
  const line = lineOf(where, path);
  if (line !== undefined) problem.line = line;
  const fullPath = formatPath([...(where.prefix ?? []), ...path]);
  if (fullPath) problem.path = fullPath;
  return problem;
}

function describeLocation(where: RecordLocation): string {
  const line = lineOf(where);
  return line === undefined ? where.file : `${where.file}:${line}`;
}

/** Ids seen so far and where each first appeared: a repeat is a problem naming the first. */
class UniqueIds {
  private readonly first = new Map<string, string>();
  constructor(private readonly what: string) {}

  check(id: string, where: RecordLocation, problems: Problem[]): boolean {
    const earlier = this.first.get(id);
    if (earlier !== undefined) {
      problems.push(locatedProblem(where, ["id"], `duplicate ${this.what} id "${id}" (first at ${earlier})`));
      return false;
    }
    this.first.set(id, describeLocation(where));
    return true;
  }
}

/** One conversation of a dataset, as indexed: enough to plan and check the run without holding its turns. */
export interface ConversationEntry {
  id: string;
  /** Position in the dataset, 0-based. */
  position: number;
  namespace: string;
  turns: number;
  /** Its turn ids, NUL-separated: what golden memories' evidence is checked against. */
  turnIds: string;
  /** Its earliest turn timestamp, when every turn carries a valid one: the retrieval simulation's time order. */
  startsAt?: string;
  ref: RecordRef;
}

/**
 * A validated dataset, indexed rather than held: each conversation is read again from its file when
 * its unit runs, so a dataset of any size streams in memory that holds one small entry per conversation.
 */
export class ConversationSet {
  private byIdCache: Map<string, ConversationEntry> | undefined;
  /** The dataset files, kept open while the run reads conversations back: close() when done. */
  readonly files = new OpenFiles();

  constructor(readonly entries: ConversationEntry[]) {}

  static of(conversations: Conversation[]): ConversationSet {
    return new ConversationSet(conversations.map((c, position) => entryOf(c, position, { value: c })));
  }

  get size(): number {
    return this.entries.length;
  }

  get turns(): number {
    return this.entries.reduce((sum, e) => sum + e.turns, 0);
  }

  get(id: string): ConversationEntry | undefined {
    this.byIdCache ??= new Map(this.entries.map((e) => [e.id, e]));
    return this.byIdCache.get(id);
  }

  load(entry: ConversationEntry): Conversation {
    return reloadRecord(entry.ref, (value) => parse(ConversationSchema, value), this.files);
  }

  all(): Conversation[] {
    try {
      return this.entries.map((entry) => this.load(entry));
    } finally {
      this.files.close();
    }
  }
}

function entryOf(conversation: Conversation, position: number, ref: RecordRef): ConversationEntry {
  const entry: ConversationEntry = {
    id: conversation.id,
    position,
    namespace: conversation.scope.namespace,
    turns: conversation.turns.length,
    turnIds: conversation.turns.map((t) => t.id).join("\u0000"),
    ref,
  };
  const startsAt = earliestTimestamp(conversation);
  if (startsAt !== undefined) entry.startsAt = startsAt;
  return entry;
}

/** The earliest turn timestamp (ISO text), or undefined unless every turn has one that parses. */
function earliestTimestamp(conversation: Conversation): string | undefined {
  let earliest: { at: number; text: string } | undefined;
  for (const turn of conversation.turns) {
    const at = turn.ts === undefined ? NaN : Date.parse(turn.ts);
    if (Number.isNaN(at)) return undefined;
    if (!earliest || at < earliest.at) earliest = { at, text: turn.ts! };
  }
  return earliest?.text;
}

/**
 * Validate and index a dataset (a .jsonl/.json file or a folder of them). Throws InputError with every
 * problem. `onConversation` is shown each valid conversation whole as it streams by, with where it is.
 */
export function indexConversations(
  path: string,
  onConversation?: (conversation: Conversation, where: RecordLocation) => void,
): ConversationSet {
  const problems: Problem[] = [];
  const entries: ConversationEntry[] = [];
  const ids = new UniqueIds("conversation");
  streamRecords(path, ConversationSchema, problems, (conversation, where, ref) => {
    if (!ids.check(conversation.id, where, problems)) return;
    entries.push(entryOf(conversation, entries.length, ref));
    onConversation?.(conversation, where);
  });
  if (entries.length === 0 && problems.length === 0)
    problems.push({ file: path, message: "the dataset holds no conversation" });
  throwIfProblems(problems);
  return new ConversationSet(entries);
}

export function loadConversations(path: string): Conversation[] {
  return indexConversations(path).all();
}

/** A validated golden set, indexed by conversation; memories are read again when their conversation runs. */
export class GoldenSet {
  /** The golden files, kept open while the run reads memories back: close() when done. */
  readonly files = new OpenFiles();

  constructor(
    readonly count: number,
    private readonly byConversation: Map<string, RecordRef[]>,
  ) {}

  /** How many golden memories a conversation has. */
  countFor(conversationId: string): number {
    return this.byConversation.get(conversationId)?.length ?? 0;
  }

  forConversation(conversationId: string): GoldenMemory[] {
    return reloadRecords(
      this.byConversation.get(conversationId) ?? [],
      (value) => parse(GoldenMemorySchema, value),
      this.files,
    );
  }

  /** The memories of these conversations only (a shard of the dataset). */
  only(conversationIds: ReadonlySet<string>): GoldenSet {
    const kept = new Map([...this.byConversation].filter(([id]) => conversationIds.has(id)));
    return new GoldenSet(
      [...kept.values()].reduce((sum, refs) => sum + refs.length, 0),
      kept,
    );
  }

  /** Every memory, grouped by conversation in first-seen order. */
  all(): GoldenMemory[] {
    try {
      return [...this.byConversation.keys()].flatMap((id) => this.forConversation(id));
    } finally {
      this.files.close();
    }
  }
}

/** Validate and index a golden set against the conversations it references. Throws InputError with every problem. */
export function indexGolden(path: string, conversations: ConversationSet): GoldenSet {
  const problems: Problem[] = [];
  const ids = new UniqueIds("golden memory");
  const byConversation = new Map<string, RecordRef[]>();
  let count = 0;
  // Golden files usually list a conversation's memories together: keep the last turn-id set.
  let turnsOf: { id: string; turns: Set<string> } | undefined;
  streamRecords(path, GoldenMemorySchema, problems, (memory, where, ref) => {
    count++;
    if (!ids.check(memory.id, where, problems)) return;
    const entry = conversations.get(memory.conversation_id);
    if (!entry) {
      problems.push(
        locatedProblem(where, ["conversation_id"], `no conversation "${memory.conversation_id}" in the dataset`),
      );
      return;
    }
    if (turnsOf?.id !== entry.id) turnsOf = { id: entry.id, turns: new Set(entry.turnIds.split("\u0000")) };
    const turns = turnsOf.turns;
    memory.evidence.forEach((turnId, index) => {
      if (!turns.has(turnId))
        problems.push(
          locatedProblem(where, ["evidence", index], `no turn "${turnId}" in conversation "${memory.conversation_id}"`),
        );
    });
    let refs = byConversation.get(memory.conversation_id);
    if (!refs) byConversation.set(memory.conversation_id, (refs = []));
    refs.push(ref);
  });
  if (count === 0 && problems.length === 0) problems.push({ file: path, message: "the golden set holds no memory" });
  throwIfProblems(problems);
  return new GoldenSet(count, byConversation);
}

/** Golden memories, checked against the conversations they reference. */
export function loadGolden(path: string, conversations: Conversation[]): GoldenMemory[] {
  return indexGolden(path, ConversationSet.of(conversations)).all();
}

/** Human labels (ratings and junk marks from `golden review`); each must name a conversation of the dataset. */
export function loadLabels(path: string, conversations: Conversation[] | ConversationSet): HumanLabel[] {
  const problems: Problem[] = [];
  const items: Located<HumanLabel>[] = readRecords(path, HumanLabelSchema, problems);
  const set = Array.isArray(conversations) ? ConversationSet.of(conversations) : conversations;
  for (const item of items) {
    if (!set.get(item.value.conversation_id))
      problems.push(
        locatedProblem(
          item.where,
          ["conversation_id"],
          `no conversation "${item.value.conversation_id}" in the dataset`,
        ),
      );
  }
  throwIfProblems(problems);
  return items.map((item) => item.value);
}
