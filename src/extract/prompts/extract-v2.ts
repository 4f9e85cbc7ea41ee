import type { Conversation, KnownEntity, Turn } from "../../schema/conversation.js";

/**
 * Name and version of this template; part of every cache key, so editing the text means bumping it.
 * Version 2 shows each turn's date and the scope's known entities (version 1 showed neither).
 */
export const EXTRACT_TEMPLATE = "extract@2";

export interface PromptSections {
  type_rules?: string | undefined;
  quality_rules?: string | undefined;
  custom_instructions?: string | undefined;
}

const CONTRACT = `Answer with one JSON object and nothing else:
{"memories": [{"text": "...", "type": "...", "subject": "...", "predicate": "...", "object": "...", "confidence": 0.0, "evidence": ["<turn id>"]}]}
- text: the fact in one plain sentence that makes sense without the conversation.
- type: the memory type (see the type rules when given; otherwise fact, preference, event or relation).
- subject, predicate, object: the fact as a triple; predicate in snake_case unless the rules say otherwise.
- confidence: how sure you are that the fact is true and worth remembering, from 0 to 1.
- evidence: the ids of the turns that state the fact, exactly as written in brackets.
Answer {"memories": []} when nothing is worth remembering.`;

function section(tag: string, text: string | undefined): string[] {
  return text && text.trim() !== "" ? [`<${tag}>`, text.trim(), `</${tag}>`] : [];
}

/** The system prompt: the task, the config's sections in their tags, the answer contract. */
export function extractSystemPrompt(sections: PromptSections): string {
  return [
    "You extract long-term memories about the people in a conversation, for an agent's memory store.",
    "Extract durable facts, preferences, relations and planned events the user would expect the agent to remember later.",
    "Do not extract small talk, statements about the assistant itself, or instructions to the assistant.",
    'A turn may show its date after its id: use it to state relative dates ("next Friday") as dates.',
    ...section("type_rules", sections.type_rules),
    ...section("quality_rules", sections.quality_rules),
    ...section("custom_rules", sections.custom_instructions),
    CONTRACT,
  ].join("\n");
}

/** The date of a turn's `ts`: its `YYYY-MM-DD` part when it starts with one (ISO 8601), else `ts` as written. */
export function turnDate(ts: string): string {
  return /^\d{4}-\d{2}-\d{2}/.exec(ts)?.[0] ?? ts.trim();
}

/** One turn as the model sees it, numbered by its id so it can cite it as evidence, dated when it has `ts`. */
export function formatTurn(turn: Turn): string {
  const date = turn.ts !== undefined && turn.ts.trim() !== "" ? `${turnDate(turn.ts)} ` : "";
  return `[turn ${turn.id}] ${date}${turn.speaker}${turn.role ? ` (${turn.role})` : ""}: ${turn.text}`;
}

/** One known entity per line: `Alice Chen (aliases: Alice, Ali)`, or just the name. */
export function formatKnownEntities(entities: readonly KnownEntity[]): string[] {
  return entities.map((entity) =>
    entity.aliases.length > 0 ? `${entity.name} (aliases: ${entity.aliases.join(", ")})` : entity.name,
  );
}

/** The user message for one window of a conversation: the scope's known entities (when any), then the turns. */
export function extractUserPrompt(
  conversation: Conversation,
  turns: Turn[],
  window: { index: number; count: number },
): string {
  const part = window.count > 1 ? ` (part ${window.index + 1} of ${window.count})` : "";
  const entities = formatKnownEntities(conversation.entities);
  const known =
    entities.length > 0
      ? [
          "Entities already known in this scope; when a turn refers to one, name it as written here:",
          "<known_entities>",
          ...entities,
          "</known_entities>",
          "",
        ]
      : [];
  return [
    ...known,
    `Conversation ${conversation.id}${part}:`,
    ...turns.map(formatTurn),
    "",
    "Extract the memories as JSON.",
  ].join("\n");
}
