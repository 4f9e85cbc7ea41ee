import type { Vocabulary } from "../schema/report.js";
import { HIGH_CONFIDENCE } from "./confidence.js";
import { JACCARD_MINIMAL_DRIFT, JACCARD_SIGNIFICANT_BREAK } from "./vocabulary.js";

/**
 * Every band and threshold label a report prints ("≥ 0.7", "0.5–0.8"), written from the named
 * constant it stands for, so a changed constant changes every label with it.
 */

/** "≥ 0.7". */
export const atLeastLabel = (bound: number) => `≥ ${bound}`;
/** "< 0.5". */
export const belowLabel = (bound: number) => `< ${bound}`;
/** "0.5–0.8": from the lower bound (included) to the upper (excluded). */
export const rangeLabel = (from: number, to: number) => `${from}–${to}`;

/** The confidences the metrics call high: "≥ 0.7". */
export const HIGH_CONFIDENCE_BAND = atLeastLabel(HIGH_CONFIDENCE);

type JaccardBand = NonNullable<Vocabulary["band"]>;

/** The predicate Jaccard's bands as every report, flag and rule names them (see jaccardBand). */
const JACCARD_BAND_LABEL: Record<JaccardBand, string> = {
  minimal: "minimal drift",
  noticeable: "noticeable drift",
  significant: "significant break",
};

/** Where each band lies, from the constants jaccardBand reads. */
const JACCARD_BAND_RANGE: Record<JaccardBand, string> = {
  minimal: atLeastLabel(JACCARD_MINIMAL_DRIFT),
  noticeable: rangeLabel(JACCARD_SIGNIFICANT_BREAK, JACCARD_MINIMAL_DRIFT),
  significant: belowLabel(JACCARD_SIGNIFICANT_BREAK),
};

/** A band's name, or "n/a" when neither config produced a predicate. */
export function jaccardBandLabel(band: Vocabulary["band"]): string {
  return band === null ? "n/a" : JACCARD_BAND_LABEL[band];
}

/** Where a band lies: "0.5–0.8". */
export function jaccardBandRange(band: JaccardBand): string {
  return JACCARD_BAND_RANGE[band];
}

/** Every band with its range: "≥ 0.8 minimal drift, 0.5–0.8 noticeable drift, < 0.5 significant break". */
export function jaccardBandScale(): string {
  return (Object.keys(JACCARD_BAND_LABEL) as JaccardBand[])
    .map((band) => `${JACCARD_BAND_RANGE[band]} ${JACCARD_BAND_LABEL[band]}`)
    .join(", ");
}
