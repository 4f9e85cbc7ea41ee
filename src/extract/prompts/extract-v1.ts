import type { Conversation, Turn } from "../../schema/conversation.js";

/** Name and version of this template; part of every cache key, so editing the text means bumping it. */
export const EXTRACT_TEMPLATE = "extract@1";

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
    ...section("type_rules", sections.type_rules),
    ...section("quality_rules", sections.quality_rules),
    ...section("custom_rules", sections.custom_instructions),
    CONTRACT,
  ].join("\n");
}

/** One turn as the model sees it, numbered by its id so it can cite it as evidence. */
export function formatTurn(turn: Turn): string {
  return `[turn ${turn.id}] ${turn.speaker}${turn.role ? ` (${turn.role})` : ""}: ${turn.text}`;
}

/** The user message for one window of a conversation. */
export function extractUserPrompt(conversation: Conversation, turns: Turn[], window: { index: number; count: number }): string {
  const part = window.count > 1 ? ` (part ${window.index + 1} of ${window.count})` : "";
  return [`Conversation ${conversation.id}${part}:`, ...turns.map(formatTurn), "", "Extract the memories as JSON."].join("\n");
}
