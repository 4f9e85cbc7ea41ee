import type { spawn as spawnProcess } from "node:child_process";

/** One program to run, as the thread that starts it receives it. */
export interface ProgramJob {
  command: string[];
  cwd: string;
  /** The program's environment. */
  env: NodeJS.ProcessEnv;
  input: string;
  timeoutMs: number;
  /** Bytes of stdout read at most; past it the program is stopped. */
  maxOutputBytes: number;
  /** Characters of the end of stderr kept. */
  stderrKept: number;
}

/** How a program ended, as seen from the thread that ran it (runProgram words and redacts it). */
export interface ProgramOutcome {
  stdout: string;
  /** The last `stderrKept` characters of stderr, with a leading `…` when cut. */
  stderr: string;
  /** Why it was stopped: it ran past `timeoutMs` (`timeout`), or printed more than `maxOutputBytes` (`output`). */
  stopped?: "timeout" | "output";
  /** Why it could not be started. */
  startError?: string;
  code?: number | null;
  signal?: string | null;
}

/**
 * Run one program, `input` on its stdin, and report how it ended. It runs in its own process group,
 * so a timeout kills everything it started, and a grandchild holding stdout open cannot keep it alive
 * past `timeoutMs`; stdout is bounded by `maxOutputBytes`, stderr by `stderrKept`. It uses nothing
 * but its arguments and globals: its source text is also what the helper processes run (see
 * program-runner.ts).
 */
export function superviseProgram(
  spawn: typeof spawnProcess,
  job: ProgramJob,
  done: (outcome: ProgramOutcome) => void,
): void {
  const [program, ...args] = job.command as [string, ...string[]];
  const child = spawn(program, args, { cwd: job.cwd, env: job.env, stdio: ["pipe", "pipe", "pipe"], detached: true });
  const stdout: Buffer[] = [];
  const stderr: Buffer[] = [];
  let stdoutBytes = 0;
  let stderrBytes = 0;
  let stopped: ProgramOutcome["stopped"];
  let finished = false;
  const stderrTail = () => {
    const text = Buffer.concat(stderr).toString("utf8");
    return text.length <= job.stderrKept ? text : `…${text.slice(-job.stderrKept)}`;
  };
  const finish = (outcome: Omit<ProgramOutcome, "stderr">) => {
    if (finished) return;
    finished = true;
    clearTimeout(timer);
    done({ ...outcome, stderr: stderrTail() });
  };
  const stop = (why: NonNullable<ProgramOutcome["stopped"]>) => {
    stopped = why;
    try {
      if (child.pid !== undefined) process.kill(-child.pid, "SIGKILL");
    } catch {
      child.kill("SIGKILL");
    }
    // The pipes close once the whole group is gone; do not wait on a process that ignores the kill.
    setTimeout(() => finish({ stdout: "", stopped: why }), 1_000).unref();
  };
  const timer = setTimeout(() => stop("timeout"), job.timeoutMs);
  child.stdout.on("data", (chunk: Buffer) => {
    if (stopped) return;
    stdoutBytes += chunk.length;
    if (stdoutBytes > job.maxOutputBytes) return stop("output");
    stdout.push(chunk);
  });
  child.stderr.on("data", (chunk: Buffer) => {
    stderr.push(chunk);
    stderrBytes += chunk.length;
    // Drop the oldest chunks once well past the bound: only the end is kept.
    while (stderrBytes > 4 * job.stderrKept && stderr.length > 1) stderrBytes -= stderr.shift()!.length;
  });
  child.stdin.on("error", () => {
    // The program may exit without reading its input; its exit status tells what happened.
  });
  child.on("error", (error) => finish({ stdout: "", startError: error.message }));
  child.on("close", (code, signal) => {
    if (stopped) return finish({ stdout: "", stopped });
    finish({ stdout: Buffer.concat(stdout).toString("utf8"), code, signal });
  });
  child.stdin.end(job.input);
}
