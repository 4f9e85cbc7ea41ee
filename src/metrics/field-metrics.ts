import type { FieldAlignment } from "../schema/report.js";
import { FIELD_NAMES, MATCH_MODES } from "../schema/constants.js";
import { compareFieldScores, scoreFieldCounts } from "./field-alignment.js";
import type { SideTotals } from "./run-data.js";

/** Fields no golden memory states cannot be scored: their scores become null, with the reason. */
function withUnmeasuredFields(fields: FieldAlignment, stated: SideTotals["fields"]["stated"]): FieldAlignment {
  const unmeasured = FIELD_NAMES.filter((field) => stated[field] === 0);
  if (unmeasured.length === 0) return fields;
  const clear = (side: FieldAlignment["baseline"]) => {
    for (const field of unmeasured)
      for (const mode of MATCH_MODES)
        side.fields[field][mode] = { ...side.fields[field][mode], precision: null, recall: null, f1: null };
  };
  clear(fields.baseline);
  clear(fields.candidate);
  for (const field of unmeasured) for (const mode of MATCH_MODES) fields.delta[field][mode] = null;
  const reason =
    stated.subject + stated.predicate + stated.object + stated.type === 0
      ? "the golden memories carry text only, no fields"
      : "no golden memory states it";
  return { ...fields, not_measured: unmeasured.map((field) => ({ field, reason })) };
}

/** Field-level agreement of both configs with the golden set, fields no golden memory states left unscored. */
export function measureFields(a: SideTotals, b: SideTotals): FieldAlignment {
  return withUnmeasuredFields(
    compareFieldScores(scoreFieldCounts(a.fields, a.candidates), scoreFieldCounts(b.fields, b.candidates)),
    a.fields.stated,
  );
}
