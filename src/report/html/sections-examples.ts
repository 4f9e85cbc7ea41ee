import type { BenchReport, JunkExample, MissedMemory } from "../../schema/report.js";
import { truncate } from "../format.js";
import { html, type Html } from "./html.js";
import { bounded, chart, moreNote, section } from "./parts.js";

export const MAX_JUNK_PER_CATEGORY = 5;
export const MAX_MISSED = 40;
export const MAX_EVIDENCE_TURNS = 4;
export const MAX_TEXT = 400;

function junkItem(j: JunkExample): Html {
  return html`<div class="item"><div>${truncate(j.text, MAX_TEXT)}</div><div class="meta">${j.role} · <code>${j.conversation_id}</code> · ${truncate(j.reason, MAX_TEXT)}</div></div>`;
}

export function renderJunk(report: BenchReport, svg: Html | undefined): Html {
  const byCategory = new Map<string, JunkExample[]>();
  const ordered = [...report.junk_examples].sort((a, b) => (a.role === b.role ? 0 : a.role === "candidate" ? -1 : 1));
  for (const j of ordered) byCategory.set(j.category ?? "other", [...(byCategory.get(j.category ?? "other") ?? []), j]);
  const groups = [...byCategory.entries()].sort((a, b) => b[1].length - a[1].length);
  const body = html`${chart(svg, "Junk by category")}
${groups.length === 0 ? html`<p class="note">No junk found in either sample.</p>` : ""}
${groups.map(([category, items]) => html`<h3>${category.replace(/_/g, " ")} (${items.length})</h3>${bounded(items, MAX_JUNK_PER_CATEGORY, `${category.replace(/_/g, " ")} examples`, junkItem)}`)}`;
  return section("junk", "Junk examples", body);
}

function missedItem(m: MissedMemory): Html {
  const turns = m.evidence.slice(0, MAX_EVIDENCE_TURNS);
  return html`<div class="item"><div><strong>${truncate(m.text, MAX_TEXT)}</strong></div>
<div class="meta">golden <code>${m.golden_id}</code> · conversation <code>${m.conversation_id}</code> · missed by the ${m.role}${m.covered_by_other ? " (the other config covered it)" : " (and by the other config)"}</div>
${turns.map((t) => html`<blockquote><span class="who">${t.speaker} · ${t.id}</span>${truncate(t.text, MAX_TEXT)}</blockquote>`)}
${m.evidence.length > turns.length ? html`<p class="more">+${m.evidence.length - turns.length} more evidence turns</p>` : ""}</div>`;
}

/** Golden memories the candidate lost first (the baseline had them), then those both configs missed. */
export function renderMissed(report: BenchReport): Html {
  const lost = report.missed.filter((m) => m.role === "candidate" && m.covered_by_other);
  const both = report.missed.filter((m) => m.role === "candidate" && !m.covered_by_other);
  const gained = report.missed.filter((m) => m.role === "baseline" && m.covered_by_other);
  const body = html`<p class="note">${lost.length} lost by the candidate (the baseline covered them), ${gained.length} gained (only the candidate covers them), ${both.length} missed by both.</p>
<h3>Lost by the candidate (${lost.length})</h3>${lost.length === 0 ? html`<p class="note">none</p>` : bounded(lost, MAX_MISSED, "lost memories", missedItem)}
<details><summary>Gained: only the candidate covers them (${gained.length})</summary>${bounded(gained, MAX_MISSED, "gained memories", missedItem)}</details>
<details><summary>Missed by both configs (${both.length})</summary>${bounded(both, MAX_MISSED, "memories missed by both", missedItem)}</details>`;
  return section("missed", "Missed golden memories", body);
}

export function renderErrors(report: BenchReport): Html {
  if (report.errors.length === 0) return html``;
  const body = html`<ul>${report.errors.slice(0, 30).map((e) => html`<li>${e.role} · <code>${e.conversation_id}</code> · ${e.stage} · ${e.kind}: ${truncate(e.message, MAX_TEXT)}</li>`)}</ul>${moreNote(report.errors.length - 30, "errors")}`;
  return section("errors", `Failed units (${report.errors.length})`, body);
}
