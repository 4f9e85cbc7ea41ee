/**
 * The bench's template moved to version 2 (`extract-v2.ts`: turn dates and known entities). This
 * module only keeps the old import path compiling until the extractor loads its prompt through
 * `loadExtractPrompt` (`custom-template.ts`); delete it then.
 */
export {
  EXTRACT_TEMPLATE,
  extractSystemPrompt,
  extractUserPrompt,
  formatTurn,
  type PromptSections,
} from "./extract-v2.js";
