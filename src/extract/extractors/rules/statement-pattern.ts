import type { RuleCategory } from "../../../schema/extractor-config.js";

/** How firmly a statement is made; moves the confidence around the configured base. */
export type CueStrength = "strong" | "plain" | "weak";

export interface StatementPattern {
  category: RuleCategory;
  /** Matched against one sentence; the named group `object` is the memory's object. */
  pattern: RegExp;
  /** snake_case predicate, or a function of the match (e.g. the relation word). */
  predicate: string | ((match: RegExpExecArray) => string);
  /** Words that phrase the predicate in the memory text, e.g. "works at". */
  phrase: string | ((match: RegExpExecArray) => string);
  strength?: CueStrength | ((match: RegExpExecArray) => CueStrength);
  /** The object names a person or an organization: it is an entity mention to resolve. */
  objectIsEntity?: boolean;
  /** Where the object stops, beyond the sentence end: clause words such as " as ", " since ". */
  stopAt?: RegExp;
  /** A negated form ("I no longer work at"): the category yields nothing for this sentence. */
  suppresses?: boolean;
}
