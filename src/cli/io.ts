import type { EarlyRunWorker } from "./early-run-worker.js";

/** Where the CLI writes and what it knows of its terminal: the process's own, a worker's, or a test's. */
export interface CliIo {
  stdout: (text: string) => void;
  stderr: (text: string) => void;
  env: NodeJS.ProcessEnv;
  /** Whether stderr is a terminal (progress line rewriting). */
  isTTY: boolean;
  /** Whether stdout is a terminal (colours); defaults to `isTTY`. */
  stdoutIsTTY?: boolean;
  /**
   * The built CLI's worker module for `run`, or the thread already started on it (see runInWorker);
   * without it `run` runs on the calling thread.
   */
  runWorker?: URL | EarlyRunWorker;
}

/**
 * A writer to the process's stdout or stderr that outlives its reader: once the reader is gone
 * (`cache stats | head -c 1`), what is left to print is dropped instead of ending in an EPIPE stack.
 */
function pipeWriter(stream: NodeJS.WriteStream): (text: string) => void {
  let closed = false;
  stream.on("error", (error: NodeJS.ErrnoException) => {
    if (error.code !== "EPIPE" && error.code !== "ERR_STREAM_DESTROYED") throw error;
    closed = true;
  });
  return (text) => {
    if (!closed) stream.write(text);
  };
}

/** The process's own terminal, as the built CLI uses it. */
export function processIo(): CliIo {
  return {
    stdout: pipeWriter(process.stdout),
    stderr: pipeWriter(process.stderr),
    env: process.env,
    isTTY: Boolean(process.stderr.isTTY),
    stdoutIsTTY: Boolean(process.stdout.isTTY),
  };
}

export const defaultIo: CliIo = {
  stdout: (text) => process.stdout.write(text),
  stderr: (text) => process.stderr.write(text),
  env: process.env,
  isTTY: Boolean(process.stderr.isTTY),
  stdoutIsTTY: Boolean(process.stdout.isTTY),
};
