import { existsSync, readFileSync, rmSync } from "node:fs";
import { writeFileAtomic } from "../../files/atomic-write.js";

/**
 * A change of several review files as one operation (accepting a proposal writes the golden file and
 * the proposals file). The new contents of every file are first written to a journal beside the
 * golden file, whole or not at all; then each file is replaced; then the journal is removed. A kill
 * before the journal is whole leaves every file as it was; a kill after it is redone by `recover` when
 * the review is next opened: either way the files agree with each other.
 */
export interface JournalEntry {
  path: string;
  /** The file's new content; null removes the file. */
  content: string | null;
}

function apply(entry: JournalEntry, write: (path: string, content: string) => void): void {
  if (entry.content === null) rmSync(entry.path, { force: true });
  else write(entry.path, entry.content);
}

export function journalPath(goldenPath: string): string {
  return `${goldenPath}.review-journal`;
}

/** Replace several files as one operation (see above). `write` replaces one file atomically. */
export function writeJournaled(
  journal: string,
  entries: JournalEntry[],
  write: (path: string, content: string) => void = writeFileAtomic,
): void {
  if (entries.length === 1) {
    apply(entries[0]!, write);
    return;
  }
  write(journal, `${JSON.stringify({ files: entries })}\n`);
  for (const entry of entries) apply(entry, write);
  rmSync(journal, { force: true });
}

/** Finish the operation a killed review left half done, if any: returns the files it wrote. */
export function recoverJournal(
  journal: string,
  write: (path: string, content: string) => void = writeFileAtomic,
): string[] {
  if (!existsSync(journal)) return [];
  let entries: JournalEntry[];
  try {
    entries = (JSON.parse(readFileSync(journal, "utf8")) as { files: JournalEntry[] }).files;
  } catch {
    // Written atomically, so whole or absent; anything else is not ours to apply.
    return [];
  }
  for (const entry of entries) apply(entry, write);
  rmSync(journal, { force: true });
  return entries.map((entry) => entry.path);
}
