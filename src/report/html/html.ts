/**
 * An `html` tagged template that escapes every interpolated value by default. Only markup built by
 * the template itself (or wrapped in `trusted`, for the bench's own CSS, script and vega's SVG)
 * passes through unescaped.
 */
import { showControls } from "../control.js";

export class Html {
  constructor(readonly markup: string) {}
  toString(): string {
    return this.markup;
  }
}

export type HtmlValue = Html | string | number | boolean | null | undefined | readonly HtmlValue[];

const ENTITIES: Record<string, string> = {
  "&": "&amp;",
  "<": "&lt;",
  ">": "&gt;",
  '"': "&quot;",
  "'": "&#39;",
  "`": "&#96;",
};

/** Text as HTML text or a quoted attribute value: markup characters become entities, control characters visible pictures. */
export function escapeHtml(text: string): string {
  return showControls(text).replace(/[&<>"'`]/g, (c) => ENTITIES[c]!);
}

function render(value: HtmlValue): string {
  if (value instanceof Html) return value.markup;
  if (Array.isArray(value)) return value.map(render).join("");
  if (value === null || value === undefined || value === false) return "";
  return escapeHtml(String(value));
}

export function html(strings: TemplateStringsArray, ...values: HtmlValue[]): Html {
  let out = strings[0]!;
  for (let i = 0; i < values.length; i++) out += render(values[i]!) + strings[i + 1]!;
  return new Html(out);
}

/** Markup the bench itself produced (its stylesheet, its script, vega's SVG). Never data. */
export function trusted(markup: string): Html {
  return new Html(markup);
}
