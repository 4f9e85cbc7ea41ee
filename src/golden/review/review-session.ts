import { existsSync } from "node:fs";
import { dirname, extname, join, resolve } from "node:path";
import { UsageError } from "../../errors.js";
import { loadConversations, loadGolden } from "../../load/load-inputs.js";
import { readText } from "../../load/read-text.js";
import type { Conversation } from "../../schema/conversation.js";
import { HumanLabelSchema, ProposalSchema, type ReviewAction } from "../../schema/curation.js";
import { writeFileAtomic } from "../../run/write-outputs.js";
import { readOptionalRecords, toJsonl } from "../records.js";
import { applyReviewAction, type ReviewData } from "./review-state.js";

export interface ReviewFiles {
  dataset: string;
  golden: string;
  /** Proposals to review; optional (without it the page curates the golden set alone). */
  proposals?: string;
  /** Human labels (ratings, junk marks). Default: `labels.jsonl` beside the golden file. */
  labels?: string;
}

const MAX_UNDO = 500;

function requireJsonl(path: string, what: string): void {
  if (extname(path).toLowerCase() !== ".jsonl") throw new UsageError(`the ${what} file must be .jsonl (one record per line), got ${path}`);
}

/**
 * The files a review edits, loaded and validated up front, and every change saved at once: each
 * changed file written whole (temporary file, fsync, rename), so a crash leaves the previous
 * version or the new one. Changes can be undone, back to the session's start.
 */
export class ReviewSession {
  readonly conversations: Conversation[];
  readonly byId: Map<string, Conversation>;
  readonly files: Required<Pick<ReviewFiles, "golden" | "labels">> & { proposals?: string };
  private data: ReviewData;
  private readonly history: ReviewData[] = [];

  constructor(files: ReviewFiles) {
    const golden = resolve(files.golden);
    const labels = resolve(files.labels ?? join(dirname(golden), "labels.jsonl"));
    const proposals = files.proposals === undefined ? undefined : resolve(files.proposals);
    requireJsonl(golden, "golden");
    requireJsonl(labels, "labels");
    if (proposals) requireJsonl(proposals, "proposals");
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

  get canUndo(): boolean {
    return this.history.length > 0;
  }

  /** Apply one action (or undo the last) and save what changed. */
  apply(action: ReviewAction): ReviewData {
    let next: ReviewData;
    if (action.op === "undo") {
      const previous = this.history.pop();
      if (!previous) return this.data;
      next = previous;
    } else {
      next = applyReviewAction(this.data, action, this.byId);
      this.history.push(this.data);
      if (this.history.length > MAX_UNDO) this.history.shift();
    }
    this.save(this.data, next);
    this.data = next;
    return next;
  }

  private save(before: ReviewData, after: ReviewData): void {
    if (after.golden !== before.golden) writeFileAtomic(this.files.golden, toJsonl(after.golden));
    if (after.proposals !== before.proposals && this.files.proposals) writeFileAtomic(this.files.proposals, toJsonl(after.proposals));
    if (after.labels !== before.labels) writeFileAtomic(this.files.labels, toJsonl(after.labels));
  }
}
