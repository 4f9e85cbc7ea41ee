/** How many items of each list and characters of each string the PR comment shows; report.html and report.json have the rest. */
export const MAX_MISSED = 15;
export const MAX_JUNK = 10;
export const MAX_ERRORS = 10;
export const MAX_PREDICATES = 20;
export const MAX_CONVERSATIONS = 10;
export const MAX_EVIDENCE = 5;
export const MAX_TEXT = 200;
export const MAX_NAME = 80;
export const MAX_WARNINGS = 5;
export const MAX_DISAGREEMENTS = 10;
