import type { Vocabulary } from "../schema/report.js";

/** The predicate Jaccard's bands as every report, flag and rule names them (see jaccardBand). */
const JACCARD_BAND_LABEL: Record<NonNullable<Vocabulary["band"]>, string> = {
  minimal: "minimal drift",
  noticeable: "noticeable drift",
  significant: "significant break",
};

/** A band's name, or "n/a" when neither config produced a predicate. */
export function jaccardBandLabel(band: Vocabulary["band"]): string {
  return band === null ? "n/a" : JACCARD_BAND_LABEL[band];
}
