import type { Problem } from "../../errors.js";
import { ConversationSchema, TurnRoleSchema, type Conversation, type Turn } from "../../schema/conversation.js";
import type { MappedField } from "../../schema/curation.js";
import { GoldenMemorySchema, type GoldenMemory } from "../../schema/golden.js";
import { validateRecord } from "../validate-record.js";
import { SkipTally, type ImportResult } from "./import-result.js";
import { entitiesNamed, speakerNames, splitNames } from "./known-entities.js";

/** One turn of the source (a CSV row, a JSONL record or an element of one), with its fields mapped. */
export interface SourceRow {
  file: string;
  line: number;
  /** The mapped field's value, trimmed; undefined when absent or blank. */
  get(field: MappedField): string | undefined;
}

interface Draft {
  conversation: Conversation;
  file: string;
  /** Line of each turn, by turn id, for problems found later. */
  lines: Map<string, number>;
  /** Known entities the mapping names, in order of first mention. */
  entityNames: string[];
}

/** Evidence turn ids written in one cell: separated by commas, semicolons or spaces. */
export function splitTurnIds(value: string | undefined): string[] {
  return (value ?? "").split(/[\s,;]+/).filter((id) => id !== "");
}

function parseRole(row: SourceRow, problems: Problem[]): Turn["role"] | "invalid" | undefined {
  const value = row.get("role");
  if (value === undefined) return undefined;
  const role = TurnRoleSchema.safeParse(value.toLowerCase());
  if (role.success) return role.data;
  problems.push({
    file: row.file,
    line: row.line,
    path: "role",
    message: `expected one of "user" | "assistant" | "system", got ${JSON.stringify(value)}`,
  });
  return "invalid";
}

function memoryFrom(row: SourceRow, conversationId: string, turnId: string, index: number): GoldenMemory | undefined {
  const text = row.get("memory");
  if (text === undefined) return undefined;
  const memory: GoldenMemory = {
    id: `${conversationId}/m${index}`,
    conversation_id: conversationId,
    text,
    evidence: [turnId],
  };
  for (const id of splitTurnIds(row.get("memory_evidence")))
    if (!memory.evidence.includes(id)) memory.evidence.push(id);
  const type = row.get("memory_type");
  const subject = row.get("memory_subject");
  const predicate = row.get("memory_predicate");
  const object = row.get("memory_object");
  if (type !== undefined) memory.type = type;
  if (subject !== undefined) memory.subject = subject;
  if (predicate !== undefined) memory.predicate = predicate;
  if (object !== undefined) memory.object = object;
  return memory;
}

/**
 * Group turn rows into conversations (in order of first appearance) and the golden memories they
 * state. Each conversation knows the entities the mapping names and its speakers (not the assistant).
 * Bad rows are problems naming their line; turns with empty text are left out and counted.
 */
export function assembleTurns(rows: Iterable<SourceRow>, problems: Problem[]): ImportResult {
  const drafts = new Map<string, Draft>();
  const memoryRows: Array<{ memory: GoldenMemory; row: SourceRow }> = [];
  const skipped = new SkipTally();
  for (const row of rows) {
    const conversationId = row.get("conversation_id");
    const speaker = row.get("speaker");
    const missing = [
      conversationId === undefined ? "conversation_id" : undefined,
      speaker === undefined ? "speaker" : undefined,
    ].filter(Boolean);
    if (missing.length > 0) {
      problems.push({ file: row.file, line: row.line, message: `missing ${missing.join(" and ")}` });
      continue;
    }
    const role = parseRole(row, problems);
    if (role === "invalid") continue;
    const text = row.get("text");
    if (text === undefined) {
      skipped.add("turn with empty text", `${row.file}:${row.line}`);
      continue;
    }
    let draft = drafts.get(conversationId!);
    if (!draft) {
      const namespace = row.get("namespace") ?? `import:${conversationId}`;
      draft = {
        conversation: { id: conversationId!, scope: { namespace }, turns: [], entities: [] },
        file: row.file,
        lines: new Map(),
        entityNames: [],
      };
      drafts.set(conversationId!, draft);
    }
    draft.entityNames.push(...splitNames(row.get("entities")));
    const turnId = row.get("turn_id") ?? `t${draft.conversation.turns.length + 1}`;
    const earlier = draft.lines.get(turnId);
    if (earlier !== undefined) {
      problems.push({
        file: row.file,
        line: row.line,
        path: "turn_id",
        message: `duplicate turn id "${turnId}" in conversation "${conversationId}" (first at line ${earlier})`,
      });
      continue;
    }
    const turn: Turn = { id: turnId, speaker: speaker!, text };
    if (role) turn.role = role;
    const ts = row.get("timestamp");
    if (ts !== undefined) turn.ts = ts;
    draft.conversation.turns.push(turn);
    draft.lines.set(turnId, row.line);
    const memory = memoryFrom(
      row,
      conversationId!,
      turnId,
      memoryRows.filter((m) => m.memory.conversation_id === conversationId).length + 1,
    );
    if (memory) memoryRows.push({ memory, row });
  }

  for (const { memory, row } of memoryRows) {
    const turns = drafts.get(memory.conversation_id)!.lines;
    memory.evidence.forEach((id) => {
      if (!turns.has(id))
        problems.push({
          file: row.file,
          line: row.line,
          path: "memory_evidence",
          message: `no turn "${id}" in conversation "${memory.conversation_id}"`,
        });
    });
  }
  // Built to fit; validated anyway, so what is written is exactly what `run` accepts.
  const conversations = [...drafts.values()].flatMap((d) => {
    d.conversation.entities = entitiesNamed([...d.entityNames, ...speakerNames(d.conversation.turns)]);
    const where = { file: d.file, line: d.lines.values().next().value ?? 1 };
    const valid = validateRecord(ConversationSchema, d.conversation, where, problems);
    return valid ? [valid] : [];
  });
  const golden = memoryRows.flatMap(({ memory, row }) => {
    const valid = validateRecord(GoldenMemorySchema, memory, { file: row.file, line: row.line }, problems);
    return valid ? [valid] : [];
  });
  return { conversations, golden, skipped: skipped.list() };
}
