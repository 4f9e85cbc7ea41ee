import { existsSync } from "node:fs";
import { dirname, extname, join, resolve } from "node:path";
import { UsageError } from "../../errors.js";
import { loadConversations, loadGolden } from "../../load/load-inputs.js";
import { readText } from "../../load/read-text.js";
import { labelKey } from "../../metrics/agreement.js";
import type { Conversation } from "../../schema/conversation.js";
import { HumanLabelSchema, ProposalSchema, type ReviewAction } from "../../schema/curation.js";
import { writeFileAtomic } from "../../files/atomic-write.js";
import { readOptionalRecords, toJsonl } from "../records.js";
import { journalPath, recoverJournal, writeJournaled, type JournalEntry } from "./review-journal.js";
import { applyReviewAction, labelTarget, ReviewActionError, type ReviewData } from "./review-state.js";

export interface ReviewFiles {
  dataset: string;
  golden: string;
  /** Proposals to review; optional (without it the page curates the golden set alone). */
  proposals?: string;
  /** Human labels (ratings, junk marks). Default: `labels.jsonl` beside the golden file. */
  labels?: string;
}

export interface ReviewSessionOptions {
  /** Replace one file whole or not at all. Default: writeFileAtomic. */
  write?: (path: string, content: string) => void;
}

type Collection = keyof ReviewData;
const COLLECTIONS: Collection[] = ["golden", "proposals", "labels"];

/** The key of a record within its collection: a memory's or proposal's id, a label's conversation and text. */
function keyOf(collection: Collection, record: ReviewData[Collection][number]): string {
  return collection === "labels"
    ? labelKey((record as ReviewData["labels"][number]).conversation_id, (record as ReviewData["labels"][number]).text)
    : (record as { id: string }).id;
}

/** One record a change touched: what it was (absent: added), what it became (absent: removed), where it stood. */
interface RecordChange {
  collection: Collection;
  key: string;
  index: number;
  before: ReviewData[Collection][number] | undefined;
  after: ReviewData[Collection][number] | undefined;
  /** The record's version once changed: an undo applies only while it is still this. */
  version: number;
}

/** An edit made on a version of a record that has changed since (another tab, or an undo elsewhere). */
export class ReviewConflictError extends Error {
  constructor(
    message: string,
    /** The record as it is now (absent when it was removed) and its version. */
    readonly current: { collection: Collection; key: string; record: unknown; version: number },
  ) {
    super(message);
    this.name = "ReviewConflictError";
  }
}

/** The client a request without a client id counts as (a script, not the page). */
export const DEFAULT_CLIENT = "default";
const MAX_UNDO = 500;

function requireJsonl(path: string, what: string): void {
  if (extname(path).toLowerCase() !== ".jsonl")
    throw new UsageError(`the ${what} file must be .jsonl (one record per line), got ${path}`);
}

/** The records two versions of a collection differ in (unchanged records keep their identity). */
function changedRecords(
  collection: Collection,
  before: ReviewData[Collection],
  after: ReviewData[Collection],
): Omit<RecordChange, "version">[] {
  if (before === after) return [];
  const was = new Map(before.map((record, index) => [keyOf(collection, record), { record, index }]));
  const now = new Map(after.map((record, index) => [keyOf(collection, record), { record, index }]));
  const changes: Omit<RecordChange, "version">[] = [];
  for (const key of new Set([...was.keys(), ...now.keys()])) {
    const a = was.get(key);
    const b = now.get(key);
    if (a?.record !== b?.record)
      changes.push({ collection, key, index: a?.index ?? b!.index, before: a?.record, after: b?.record });
  }
  return changes;
}

/** The target of an action that edits an existing record, for its version check. */
function targetOf(data: ReviewData, action: ReviewAction): { collection: Collection; key: string } | undefined {
  switch (action.op) {
    case "accept":
    case "reject":
    case "edit_proposal":
      return { collection: "proposals", key: action.proposal_id };
    case "edit_golden":
    case "delete_golden":
      return { collection: "golden", key: action.golden_id };
    case "label": {
      const target = labelTarget(data, action);
      return { collection: "labels", key: labelKey(target.conversation_id, target.text) };
    }
    default:
      return undefined;
  }
}

/**
 * The files a review edits, loaded and validated up front, and every change saved at once: each
 * changed file written whole (temporary file, fsync, rename), and a change of several files (an
 * accept writes the golden file and the proposals file) journaled so that a kill at any point leaves
 * them agreeing (see review-journal). Every record has a version, raised by each change: an edit made
 * on an older version is refused (ReviewConflictError) rather than overwriting a newer one. Each
 * client (a browser tab) undoes its own changes only, back to its first.
 */
export class ReviewSession {
  readonly conversations: Conversation[];
  readonly byId: Map<string, Conversation>;
  readonly files: Required<Pick<ReviewFiles, "golden" | "labels">> & { proposals?: string };
  private data: ReviewData;
  private readonly versions = new Map<string, number>();
  private readonly histories = new Map<string, RecordChange[][]>();
  private readonly write: (path: string, content: string) => void;

  constructor(files: ReviewFiles, options: ReviewSessionOptions = {}) {
    const golden = resolve(files.golden);
    const labels = resolve(files.labels ?? join(dirname(golden), "labels.jsonl"));
    const proposals = files.proposals === undefined ? undefined : resolve(files.proposals);
    requireJsonl(golden, "golden");
    requireJsonl(labels, "labels");
    if (proposals) requireJsonl(proposals, "proposals");
    this.write = options.write ?? writeFileAtomic;
    // A change of several files that a kill left half done is finished before anything is read.
    recoverJournal(journalPath(golden), this.write);
    this.conversations = loadConversations(resolve(files.dataset));
    this.byId = new Map(this.conversations.map((c) => [c.id, c]));
    this.files = { golden, labels, ...(proposals ? { proposals } : {}) };
    const hasGolden = existsSync(golden) && readText(golden).trim() !== "";
    this.data = {
      golden: hasGolden ? loadGolden(golden, this.conversations) : [],
      proposals: proposals ? readOptionalRecords(proposals, ProposalSchema) : [],
      labels: readOptionalRecords(labels, HumanLabelSchema),
    };
  }

  get current(): ReviewData {
    return this.data;
  }

  /** Whether this client has a change left to undo. */
  canUndo(client: string = DEFAULT_CLIENT): boolean {
    return (this.histories.get(client)?.length ?? 0) > 0;
  }

  /** The version of a record: 1 as loaded, raised by each change; 0 for a record that does not exist. */
  versionOf(collection: Collection, key: string): number {
    const version = this.versions.get(`${collection}\u0000${key}`);
    if (version !== undefined) return version;
    return this.data[collection].some((record) => keyOf(collection, record) === key) ? 1 : 0;
  }

  /** Every record's version, by collection and key, as the page sends them back with its edits. */
  versionTable(): Record<Collection, Record<string, number>> {
    const table = { golden: {}, proposals: {}, labels: {} } as Record<Collection, Record<string, number>>;
    for (const collection of COLLECTIONS) {
      for (const record of this.data[collection]) {
        const key = keyOf(collection, record);
        table[collection][key] = this.versions.get(`${collection}\u0000${key}`) ?? 1;
      }
    }
    return table;
  }

  /**
   * Apply one action (or undo this client's last) and save what changed. `version`, when given, is
   * the version of the record the action edits as the client saw it: a different one is a conflict.
   */
  apply(action: ReviewAction & { version?: number }, client: string = DEFAULT_CLIENT): ReviewData {
    if (action.op === "undo") return this.undo(client);
    const target = targetOf(this.data, action);
    if (target && action.version !== undefined) {
      const version = this.versionOf(target.collection, target.key);
      if (version !== action.version) {
        const record = this.data[target.collection].find((r) => keyOf(target.collection, r) === target.key);
        throw new ReviewConflictError(
          `${target.collection === "golden" ? "golden memory" : target.collection === "proposals" ? "proposal" : "label"} "${target.key.replace("\u0000", ": ")}" ` +
            `changed since this page loaded it (version ${action.version}, now ${version}): showing the current one`,
          { ...target, record, version },
        );
      }
    }
    const next = applyReviewAction(this.data, action, this.byId);
    const change = this.commit(next);
    if (change.length > 0) {
      const history = this.histories.get(client) ?? [];
      history.push(change);
      if (history.length > MAX_UNDO) history.shift();
      this.histories.set(client, history);
    }
    return this.data;
  }

  /** Take back this client's last change, unless another client changed one of its records since. */
  private undo(client: string): ReviewData {
    const change = this.histories.get(client)?.pop();
    if (!change) return this.data;
    for (const record of change) {
      if (this.versionOf(record.collection, record.key) !== record.version) {
        throw new ReviewActionError(
          `cannot undo: ${record.collection === "labels" ? "a label" : `"${record.key}"`} was changed since in another tab`,
        );
      }
    }
    const next: ReviewData = { ...this.data };
    for (const collection of COLLECTIONS) {
      const records = change.filter((r) => r.collection === collection);
      if (records.length === 0) continue;
      let items = [...this.data[collection]] as ReviewData[Collection][number][];
      for (const record of records) {
        const at = items.findIndex((item) => keyOf(collection, item) === record.key);
        if (record.before === undefined) items = items.filter((_, i) => i !== at);
        else if (at >= 0) items[at] = record.before;
        else items.splice(Math.min(record.index, items.length), 0, record.before);
      }
      (next as Record<Collection, unknown>)[collection] = items;
    }
    this.commit(next);
    return this.data;
  }

  /** Save the records that differ from the current data, raise their versions; returns what changed. */
  private commit(next: ReviewData): RecordChange[] {
    const changes = COLLECTIONS.flatMap((collection) =>
      changedRecords(collection, this.data[collection], next[collection]),
    );
    if (changes.length === 0) return [];
    this.save(this.data, next);
    this.data = next;
    return changes.map((change) => {
      const id = `${change.collection}\u0000${change.key}`;
      const version = (this.versions.get(id) ?? (change.before === undefined ? 0 : 1)) + 1;
      this.versions.set(id, version);
      return { ...change, version };
    });
  }

  private save(before: ReviewData, after: ReviewData): void {
    const entries: JournalEntry[] = [];
    if (after.golden !== before.golden) entries.push({ path: this.files.golden, content: toJsonl(after.golden) });
    if (after.proposals !== before.proposals && this.files.proposals)
      entries.push({ path: this.files.proposals, content: toJsonl(after.proposals) });
    // No labels left (the only one undone or cleared): no labels file rather than an empty one.
    if (after.labels !== before.labels)
      entries.push({ path: this.files.labels, content: after.labels.length > 0 ? toJsonl(after.labels) : null });
    if (entries.length > 0) writeJournaled(journalPath(this.files.golden), entries, this.write);
  }
}
