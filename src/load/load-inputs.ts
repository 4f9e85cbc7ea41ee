import type { Problem } from "../errors.js";
import { throwIfProblems } from "../errors.js";
import { ConversationSchema, type Conversation } from "../schema/conversation.js";
import { HumanLabelSchema, type HumanLabel } from "../schema/curation.js";
import { GoldenMemorySchema, type GoldenMemory } from "../schema/golden.js";
import { formatPath } from "./locate.js";
import { lineOf, readRecords, type Located } from "./read-records.js";

function locatedProblem(item: Located<unknown>, path: ReadonlyArray<PropertyKey>, message: string): Problem {
  const problem: Problem = { file: item.where.file, message };
  const line = lineOf(item.where, path);
  if (line !== undefined) problem.line = line;
  const fullPath = formatPath([...(item.where.prefix ?? []), ...path]);
  if (fullPath) problem.path = fullPath;
  return problem;
}

function describeLocation(item: Located<unknown>): string {
  const line = lineOf(item.where);
  return line === undefined ? item.where.file : `${item.where.file}:${line}`;
}

/** Flag records whose id repeats an earlier one, naming where the first one is. */
function checkUniqueIds<T extends { id: string }>(items: Located<T>[], what: string, problems: Problem[]): void {
  const first = new Map<string, Located<T>>();
  for (const item of items) {
    const earlier = first.get(item.value.id);
    if (earlier) {
      problems.push(locatedProblem(item, ["id"], `duplicate ${what} id "${item.value.id}" (first at ${describeLocation(earlier)})`));
    } else {
      first.set(item.value.id, item);
    }
  }
}

export function loadConversations(path: string): Conversation[] {
  const problems: Problem[] = [];
  const items = readRecords(path, ConversationSchema, problems);
  checkUniqueIds(items, "conversation", problems);
  if (items.length === 0 && problems.length === 0) problems.push({ file: path, message: "the dataset holds no conversation" });
  throwIfProblems(problems);
  return items.map((item) => item.value);
}

/** Human labels (ratings and junk marks from `golden review`); each must name a conversation of the dataset. */
export function loadLabels(path: string, conversations: Conversation[]): HumanLabel[] {
  const problems: Problem[] = [];
  const items = readRecords(path, HumanLabelSchema, problems);
  const ids = new Set(conversations.map((c) => c.id));
  for (const item of items) {
    if (!ids.has(item.value.conversation_id)) problems.push(locatedProblem(item, ["conversation_id"], `no conversation "${item.value.conversation_id}" in the dataset`));
  }
  throwIfProblems(problems);
  return items.map((item) => item.value);
}

/** Golden memories, checked against the conversations they reference. */
export function loadGolden(path: string, conversations: Conversation[]): GoldenMemory[] {
  const problems: Problem[] = [];
  const items = readRecords(path, GoldenMemorySchema, problems);
  checkUniqueIds(items, "golden memory", problems);
  const turnIds = new Map(conversations.map((c) => [c.id, new Set(c.turns.map((t) => t.id))]));
  for (const item of items) {
    const turns = turnIds.get(item.value.conversation_id);
    if (!turns) {
      problems.push(locatedProblem(item, ["conversation_id"], `no conversation "${item.value.conversation_id}" in the dataset`));
      continue;
    }
    item.value.evidence.forEach((turnId, index) => {
      if (!turns.has(turnId)) {
        problems.push(
          locatedProblem(item, ["evidence", index], `no turn "${turnId}" in conversation "${item.value.conversation_id}"`),
        );
      }
    });
  }
  if (items.length === 0 && problems.length === 0) problems.push({ file: path, message: "the golden set holds no memory" });
  throwIfProblems(problems);
  return items.map((item) => item.value);
}
