import { z } from "zod";

/** A count. */
export const int = z.number().int().min(0);
/** A rate or a number that may not be measurable (null). */
export const ratio = z.number().nullable();
/** 95% confidence interval, [low, high]; null when it cannot be estimated. */
export const IntervalSchema = z.tuple([z.number(), z.number()]).nullable();
