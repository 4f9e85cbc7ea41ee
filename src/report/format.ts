/** Text helpers shared by the text renderers; numbers are formatted by `text/format-number.ts`. */

/** Escape text for a Markdown table cell or line: markup renders as text, pipes do not split cells. */
export function escapeMarkdown(text: string): string {
  return text
    .replace(/\r?\n/g, " ")
    .replace(/&/g, "&amp;")
    .replace(/[\\`*_[\]<>|~]/g, (c) => `\\${c}`);
}

export function truncate(text: string, max: number): string {
  return text.length <= max ? text : `${text.slice(0, max - 1)}…`;
}
