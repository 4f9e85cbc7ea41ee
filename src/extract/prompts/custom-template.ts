import { createHash } from "node:crypto";
import { readFileSync } from "node:fs";
import { dirname, resolve } from "node:path";
import { formatProblem, InputError, throwIfProblems, type Problem } from "../../errors.js";
import { lineColumnAt } from "../../load/line-column.js";
import { formatPath, locatePath } from "../../load/locate.js";
import { readText } from "../../load/read-text.js";
import { closestField } from "../../load/validate-record.js";
import { estimateTokens } from "../../providers/limiter.js";
import type { Conversation, Turn } from "../../schema/conversation.js";
import type { LlmExtractor } from "../../schema/extractor-config.js";
import { mapAnswer } from "../answer-mapping.js";
import {
  EXTRACT_TEMPLATE,
  extractSystemPrompt,
  extractUserPrompt,
  formatKnownEntities,
  formatTurn,
  turnDate,
} from "./extract-v2.js";

/**
 * What a team's template may use, `{{name}}`, filled per model call (one call per window of turns).
 * docs/custom-prompts.md documents the same list; a test keeps the two in step.
 */
export const PLACEHOLDERS = {
  conversation_id: "the conversation's id",
  scope: "the conversation's scope namespace, e.g. `user:alice`",
  turns:
    "the window's turns, one per line: `[turn <id>] <date> <speaker> (<role>): <text>` (date and role when known); required in the user template",
  window: "`part 2 of 3` when the conversation is split into windows, empty for one window",
  known_entities: "the conversation's known entities, one per line `name (aliases: a, b)`, or `none`",
  first_date: "the date (`YYYY-MM-DD`) of the window's first turn that has `ts`; empty when none has",
  last_date: "the date of the window's last turn that has `ts`; empty when none has",
  type_rules: "the config's `type_rules`, empty when unset",
  quality_rules: "the config's `quality_rules`, empty when unset",
  custom_instructions: "the config's `custom_instructions`, empty when unset",
  schema_version: "the config's `schema_version`",
} as const;

export type Placeholder = keyof typeof PLACEHOLDERS;

const NAMES = Object.keys(PLACEHOLDERS) as Placeholder[];
const ALLOWED = NAMES.map((name) => `{{${name}}}`).join(", ");

export interface PromptContext {
  conversation: Conversation;
  /** The window's turns, after the pre-filter. */
  turns: Turn[];
  /** 0-based index of the window and the number of windows of the conversation. */
  window: { index: number; count: number };
}

/** The prompt of a model extractor: the bench's own template, or a team's files. */
export interface ExtractPrompt {
  /** Name and version for the cache key: `extract@2` for the bench's template, `custom@<12 hex of sha256 of both files' text>` for a team's. */
  template: string;
  system(context: PromptContext): string;
  user(context: PromptContext): string;
  /** One turn as `{{turns}}` shows it, for sizing windows. */
  formatTurn(turn: Turn): string;
  /** Estimated tokens the system prompt and the user message take besides the turns, for sizing windows. */
  overheadTokens(conversation: Conversation): number;
  /** Maps a team's parsed answer to the bench's `{memories: [...]}` shape (throws AnswerShapeError); undefined for the bench's own contract. */
  mapAnswer?: (value: unknown) => unknown;
}

type Segment = string | { placeholder: Placeholder };

export interface ParsedTemplate {
  segments: Segment[];
  placeholders: ReadonlySet<Placeholder>;
}

/**
 * Split a template into text and placeholders. `{{` always opens a placeholder, closed by `}}` on
 * the same line; spaces inside (`{{ turns }}`) are allowed. Problems carry the file, line and column.
 */
export function parseTemplate(text: string, file: string, problems: Problem[]): ParsedTemplate {
  const segments: Segment[] = [];
  const placeholders = new Set<Placeholder>();
  let at = 0;
  for (let open = text.indexOf("{{"); open >= 0; open = text.indexOf("{{", at)) {
    segments.push(text.slice(at, open));
    const lineEnd = text.indexOf("\n", open);
    const close = text.indexOf("}}", open + 2);
    const where = { file, ...lineColumnAt(text, open) };
    if (close < 0 || (lineEnd >= 0 && close > lineEnd)) {
      problems.push({
        ...where,
        message: `"{{" is not closed on its line; a placeholder is written {{name}}, one of: ${ALLOWED}`,
      });
      at = open + 2;
      continue;
    }
    const name = text.slice(open + 2, close).trim();
    if (Object.hasOwn(PLACEHOLDERS, name)) {
      segments.push({ placeholder: name as Placeholder });
      placeholders.add(name as Placeholder);
    } else {
      const suggestion = closestField(name, NAMES);
      const hint = suggestion ? `did you mean {{${suggestion}}}? ` : "";
      problems.push({ ...where, message: `unknown placeholder {{${name}}}; ${hint}placeholders: ${ALLOWED}` });
    }
    at = close + 2;
  }
  segments.push(text.slice(at));
  return { segments: segments.filter((s) => s !== ""), placeholders };
}

/** Each placeholder's value for one model call. */
export function placeholderValues(
  extractor: LlmExtractor,
  { conversation, turns, window }: PromptContext,
): Record<Placeholder, string> {
  const dates = turns.flatMap((turn) => (turn.ts !== undefined && turn.ts.trim() !== "" ? [turnDate(turn.ts)] : []));
  const entities = formatKnownEntities(conversation.entities);
  return {
    conversation_id: conversation.id,
    scope: conversation.scope.namespace,
    turns: turns.map(formatTurn).join("\n"),
    window: window.count > 1 ? `part ${window.index + 1} of ${window.count}` : "",
    known_entities: entities.length > 0 ? entities.join("\n") : "none",
    first_date: dates[0] ?? "",
    last_date: dates.at(-1) ?? "",
    type_rules: extractor.type_rules?.trim() ?? "",
    quality_rules: extractor.quality_rules?.trim() ?? "",
    custom_instructions: extractor.custom_instructions?.trim() ?? "",
    schema_version: String(extractor.schema_version),
  };
}

export function renderTemplate(template: ParsedTemplate, values: Record<Placeholder, string>): string {
  // Values are never scanned again: a turn that contains "{{scope}}" stays as written.
  return template.segments
    .map((segment) => (typeof segment === "string" ? segment : values[segment.placeholder]))
    .join("");
}

/** Room for what an estimate from empty turns misses: the window's dates and a longer "part 10 of 12". */
const OVERHEAD_MARGIN_TOKENS = 16;

function estimateOverhead(prompt: Pick<ExtractPrompt, "system" | "user">, conversation: Conversation): number {
  const context: PromptContext = { conversation, turns: [], window: { index: 0, count: 2 } };
  return estimateTokens(prompt.system(context)) + estimateTokens(prompt.user(context)) + OVERHEAD_MARGIN_TOKENS;
}

/** The bench's own template (extract@2): the config's sections, the `{"memories": [...]}` contract. */
export function benchPrompt(extractor: LlmExtractor): ExtractPrompt {
  const system = extractSystemPrompt(extractor);
  const prompt = {
    template: EXTRACT_TEMPLATE,
    system: () => system,
    user: ({ conversation, turns, window }: PromptContext) => extractUserPrompt(conversation, turns, window),
    formatTurn,
  };
  return { ...prompt, overheadTokens: (conversation) => estimateOverhead(prompt, conversation) };
}

/** A problem with the config file itself, at the line of `path` when the file can be read again. */
function configProblem(configPath: string, path: PropertyKey[], message: string): Problem {
  let line: number | undefined;
  try {
    line = locatePath(readFileSync(configPath, "utf8"), path);
  } catch {
    // the line is a courtesy; the path names the field anyway
  }
  return { file: configPath, ...(line === undefined ? {} : { line }), path: formatPath(path), message };
}

const SECTIONS = ["type_rules", "quality_rules", "custom_instructions"] as const;

/**
 * The prompt of a model extractor, read once: the bench's template, or the team's files of
 * `prompt: {system, user}` (relative to the config file) with the `answer` mapping. A file that
 * cannot be read, a bad placeholder, a user template without `{{turns}}`, a config section no
 * template shows, or `answer` without `prompt` is an InputError (exit 2) before any model call.
 */
export async function loadExtractPrompt(extractor: LlmExtractor, configPath: string): Promise<ExtractPrompt> {
  const files = extractor.prompt;
  if (!files) {
    if (extractor.answer) {
      throw new InputError([
        configProblem(
          configPath,
          ["extractor", "answer"],
          "an answer mapping needs the team's own prompt (`prompt: {system, user}`): the bench's template asks for {\"memories\": [...]}",
        ),
      ]);
    }
    return benchPrompt(extractor);
  }
  const problems: Problem[] = [];
  const read = (side: "system" | "user"): { text: string; template: ParsedTemplate } | undefined => {
    const name = files[side];
    if (name === undefined) return undefined;
    const file = resolve(dirname(configPath), name);
    let text: string;
    try {
      text = readText(file);
    } catch (error) {
      if (!(error instanceof InputError)) throw error;
      problems.push(
        ...error.problems.map((p) => configProblem(configPath, ["extractor", "prompt", side], formatProblem(p))),
      );
      return undefined;
    }
    const template = parseTemplate(text, file, problems);
    if (side === "user" && !template.placeholders.has("turns") && !problems.some((p) => p.file === file)) {
      problems.push({
        file,
        message: "the user template has no {{turns}}: the conversation would never reach the model",
      });
    }
    return { text, template };
  };
  const system = read("system");
  const user = read("user");
  throwIfProblems(problems);

  const bench = benchPrompt(extractor);
  if (system) {
    for (const section of SECTIONS) {
      const used = system.template.placeholders.has(section) || user?.template.placeholders.has(section);
      if (extractor[section]?.trim() && !used) {
        problems.push(
          configProblem(
            configPath,
            ["extractor", section],
            `set, but no prompt template has {{${section}}}: add it to ${files.system} or remove the setting`,
          ),
        );
      }
    }
    throwIfProblems(problems);
  }

  // A side left to the bench is hashed by its template name, so a new bench version changes the key too.
  const hash = createHash("sha256")
    .update(`${system?.text ?? EXTRACT_TEMPLATE}\u0000${user?.text ?? EXTRACT_TEMPLATE}`)
    .digest("hex")
    .slice(0, 12);
  const render =
    (side: { template: ParsedTemplate } | undefined, fallback: (context: PromptContext) => string) =>
    (context: PromptContext) =>
      side ? renderTemplate(side.template, placeholderValues(extractor, context)) : fallback(context);
  const prompt = {
    template: `custom@${hash}`,
    system: render(system, bench.system),
    user: render(user, bench.user),
    formatTurn,
  };
  const mapping = extractor.answer;
  return {
    ...prompt,
    overheadTokens: (conversation) => estimateOverhead(prompt, conversation),
    ...(mapping ? { mapAnswer: (value: unknown) => mapAnswer(value, mapping) } : {}),
  };
}
