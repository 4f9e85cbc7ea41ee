import { readJson, type ParsedAnswer } from "../providers/parse-json-answer.js";
import { LlmMemorySchema, type LlmMemory } from "../schema/llm-answer.js";
import { safeParse } from "../schema/quick-parse.js";

/**
 * What reading one answer repaired or dropped, by reason. Repairs keep the memory (an unknown key
 * left out, a numeric evidence id written as a string, `turn t4` read as `t4`); drops lose a memory
 * (`memory_invalid:<field>`) or an evidence id (`evidence_unknown`).
 */
export type ReadCounts = Record<string, number>;

export interface ReadMemories {
  memories: LlmMemory[];
  repairs: ReadCounts;
  dropped: ReadCounts;
}

const FIELDS = new Set(Object.keys(LlmMemorySchema.shape));

function bump(counts: ReadCounts, reason: string, by = 1): void {
  counts[reason] = (counts[reason] ?? 0) + by;
}

/** `t4`, `turn t4`, `[turn t4]`, `Turn: t4`: the id as the prompt writes it in brackets. */
const TURN_PREFIX = /^\[?\s*turn\s*[:#]?\s*(.+?)\s*\]?$/i;

/** One evidence entry as a turn id of the conversation, repaired where the intent is plain, or undefined. */
function evidenceId(value: unknown, known: ReadonlySet<string>, counts: ReadMemories): string | undefined {
  let id: string;
  if (typeof value === "number" && Number.isFinite(value)) {
    id = String(value);
    bump(counts.repairs, "evidence_number_as_string");
  } else if (typeof value === "string") id = value.trim();
  else {
    bump(counts.dropped, "evidence_not_an_id");
    return undefined;
  }
  if (!known.has(id)) {
    const bare = TURN_PREFIX.exec(id)?.[1];
    if (bare !== undefined && known.has(bare)) {
      bump(counts.repairs, "evidence_turn_prefix");
      return bare;
    }
    bump(counts.dropped, "evidence_unknown");
    return undefined;
  }
  return id;
}

/** One memory object as the schema reads it: unknown keys and nulls left out, evidence repaired; every repair counted. */
function repairMemory(
  raw: Record<string, unknown>,
  known: ReadonlySet<string>,
  counts: ReadMemories,
): Record<string, unknown> {
  const memory: Record<string, unknown> = {};
  for (const [key, value] of Object.entries(raw)) {
    if (!FIELDS.has(key)) bump(counts.repairs, "unknown_key_dropped");
    else if (value !== null) memory[key] = value;
  }
  if (
    typeof memory.confidence === "string" &&
    memory.confidence.trim() !== "" &&
    Number.isFinite(Number(memory.confidence))
  ) {
    memory.confidence = Number(memory.confidence);
    bump(counts.repairs, "confidence_string_as_number");
  }
  const evidence = memory.evidence;
  if (evidence !== undefined) {
    const list = Array.isArray(evidence) ? evidence : [evidence];
    if (!Array.isArray(evidence)) bump(counts.repairs, "evidence_single_as_list");
    memory.evidence = [
      ...new Set(list.map((item) => evidenceId(item, known, counts)).filter((id): id is string => id !== undefined)),
    ];
  }
  return memory;
}

/**
 * Read a model extractor's answer leniently: the JSON object with its `memories` list (or the list
 * itself), each memory validated on its own, so one bad memory is dropped and counted instead of
 * failing its whole window. The answer fails only when it is not JSON or holds no memory list.
 * `map` turns a team's own answer shape into the bench's first.
 */
export function readMemories(
  text: string,
  knownTurns: ReadonlySet<string>,
  map?: (value: unknown) => unknown,
): ParsedAnswer<ReadMemories> {
  const json = readJson(text);
  if (!json.ok) return json;
  const value = map ? map(json.value) : json.value;
  const out: ReadMemories = { memories: [], repairs: {}, dropped: {} };
  let list: unknown;
  if (Array.isArray(value)) {
    list = value;
    bump(out.repairs, "memories_list_at_top_level");
  } else if (value && typeof value === "object" && "memories" in value) {
    list = (value as { memories: unknown }).memories;
    const extra = Object.keys(value).filter((key) => key !== "memories").length;
    if (extra > 0) bump(out.repairs, "unknown_key_dropped", extra);
  }
  if (!Array.isArray(list))
    return { ok: false, error: 'the answer does not match the contract: expected an object with a "memories" list' };
  for (const item of list) {
    if (!item || typeof item !== "object" || Array.isArray(item)) {
      bump(out.dropped, "memory_not_an_object");
      continue;
    }
    const result = safeParse(LlmMemorySchema, repairMemory(item as Record<string, unknown>, knownTurns, out));
    if (result.success) out.memories.push(result.data);
    else bump(out.dropped, `memory_invalid:${String(result.error.issues[0]?.path[0] ?? "memory")}`);
  }
  return { ok: true, value: out };
}
