import { RunError } from "../errors.js";
import { rememberDry } from "../extract/remember-dry.js";
import type { JudgeInput } from "../judge/judge.js";
import type { ConversationEntry } from "../load/load-inputs.js";
import type { Candidate } from "../schema/candidate.js";
import { CONFIG_ROLES, type ConfigRole, type JudgementRecord } from "../schema/run-log.js";
import { judged, settledRecords } from "./judged.js";
import { keptDryRun, keptJudgement, keptRepeat } from "./resume.js";
import { coverageDetails, failedDryRun, junkTexts } from "./run-records.js";
import type { RunSession } from "./run-session.js";

/** What a unit does: its dry run and its judgements, or (a split batch run) one of the two. */
export type UnitSteps = "all" | "dry_run" | "judge";

/** What the two configs' units of one conversation share: one read of it, and (for a free judge's junk) their candidates. */
interface Shared {
  loaded: () => ReturnType<RunSession["load"]>;
  candidates: Partial<Record<ConfigRole, Candidate[]>>;
  finished: number;
}

interface Unit {
  entry: ConversationEntry;
  role: ConfigRole;
  shared: Shared;
}

/**
 * The dry runs, each judged as it finishes: coverage, usefulness, and the judge-noise repeat on the
 * noise sample's conversations. A unit an interrupted run logged is kept, not redone. With a free
 * judge, junk is judged too, as soon as both configs' units of a conversation finished.
 */
export class DryRunPhase {
  private done = 0;
  private readonly total: number;
  private readonly freeJudge: boolean;

  /** `rounds`: 2 when the dry runs and their judgements go in two passes (a split batch run), else 1. */
  constructor(
    private readonly session: RunSession,
    private readonly noiseSample: ReadonlySet<string>,
    private readonly rounds: 1 | 2,
  ) {
    this.total = session.plan.conversations.entries.length * CONFIG_ROLES.length;
    this.freeJudge = session.plan.judge.free === true;
  }

  /** Units planned in one pass: one per conversation and config. */
  get units(): number {
    return this.total;
  }

  /** Every unit through the scheduler, doing `steps`. */
  run(steps: UnitSteps): Promise<void> {
    return this.session.scheduler.feed(this.unitsToDo(), (unit) => this.unit(unit, steps));
  }

  private *unitsToDo(): Generator<Unit> {
    for (const entry of this.session.plan.conversations.entries) {
      // Both configs' units share one read of the conversation.
      let loaded: ReturnType<RunSession["load"]> | undefined;
      const shared: Shared = { loaded: () => (loaded ??= this.session.load(entry)), candidates: {}, finished: 0 };
      for (const role of CONFIG_ROLES) yield { entry, role, shared };
    }
  }

  private async unit(unit: Unit, steps: UnitSteps): Promise<void> {
    if (this.session.stopped()) return;
    await this.judgeUnit(unit, steps);
    if (steps === "all" && ++unit.shared.finished === CONFIG_ROLES.length && this.freeJudge)
      await this.junkInline(unit.entry, unit.shared);
    this.session.progress("dry_run", ++this.done, this.total * this.rounds);
  }

  private async judgeUnit({ entry, role, shared }: Unit, steps: UnitSteps): Promise<void> {
    const { plan, resume } = this.session;
    const id = entry.id;
    const base = { role, conversation_id: id };
    const kept = keptDryRun(resume, role, id);
    const repeat = this.noiseSample.has(id);
    const judgedAlready = (task: "coverage" | "usefulness") => keptJudgement(resume, task, role, id);
    // Each repeat is kept on its own: a stop can fall between the two.
    const repeatedAlready = (task: "coverage" | "usefulness") =>
      kept !== undefined && keptRepeat(resume, task, role, id);
    if (
      kept &&
      judgedAlready("coverage") &&
      judgedAlready("usefulness") &&
      (!repeat || (repeatedAlready("coverage") && repeatedAlready("usefulness")))
    )
      return;
    if (steps === "dry_run" && kept) return;
    const { conversation, golden } = shared.loaded();
    let candidates: Candidate[];
    // The judging step of a split run reads the dry run back from the log, as a resumed one does.
    if (kept || steps === "judge") candidates = this.session.candidatesOf(role, id);
    else {
      const result = await rememberDry(conversation, plan.configs[role].config, plan.stages[role]).catch(
        (error: unknown) => {
          if (error instanceof RunError) throw error;
          return failedDryRun(conversation, error);
        },
      );
      this.session.append({ kind: "dry_run", ...base, position: entry.position, golden: golden.length, result });
      candidates = result.candidates;
    }
    if (steps === "dry_run") return;
    if (this.freeJudge) shared.candidates[role] = candidates;
    const input: JudgeInput = { conversation, golden, candidates };
    // Keep the interrupted run's record of a judgement, or judge and log it.
    const once = (task: "coverage" | "usefulness", make: () => Promise<JudgementRecord>) =>
      kept !== undefined && judgedAlready(task) ? undefined : make();
    // The unit's judgements go out together (an LLM judge answers coverage and usefulness from the
    // same calls); they are logged in a fixed order, and one that finished is kept even if another stopped the run.
    const again = { ...base, repeat: 1 };
    const { records, throwStop } = await settledRecords([
      once("coverage", () => judged(plan.judge, "coverage", base, () => plan.judge.coverage(input))),
      once("usefulness", () => judged(plan.judge, "usefulness", base, () => plan.judge.usefulness(input))),
      // The judge-noise repeat: same prompts, repeat index 1, so the cache cannot answer it.
      repeat && !repeatedAlready("coverage")
        ? judged(plan.judge, "coverage", again, () => plan.judge.coverage(input, { repeat: 1 }))
        : undefined,
      repeat && !repeatedAlready("usefulness")
        ? judged(plan.judge, "usefulness", again, () => plan.judge.usefulness(input, { repeat: 1 }))
        : undefined,
    ]);
    for (const record of records) {
      if (record.task === "coverage" && !record.error && record.repeat === undefined)
        Object.assign(record, coverageDetails(input, record.items));
      this.session.append(record);
    }
    throwStop();
  }

  /**
   * A free judge judges every candidate of every paired conversation for junk: done as soon as both
   * configs' units of the conversation finish, while it is still in memory, instead of in a later pass.
   */
  private async junkInline(entry: ConversationEntry, shared: Shared): Promise<void> {
    const { plan, resume, units } = this.session;
    const id = entry.id;
    if (this.session.stopped() || !CONFIG_ROLES.every((role) => units.dryRun(role, id)?.failed === false)) return;
    const todo = CONFIG_ROLES.filter(
      (role) => !(keptDryRun(resume, role, id) && keptJudgement(resume, "junk", role, id)),
    );
    if (todo.length === 0) return;
    const { conversation, golden } = shared.loaded();
    for (const role of todo) {
      const base = { role, conversation_id: id };
      const input: JudgeInput = {
        conversation,
        golden,
        candidates: shared.candidates[role] ?? this.session.candidatesOf(role, id),
      };
      const record = await judged(plan.judge, "junk", base, () =>
        plan.judge.junk(
          input,
          input.candidates.map((_, index) => index),
        ),
      );
      if (record.task === "junk" && !record.error) record.texts = junkTexts(record.items, input.candidates);
      this.session.append(record);
    }
  }
}
