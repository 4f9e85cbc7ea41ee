import { RunError } from "../errors.js";
import type { Judge, PairwiseInput } from "../judge/judge.js";
import type { ConfigRole, JudgementRecord, PairwiseRecord } from "../schema/run-log.js";

function errorMessage(error: unknown): string {
  return error instanceof Error ? error.message : String(error);
}

/**
 * Run one judge task; a judge that throws is recorded as a judge error for that unit. A RunError
 * (cost limit, replay-only miss) stops the run instead.
 */
export async function judged<T extends JudgementRecord["task"]>(
  judge: Judge,
  task: T,
  base: { role: ConfigRole; conversation_id: string; repeat?: number },
  run: () => Promise<Extract<JudgementRecord, { task: T }>["items"]>,
): Promise<JudgementRecord> {
  try {
    return { kind: "judgement", task, judge: judge.id, ...base, items: await run() } as JudgementRecord;
  } catch (error) {
    if (error instanceof RunError) throw error;
    return {
      kind: "judgement",
      task,
      judge: judge.id,
      ...base,
      items: [],
      error: errorMessage(error),
    } as JudgementRecord;
  }
}

/** Both configs' candidates compared; a judge failure is recorded for that conversation. */
export async function judgedPairwise(judge: Judge, input: PairwiseInput): Promise<PairwiseRecord> {
  const base = { kind: "pairwise" as const, conversation_id: input.conversation.id, judge: judge.id };
  try {
    return { ...base, verdict: await judge.pairwise!(input) };
  } catch (error) {
    if (error instanceof RunError) throw error;
    return { ...base, error: errorMessage(error) };
  }
}

/**
 * Settle judge calls that went out together and return their records in the order given (a record
 * that finished is kept even if another call stopped the run): `throwStop` rethrows that stop after
 * the caller logged them.
 */
export async function settledRecords<R>(
  calls: Array<Promise<R> | undefined>,
): Promise<{ records: R[]; throwStop: () => void }> {
  const settled = await Promise.allSettled(calls);
  const records = settled.flatMap((outcome) =>
    outcome.status === "fulfilled" && outcome.value !== undefined ? [outcome.value] : [],
  );
  const stop = settled.find((outcome) => outcome.status === "rejected");
  return {
    records,
    throwStop: () => {
      if (stop) throw stop.reason;
    },
  };
}
