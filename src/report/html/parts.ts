import { formatCount } from "../../text/format-number.js";
import { firstOf } from "../format.js";
import { html, type Html, type HtmlValue } from "./html.js";

/** Small building blocks shared by the report's sections. */

export function section(id: string, title: string, body: HtmlValue): Html {
  return html`<section id="${id}"><h2>${title}</h2>${body}</section>`;
}

export interface Column<T> {
  header: string;
  cell: (row: T) => HtmlValue;
  numeric?: boolean;
}

export function table<T>(columns: Column<T>[], rows: readonly T[], rowClass?: (row: T) => string): Html {
  return html`<div class="table-scroll"><table><thead><tr>${columns.map((c) => html`<th class="${c.numeric ? "num" : ""}">${c.header}</th>`)}</tr></thead><tbody>${rows.map(
    (row) =>
      html`<tr class="${rowClass?.(row) ?? ""}">${columns.map((c) => html`<td class="${c.numeric ? "num" : ""}">${c.cell(row)}</td>`)}</tr>`,
  )}</tbody></table></div>`;
}

/** "… 12 more in report.json" under a truncated list, nothing when the list was whole. */
export function moreNote(more: number, what: string): Html {
  return more > 0 ? html`<p class="more">… and ${formatCount(more)} more ${what} in report.json</p>` : html``;
}

/** At most `max` items rendered, then the count of those left out. */
export function bounded<T>(items: readonly T[], max: number, what: string, render: (item: T) => HtmlValue): Html {
  const { shown, more } = firstOf(items, max);
  return html`${shown.map(render)}${moreNote(more, what)}`;
}

export function chips(values: readonly string[], max: number, kind = ""): Html {
  if (values.length === 0) return html`<p class="note">none</p>`;
  const { shown, more } = firstOf(values, max);
  return html`<div class="chips">${shown.map((v) => html`<span class="chip ${kind}">${v}</span>`)}${more > 0 ? html`<span class="more">+${more} more</span>` : ""}</div>`;
}

export function chart(svg: Html | undefined, caption: string): Html {
  return svg ? html`<figure class="chart" aria-label="${caption}" style="margin:0">${svg}</figure>` : html``;
}
