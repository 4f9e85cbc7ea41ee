/** The formats `golden import` reads; a module of its own so that `--help` does not load the importers. */
export const IMPORT_FORMATS = ["csv", "jsonl", "locomo"] as const;
export type ImportFormat = (typeof IMPORT_FORMATS)[number];
