import { oneLine } from "./control.js";

/**
 * Escaping for GitHub-flavoured Markdown posted as a PR comment. Data renders as the text it is: no
 * markup, table cells that stay cells, no headings, fences or links, no `@mentions` that ping people,
 * no control characters.
 */

/** Markdown the renderer built itself; `md` passes it through unescaped. */
export class Markdown {
  constructor(readonly text: string) {}
  toString(): string {
    return this.text;
  }
}

const ZERO_WIDTH_SPACE = "&#8203;";

function flat(value: unknown): string {
  return oneLine(String(value).replace(/\r\n|\n|\r/g, " "));
}

/** Mentions, bare URLs and issue references that GitHub would turn into pings or links. */
function neutraliseAutolinks(text: string): string {
  return (
    text
      // Issue references first: the zero-width space inserted below is itself written "&#8203;".
      .replace(/#(?=\d)/g, `#${ZERO_WIDTH_SPACE}`)
      .replace(/@(?=[A-Za-z0-9])/g, `@${ZERO_WIDTH_SPACE}`)
      .replace(/:\/\//g, `:${ZERO_WIDTH_SPACE}//`)
      .replace(/\b(www)\./gi, `$1${ZERO_WIDTH_SPACE}.`)
  );
}

/** A value as Markdown text on one line (also safe inside a table cell). */
export function escapeMarkdown(value: unknown): string {
  const text = flat(value)
    .replace(/&/g, "&amp;")
    .replace(/</g, "&lt;")
    .replace(/>/g, "&gt;")
    .replace(/[\\`*_[\]|~]/g, (c) => `\\${c}`)
    // What only means something at the start of a line: headings, lists, quotes, setext underlines.
    .replace(/^(\s*)([#+=-])/, "$1\\$2")
    .replace(/^(\s*\d+)([.)])(?=\s|$)/, "$1\\$2");
  return neutraliseAutolinks(text);
}

/** A value as an inline code span: shown verbatim, on one line, never closing its span or a table cell. */
export function markdownCode(value: unknown): Markdown {
  return new Markdown(`\`${flat(value).replace(/`/g, "'").replace(/\|/g, "\\|")}\``);
}

/** Markdown in which every interpolated value is escaped text, unless the renderer built it (`Markdown`). */
export function md(strings: TemplateStringsArray, ...values: unknown[]): string {
  return strings.reduce((out, part, i) => {
    if (i >= values.length) return out + part;
    const value = values[i];
    return out + part + (value instanceof Markdown ? value.text : escapeMarkdown(value));
  }, "");
}

/** A fenced code block that its content cannot close: the fence is longer than any backtick run inside. */
export function markdownFence(text: string, language = ""): Markdown {
  const body = text
    .split("\n")
    .map((line) => oneLine(line))
    .join("\n")
    .trimEnd();
  const longest = Math.max(2, ...[...body.matchAll(/`+/g)].map((m) => m[0].length));
  const fence = "`".repeat(longest + 1);
  return new Markdown(`${fence}${language}\n${body}\n${fence}`);
}

/** A table whose cells are already Markdown (built with `md` or `markdownCode`). */
export function markdownTable(header: string[], rows: string[][]): string[] {
  return [
    `| ${header.join(" | ")} |`,
    `|${header.map(() => " --- ").join("|")}|`,
    ...rows.map((r) => `| ${r.join(" | ")} |`),
  ];
}
