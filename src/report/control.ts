/**
 * Control characters in data (ANSI escapes, lone CR, bidirectional overrides) made visible instead of
 * acted upon. Shared by the terminal, Markdown and XML escapers: each medium decides about newlines.
 */

// C0 controls except newline, DEL, C1 controls, and the bidi embedding/override/isolate marks.
const CONTROL = /[\u0000-\u0009\u000b-\u001f\u007f-\u009f\u202a-\u202e\u2066-\u2069]/g;

/** A control character as its Unicode control picture (ESC → ␛), or its code point in brackets. */
function picture(char: string): string {
  const code = char.charCodeAt(0);
  if (code < 0x20) return String.fromCharCode(0x2400 + code);
  if (code === 0x7f) return "\u2421";
  return `<U+${code.toString(16).toUpperCase().padStart(4, "0")}>`;
}

/** Every control character except newline shown as a visible picture; CRLF first becomes a plain newline. */
export function showControls(text: string): string {
  return text.replace(/\r\n/g, "\n").replace(CONTROL, picture);
}

/** One line: control characters shown, and newlines as the ␤ picture so data cannot start a new line. */
export function oneLine(text: string): string {
  return showControls(text).replace(/\n/g, "\u2424");
}
