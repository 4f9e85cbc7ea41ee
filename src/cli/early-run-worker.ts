import { Worker } from "node:worker_threads";
import type { RunWorkerData } from "./stop-run.js";

/**
 * The thread `run` works in (see runInWorker), started as the process starts when its command line
 * asks for `run`: the thread loads the run's modules on the machine's other core while this one loads
 * the command line's and reads the options, instead of after them. It holds the process open only once
 * a run adopts it: a command that ends first (a usage error) ends without it, its exit waiting only
 * for the thread to be stopped (bin.ts starts none for `run --help`).
 */
export class EarlyRunWorker {
  readonly thread: Worker;
  /** Set when the thread ended before a run adopted it (its modules could not load): with why, when it said. */
  private ended: { error?: unknown } | undefined;

  constructor(url: URL) {
    this.thread = new Worker(url);
    this.thread.unref();
    let error: unknown;
    this.thread.once("error", (cause) => (error = cause));
    this.thread.once("exit", () => (this.ended = { error }));
  }

  /**
   * Hand the thread its run: it holds the process open from here on. Returns the thread, or why it
   * ended before (listeners the caller adds in this turn of the event loop see everything after).
   */
  adopt(data: RunWorkerData): { thread: Worker } | { ended: { error?: unknown } } {
    if (this.ended) return { ended: this.ended };
    this.thread.ref();
    this.thread.postMessage({ type: "start", data });
    return { thread: this.thread };
  }
}
