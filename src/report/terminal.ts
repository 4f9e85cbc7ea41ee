import { oneLine } from "./control.js";

/**
 * Text for the terminal: every interpolated value is one line with its control characters shown, so
 * a config name holding an escape sequence or a newline cannot rewrite what the bench prints.
 */
export function terminal(strings: TemplateStringsArray, ...values: unknown[]): string {
  return strings.reduce((out, part, i) => out + part + (i < values.length ? escapeTerminal(values[i]) : ""), "");
}

/** One value for the terminal: a single line, control characters shown as pictures. */
export function escapeTerminal(value: unknown): string {
  return oneLine(String(value));
}

/** A message of several lines (an error listing problems): newlines kept, other controls shown. */
export function escapeTerminalLines(text: string): string {
  return text
    .split(/\r\n|\n/)
    .map(oneLine)
    .join("\n");
}
