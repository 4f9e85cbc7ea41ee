import { z } from "zod";

/** A percentage written as text where a fraction is meant (`5%`): the fraction to write instead; undefined otherwise. */
function percentTextHint(input: unknown): string | undefined {
  const match = typeof input === "string" ? /^\s*(\d+(?:\.\d+)?)\s*%\s*$/.exec(input) : null;
  return match ? `expected a fraction in [0, 1] (write ${Number(match[1]) / 100} for ${match[1]}%)` : undefined;
}

/**
 * A rate threshold: a fraction in [0, 1]. A value above 1 is almost always a percentage typed as a
 * number (5 for 5%), and `5%` one typed as text, so the message shows the fraction meant.
 */
function fraction(defaultValue: number, description: string) {
  return z
    .number({ error: (issue) => percentTextHint(issue.input) })
    .min(0, { error: "expected a fraction in [0, 1]" })
    .max(1, {
      error: (issue) =>
        `expected a fraction in [0, 1] (write ${Number(issue.input) / 100} for ${String(issue.input)} percentage points)`,
    })
    .default(defaultValue)
    .describe(`${description} A fraction in [0, 1]. Default ${defaultValue}.`);
}

/**
 * Every rate threshold is a fraction; the gate prints differences of rates in percentage points.
 * A check that compares the two configs passes when its 95% paired interval rules out a change beyond
 * its limit, fails when the interval lies wholly beyond it, and is inconclusive when it straddles it.
 */
export const ThresholdsSchema = z
  .object({
    max_precision_drop: fraction(
      0.05,
      "Fail when the 95% paired interval of the precision drop lies wholly above this (0.05 = 5 percentage points); pass when it lies wholly at or below it.",
    ),
    max_recall_drop: fraction(
      0,
      "Fail when the 95% paired interval of the recall drop lies wholly above this (at 0: the drop's interval excludes 0); pass when it lies wholly at or below it.",
    ),
    max_junk_increase: fraction(
      0.05,
      "Fail when the 95% paired interval of the junk rate's rise lies wholly above this; pass when it lies wholly at or below it.",
    ),
    max_json_fail_rate: fraction(
      0.02,
      "Fail when the candidate's JSON fail rate (failed extract calls / attempted calls) is above this.",
    ),
    max_extraction_count_change: z
      .number()
      .min(0)
      .max(100)
      .default(0.4)
      .describe(
        "Fail when the 95% paired interval of the relative change of extractions per turn lies wholly beyond this, either way (0.4 = ±40%); pass when it lies wholly within it. Default 0.4.",
      ),
    max_entity_resolution_fail_increase: fraction(
      0.01,
      "Fail when the 95% paired interval of the rise of the entity-resolution fail rate (candidate − baseline) lies wholly above this; pass when it lies wholly at or below it.",
    ),
    max_failed_unit_rate: fraction(0.02, "Fail when either config's share of failed dry runs is above this."),
    max_coexist_retrieval_loss: z
      .number({ error: (issue) => percentTextHint(issue.input) })
      .min(0, { error: "expected a fraction in [0, 1]" })
      .max(1, {
        error: (issue) =>
          `expected a fraction in [0, 1] (write ${Number(issue.input) / 100} for ${String(issue.input)} percentage points)`,
      })
      .optional()
      .describe(
        "Opt-in: fail when the 95% interval of `coexist`'s drop in answerable share, against the better of the two pure stores (baseline, re-extraction), lies wholly above this; pass when it lies wholly at or below it. A fraction in [0, 1]. Default: unset, the check is not run.",
      ),
    on_unmeasured: z
      .enum(["fail", "pass"])
      .default("fail")
      .describe(
        "A check that could not be measured fails the gate (`fail`, default) or is let through (`pass`); it is reported as not measured either way.",
      ),
    on_inconclusive: z
      .enum(["pass", "fail"])
      .default("pass")
      .describe(
        "A check whose 95% interval straddles its limit passes the gate (`pass`, default) or fails it (`fail`: proof of no regression wanted); it is reported as inconclusive either way, with the paired conversations that would decide it.",
      ),
  })
  .strict();

export type Thresholds = z.infer<typeof ThresholdsSchema>;
