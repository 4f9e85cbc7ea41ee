import { setImmediate as nextMacrotask } from "node:timers/promises";
import PQueue from "p-queue";
import { CONFIG_ROLES } from "../schema/run-log.js";
import type { RunPlan } from "./plan.js";

/**
 * How long units in flight may take to finish once the run is stopped, before they are abandoned
 * (a stopped run ends within a second: this, then the partial reports). An abandoned unit is redone
 * by the resume; an answer it was waiting for that arrives meanwhile is still cached.
 */
export const STOP_GRACE_MS = 400;
/** How often a run whose units wait on nothing looks for a stop between units. */
const STOP_CHECK_MS = 50;

/** Wait for `work`, or stop waiting `ms` after `signal` aborts. */
async function untilDoneOrGrace(
  work: Promise<unknown>,
  signal: AbortSignal | undefined,
  graceMs: number,
): Promise<void> {
  if (!signal) {
    await work;
    return;
  }
  let timer: NodeJS.Timeout | undefined;
  const grace = new Promise<void>((resolveGrace) => {
    const arm = () => (timer = setTimeout(resolveGrace, graceMs));
    if (signal.aborted) arm();
    else signal.addEventListener("abort", arm, { once: true });
  });
  try {
    await Promise.race([work, grace]);
  } finally {
    clearTimeout(timer);
  }
}

/**
 * Wait for `work`, or until `signal` aborts. What it attaches to the signal goes with the wait: a
 * race against one promise that stays pending until a stop would keep every wait of the run alive.
 */
function untilDoneOrStopped(work: Promise<void>, signal: AbortSignal | undefined): Promise<void> {
  if (!signal) return work;
  if (signal.aborted) return Promise.resolve();
  return new Promise<void>((resolve, reject) => {
    const stop = () => resolve();
    signal.addEventListener("abort", stop, { once: true });
    work.then(
      () => {
        signal.removeEventListener("abort", stop);
        resolve();
      },
      (error: unknown) => {
        signal.removeEventListener("abort", stop);
        reject(error);
      },
    );
  });
}

/** How many units of a run go at once. */
export function unitConcurrency(plan: RunPlan): number {
  // In batch mode calls must pile up to fill batches: as many units run at once as one batch holds.
  if (plan.models !== undefined && plan.bench.batch.enabled)
    return Math.max(plan.bench.concurrency, plan.bench.batch.max_requests);
  // When nothing waits (in-process extractors, a free judge), units run one after the other: several
  // at once would only interleave on this thread, keeping each one's objects alive longer (on 10,000
  // conversations at concurrency 4, 150 MB of them outlived the young generation, against 34 MB).
  const waitsOnNothing = plan.judge.free === true && CONFIG_ROLES.every((role) => plan.stages[role].inProcess === true);
  return waitsOnNothing ? 1 : plan.bench.concurrency;
}

/**
 * The run's units go through one queue: fed a few batches ahead of the workers, so memory holds only
 * what is in flight. Once `signal` aborts, no new unit starts and units in flight get `graceMs` to
 * finish; the first unit that throws stops the feeding, and its error ends the feed.
 */
export class UnitScheduler {
  private readonly queue: PQueue;
  private failure: unknown;

  constructor(
    readonly concurrency: number,
    private readonly signal: AbortSignal | undefined,
    private readonly graceMs: number = STOP_GRACE_MS,
  ) {
    this.queue = new PQueue({ concurrency });
  }

  /** Whether the run was stopped (a signal, `stop`): no new unit starts. */
  stopped(): boolean {
    return this.signal?.aborted === true;
  }

  /** Why it was stopped, as the log and the message say it. */
  stopReason(): string {
    return String(this.signal?.reason ?? "SIGINT");
  }

  /** Queue `work` for each item, at most a few batches ahead of the workers, and wait for it all (or the grace after a stop). */
  async feed<T>(items: Iterable<T>, work: (item: T) => Promise<void>): Promise<void> {
    let started = 0;
    let turned = performance.now();
    for (const item of items) {
      // Units that wait on nothing (rules, replay, the heuristic judge) never hand the event loop a
      // turn on their own: one is given between units every STOP_CHECK_MS, so a stop is seen at once.
      if (performance.now() - turned >= STOP_CHECK_MS) {
        await nextMacrotask();
        turned = performance.now();
      }
      if (this.stopped() || this.failure !== undefined) break;
      // A stop ends the wait too: units in flight may be waiting on a slow model.
      if (this.queue.size >= this.concurrency * 2)
        await untilDoneOrStopped(this.queue.onSizeLessThan(this.concurrency), this.signal);
      this.queue
        .add(() => work(item))
        .catch((error: unknown) => {
          this.failure ??= error;
        });
      // While the workers first fill, each unit starts a macrotask after the one before: a unit that
      // waits on a model sends its request as soon as it is built, not after every other unit is built
      // (which would bunch the calls into rounds that all come back, and start again, at once).
      if (++started < this.concurrency) await nextMacrotask();
    }
    await this.settle();
    if (this.failure !== undefined) throw this.failure;
  }

  /** Wait for the units in flight to finish, or (once stopped) for the grace they are given. */
  settle(): Promise<void> {
    return untilDoneOrGrace(this.queue.onIdle(), this.signal, this.graceMs);
  }
}
