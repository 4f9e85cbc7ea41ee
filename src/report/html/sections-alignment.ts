import { FIELD_NAMES, MATCH_MODES } from "../../schema/constants.js";
import type { BenchReport } from "../../schema/report.js";
import { formatCount, formatNumber, formatRate, formatSignedNumber } from "../../text/format-number.js";
import { truncate } from "../format.js";
import { entityResolutionText, unmeasuredFields } from "../measured-text.js";
import { html, type Html } from "./html.js";
import { section, table } from "./parts.js";

/** Field-level agreement with the golden set: F1 per field and match mode, baseline → candidate. */
export function renderFields(report: BenchReport): Html {
  const f = report.fields;
  const missing = unmeasuredFields(report);
  const cell = (field: (typeof FIELD_NAMES)[number], mode: (typeof MATCH_MODES)[number]) => {
    if (missing?.fields.includes(field)) return html`<span class="nm">not measured</span>`;
    const delta = f.delta[field][mode];
    return html`${formatNumber(f.baseline.fields[field][mode].f1, 2)} → ${formatNumber(f.candidate.fields[field][mode].f1, 2)} <span class="${delta !== null && delta < -0.005 ? "worse" : delta !== null && delta > 0.005 ? "better" : ""}">(${formatSignedNumber(delta, 2)})</span>`;
  };
  const body = html`${table<(typeof FIELD_NAMES)[number]>(
    [
      { header: "field", cell: (field) => field },
      ...MATCH_MODES.map((mode) => ({
        header: `${mode} F1`,
        cell: (field: (typeof FIELD_NAMES)[number]) => cell(field, mode),
        numeric: true,
      })),
    ],
    FIELD_NAMES,
  )}<p class="note">Optimal one-to-one alignment of candidates to golden memories per conversation: ${f.baseline.aligned} baseline and ${f.candidate.aligned} candidate pairs (of ${f.baseline.golden} golden memories). Strict: identical; exact: equal after normalization; partial: overlapping tokens.</p>
${missing ? html`<p class="note">Not measured: ${missing.fields.join(", ")} (${missing.reason}).</p>` : ""}`;
  return section("fields", "Field-level agreement with the golden set", body);
}

/** Entity resolution per config: mentions, fallbacks, the fail rate and the unresolved strings seen most. */
export function renderEntities(report: BenchReport): Html {
  const e = report.entities;
  if (e.not_measured)
    return section(
      "entities",
      "Entity resolution",
      html`<p class="note"><strong>Not measured</strong>: ${e.not_measured}.</p>`,
    );
  const rows = (["baseline", "candidate"] as const).map((role) => ({ role, ...e[role] }));
  const body = html`${table<(typeof rows)[number]>(
    [
      { header: "", cell: (r) => r.role },
      { header: "mentions", cell: (r) => formatCount(r.mentions), numeric: true },
      { header: "unresolved (fallback)", cell: (r) => formatCount(r.fallback), numeric: true },
      { header: "fail rate", cell: (r) => formatRate(r.fail_rate), numeric: true },
      {
        header: "most frequent unresolved",
        cell: (r) =>
          r.top_unresolved.length === 0
            ? "none"
            : r.top_unresolved
                .slice(0, 8)
                .map((u, i) => html`${i > 0 ? ", " : ""}<code>${truncate(u.mention, 80)}</code> ${u.count}`),
      },
    ],
    rows,
  )}<p class="note">Change: ${entityResolutionText(report)}. Fail rate = mentions that reached the UUID v5 fallback / all mentions, repeats included. Pairs whose subjects resolve to different entities: ${report.pairing.subject_entity_changed} of ${report.pairing.pairs}${report.pairing.subject_examples.length > 0 ? "; for example " : "."}${report.pairing.subject_examples.slice(0, 5).map((s, i) => html`${i > 0 ? ", " : ""}<code>${s.from}</code> → <code>${s.to}</code>`)}</p>`;
  return section("entities", "Entity resolution", body);
}
