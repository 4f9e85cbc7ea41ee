import { RunError } from "../errors.js";
import type { BatchSettings, RetrySettings } from "../schema/bench-config.js";
import type { BatchRecord } from "../schema/run-log.js";
import type { BatchApi, BatchItem, BatchOutcome } from "./batch-api.js";
import type { CompletionRequest } from "./provider.js";
import { withRetries } from "./retry.js";

/** A batch is submitted once no call has joined it for this long (callers of one round arrive together)... */
export const BATCH_DEBOUNCE_MS = 100;
/** ...or this long after its first call, whichever comes first. */
export const BATCH_COLLECT_MAX_MS = 2_000;
/**
 * Request bytes per batch: below both providers' limits on a batch's size (OpenAI's input file
 * 200 MB, Anthropic's batch 256 MB), whatever `max_requests` allows.
 */
export const BATCH_MAX_BYTES = 150_000_000;
/** Each wait between two status polls is this much longer than the one before, up to 10 × `poll_interval_ms`. */
const POLL_BACKOFF = 1.5;
const POLL_CAP = 10;

/** Calls of one (provider, model, base_url): they share a batch endpoint and may share a batch. */
export interface BatchGroup {
  provider: string;
  model: string;
  base_url: string | null;
  /** The environment variable of the API key (its name only): calls billed to different keys never share a batch. */
  key_env: string;
  /** Loads the SDK and builds the endpoint on first use. */
  api: () => Promise<BatchApi>;
}

interface Waiting extends BatchItem {
  key: string;
  resolve: (outcome: BatchOutcome) => void;
  reject: (error: RunError) => void;
}

interface Collecting {
  items: Waiting[];
  bytes: number;
  debounce?: NodeJS.Timeout;
  ceiling?: NodeJS.Timeout;
}

export interface BatchHooks {
  sleep?: (ms: number) => Promise<void>;
  now?: () => number;
  /** Request bytes per batch. Default BATCH_MAX_BYTES. */
  maxBytes?: number;
}

/**
 * Gathers the cache misses of a run into provider batches: queued per model group, submitted at
 * `max_requests` calls or after a short pause in arrivals, logged (batch id and each call's cache key)
 * before the wait, polled with backoff until the batch ends, then each call gets its outcome. A
 * batch recorded by an interrupted run is polled again for its calls instead of being paid twice.
 */
export class BatchCollector {
  private readonly collecting = new Map<string, Collecting>();
  /** Calls of batches an interrupted run submitted, by cache key. */
  private readonly prior = new Map<string, { batchId: string; customId: string }>();
  /** Results of each recorded batch being waited on, by batch id: its calls share one poll, dropped once all took theirs. */
  private readonly waits = new Map<string, { results?: Promise<Map<string, BatchOutcome>>; left: number }>();
  private record: (record: BatchRecord) => void = () => {};
  private readonly sleep: (ms: number) => Promise<void>;
  private readonly now: () => number;
  private readonly maxBytes: number;
  /** Timers of collecting and polling, cleared by `close`. */
  private readonly timers = new Set<NodeJS.Timeout>();
  private closed = false;

  constructor(
    readonly settings: BatchSettings,
    private readonly retries: RetrySettings,
    hooks: BatchHooks = {},
  ) {
    this.sleep = hooks.sleep ?? ((ms) => new Promise<void>((resolve) => this.later(ms, resolve)));
    this.now = hooks.now ?? Date.now;
    this.maxBytes = hooks.maxBytes ?? BATCH_MAX_BYTES;
  }

  /**
   * Stop collecting and polling: the run was abandoned (interrupted). Calls still waiting stay
   * unanswered and no timer keeps the process alive; their batches are recorded for a resume.
   */
  close(): void {
    this.closed = true;
    for (const timer of this.timers) clearTimeout(timer);
    this.timers.clear();
    this.collecting.clear();
  }

  private later(ms: number, run: () => void): NodeJS.Timeout | undefined {
    if (this.closed) return undefined;
    const timer = setTimeout(() => {
      this.timers.delete(timer);
      run();
    }, ms);
    this.timers.add(timer);
    return timer;
  }

  private cancelTimer(timer: NodeJS.Timeout | undefined): void {
    if (!timer) return;
    clearTimeout(timer);
    this.timers.delete(timer);
  }

  /** Where submitted batches are recorded (the run log), and the batches an interrupted run recorded. */
  attach(record: (record: BatchRecord) => void, prior: BatchRecord[] = []): void {
    this.record = record;
    for (const batch of prior) {
      for (const { custom_id, key } of batch.requests)
        this.prior.set(key, { batchId: batch.batch_id, customId: custom_id });
    }
    // What each recorded batch still owes: its calls not yet asked for again.
    for (const { batchId } of this.prior.values()) {
      const wait = this.waits.get(batchId);
      if (wait) wait.left++;
      else this.waits.set(batchId, { left: 1 });
    }
  }

  /**
   * The batch outcome of one call, or undefined when the call goes live: batch mode is off and no
   * recorded batch holds it. A batch that cannot be created or polled answers its calls as failed.
   */
  answer(group: BatchGroup, key: string, request: CompletionRequest): Promise<BatchOutcome> | undefined {
    const prior = this.prior.get(key);
    if (prior) {
      this.prior.delete(key);
      const wait = this.waits.get(prior.batchId)!;
      wait.results ??= this.poll(group, prior.batchId).catch(() => new Map<string, BatchOutcome>());
      if (--wait.left === 0) this.waits.delete(prior.batchId);
      return wait.results.then(
        (results) =>
          results.get(prior.customId) ?? { ok: false, reason: `batch ${prior.batchId} returned no result for it` },
      );
    }
    if (!this.settings.enabled) return undefined;
    return new Promise<BatchOutcome>((resolve, reject) =>
      this.enqueue(group, { key, request, resolve, reject, custom_id: "" }),
    );
  }

  private enqueue(group: BatchGroup, waiting: Waiting): void {
    const id = [group.provider, group.model, group.base_url ?? "", group.key_env].join("\u0000");
    const bytes = Buffer.byteLength(JSON.stringify(waiting.request), "utf8");
    // A call that would take the open batch past the size limit starts the next one.
    if ((this.collecting.get(id)?.bytes ?? 0) + bytes > this.maxBytes) this.submit(id, group);
    let batch = this.collecting.get(id);
    if (!batch) {
      batch = { items: [], bytes: 0 };
      this.collecting.set(id, batch);
      batch.ceiling = this.later(BATCH_COLLECT_MAX_MS, () => this.submit(id, group));
    }
    waiting.custom_id = `call-${batch.items.length}`;
    batch.items.push(waiting);
    batch.bytes += bytes;
    this.cancelTimer(batch.debounce);
    if (batch.items.length >= this.settings.max_requests) this.submit(id, group);
    else batch.debounce = this.later(BATCH_DEBOUNCE_MS, () => this.submit(id, group));
  }

  private submit(id: string, group: BatchGroup): void {
    const batch = this.collecting.get(id);
    if (!batch) return;
    this.collecting.delete(id);
    this.cancelTimer(batch.debounce);
    this.cancelTimer(batch.ceiling);
    void this.send(group, batch.items);
  }

  private async send(group: BatchGroup, items: Waiting[]): Promise<void> {
    let results: Map<string, BatchOutcome>;
    try {
      const api = await group.api();
      const batchId = await withRetries(
        () => api.create(items.map(({ custom_id, request }) => ({ custom_id, request }))),
        this.retries,
      );
      // Logged before the wait: an interrupted run resumes by polling this batch.
      this.record({
        kind: "batch",
        provider: group.provider,
        model: group.model,
        batch_id: batchId,
        submitted_at: new Date(this.now()).toISOString(),
        requests: items.map(({ custom_id, key }) => ({ custom_id, key })),
      });
      // A batch that cannot be polled leaves every call unanswered: each is then made live.
      results = await this.poll(group, batchId).catch(() => new Map<string, BatchOutcome>());
    } catch (error) {
      // The run log could not take the record: stop rather than make the calls live and pay twice.
      if (error instanceof RunError) {
        for (const item of items) item.reject(error);
        return;
      }
      const reason = `the batch failed: ${(error as Error).message}`;
      for (const item of items) item.resolve({ ok: false, reason });
      return;
    }
    for (const item of items)
      item.resolve(results.get(item.custom_id) ?? { ok: false, reason: "the batch returned no result for it" });
  }

  private async poll(group: BatchGroup, batchId: string): Promise<Map<string, BatchOutcome>> {
    const api = await group.api();
    const { poll_interval_ms, max_wait_ms } = this.settings;
    const started = this.now();
    let delay = poll_interval_ms;
    while (!(await withRetries(() => api.ended(batchId), this.retries))) {
      const waited = this.now() - started;
      if (waited >= max_wait_ms) {
        // Past the wait limit: stop the batch so it is not billed further; its calls are made live.
        await withRetries(() => api.cancel(batchId), this.retries).catch(() => undefined);
        return new Map();
      }
      await this.sleep(Math.round(Math.min(delay, max_wait_ms - waited)));
      delay = Math.min(delay * POLL_BACKOFF, poll_interval_ms * POLL_CAP);
    }
    return withRetries(() => api.results(batchId, this.now() - started), this.retries);
  }
}
