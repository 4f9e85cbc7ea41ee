import { spawn, type ChildProcess } from "node:child_process";
import { superviseProgram, type ProgramJob, type ProgramOutcome } from "./supervise-program.js";

/**
 * The command extractor's programs are started by small helper processes, not by the run's own
 * thread. Starting a process holds the thread that starts it until the program is running (the fork,
 * which copies the page tables of the whole process, then the wait for the program's exec: 10–20 ms
 * a program on a loaded 2-core machine): from the run's thread, 16 units in flight spent on their
 * starts alone most of the 200 ms each waited on its program, and the run's own work waited behind
 * them. A helper forks from a process of a few dozen megabytes, on its own core when there is one;
 * two of them take turns. Each runs any number of programs at once.
 */
const RUNNERS = 2;

// A helper's whole program: superviseProgram's own source, run on each job it is sent. It ends when
// the run that started it goes away (its channel closes).
const RUNNER_SOURCE = `
const { spawn } = require("node:child_process");
const superviseProgram = (${superviseProgram.toString()});
process.on("message", ({ id, job }) => superviseProgram(spawn, job, (outcome) => process.send({ id, outcome })));
process.on("disconnect", () => process.exit(0));
`;

interface Runner {
  child: ChildProcess;
  /** Jobs sent and not yet answered, by id. */
  inFlight: Map<number, (outcome: ProgramOutcome) => void>;
}

let runners: Runner[] = [];
let nextId = 0;

/** Whether the runner's channel keeps this process alive: only while it has programs running. */
function holdOpen(runner: Runner, hold: boolean): void {
  if (hold) {
    runner.child.ref();
    runner.child.channel?.ref();
  } else {
    runner.child.unref();
    runner.child.channel?.unref();
  }
}

function startRunner(): Runner {
  // Its own process group: a Ctrl-C at the terminal stops the run, which lets the programs in flight finish.
  const child = spawn(process.execPath, ["-e", RUNNER_SOURCE], {
    stdio: ["ignore", "ignore", "inherit", "ipc"],
    detached: true,
  });
  const runner: Runner = { child, inFlight: new Map() };
  child.on("message", ({ id, outcome }: { id: number; outcome: ProgramOutcome }) => {
    runner.inFlight.get(id)?.(outcome);
    runner.inFlight.delete(id);
    if (runner.inFlight.size === 0) holdOpen(runner, false);
  });
  // A runner that fails answers its jobs with the failure; the next job starts another.
  const fail = (message: string) => {
    runners = runners.filter((r) => r !== runner);
    for (const answer of runner.inFlight.values()) answer({ stdout: "", stderr: "", startError: message });
    runner.inFlight.clear();
  };
  child.on("error", (error) => fail(`the process starting programs failed: ${error.message}`));
  child.on("exit", (code, signal) => fail(`the process starting programs ended (${signal ?? `code ${code}`})`));
  holdOpen(runner, false);
  return runner;
}

/**
 * Run one program (see superviseProgram) on the least busy helper process. Each job carries the
 * environment as it is now, which the program gets, as when started from this process.
 */
export function runOnHelper(job: Omit<ProgramJob, "env">): Promise<ProgramOutcome> {
  return new Promise((resolve) => {
    while (runners.length < RUNNERS) runners.push(startRunner());
    const runner = runners.reduce((a, b) => (b.inFlight.size < a.inFlight.size ? b : a));
    const id = nextId++;
    runner.inFlight.set(id, resolve);
    holdOpen(runner, true);
    runner.child.send({ id, job: { ...job, env: process.env } }, (error) => {
      if (!error || !runner.inFlight.has(id)) return;
      // The helper cannot be reached: the program is started from this process instead.
      runner.inFlight.delete(id);
      superviseProgram(spawn, { ...job, env: process.env }, resolve);
    });
  });
}
