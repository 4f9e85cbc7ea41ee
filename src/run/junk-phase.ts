import type { JudgeInput } from "../judge/judge.js";
import type { ConversationEntry } from "../load/load-inputs.js";
import {
  drawJunkSample,
  firstJunkRoundSize,
  junkSampleOrder,
  nextJunkSampleSizeOf,
  type JunkSample,
} from "../metrics/junk-sample.js";
import { CONFIG_ROLES, type ConfigRole } from "../schema/run-log.js";
import type { RunPhase } from "../schema/run-phase.js";
import { judged, settledRecords } from "./judged.js";
import { keptDryRun, keptJudgement } from "./resume.js";
import { junkTexts, timePhase } from "./run-records.js";
import type { RunSession } from "./run-session.js";

/** One conversation of the junk sample: both configs judged (and the judge-noise repeat on the noise sample), unless kept. */
async function judgeJunkOf(
  session: RunSession,
  entry: ConversationEntry,
  sample: JunkSample,
  noiseSample: ReadonlySet<string>,
): Promise<void> {
  const { plan, resume } = session;
  const id = entry.id;
  const todo = CONFIG_ROLES.filter(
    (role) => !(keptDryRun(resume, role, id) && keptJudgement(resume, "junk", role, id)),
  );
  // The judge-noise repeat of junk, on the noise sample's conversations (cache bypassed, as for coverage and usefulness).
  const again = noiseSample.has(id)
    ? CONFIG_ROLES.filter((role) => resume?.units.judgementFailed("junk", role, id, 1) === undefined)
    : [];
  if (todo.length + again.length === 0) return;
  const { conversation, golden } = session.load(entry);
  // Both configs' junk calls go out together (the provider limits still apply), not one after the other;
  // their records are logged in config order, and one that finished is kept even if the other stopped the run.
  const calls = [...todo.map((role) => [role, 0] as const), ...again.map((role) => [role, 1] as const)].map(
    async ([role, repeat]) => {
      const base = { role, conversation_id: id, ...(repeat ? { repeat } : {}) };
      const input: JudgeInput = { conversation, golden, candidates: session.candidatesOf(role, id) };
      const record = await judged(plan.judge, "junk", base, () =>
        plan.judge.junk(input, sample.get(id)![role], { repeat }),
      );
      if (record.task === "junk" && !record.error && !repeat) record.texts = junkTexts(record.items, input.candidates);
      return record;
    },
  );
  const { records, throwStop } = await settledRecords(calls);
  for (const record of records) session.append(record);
  throwStop();
}

/**
 * Junk, judged on the same seeded sample of conversations for both configs (a free judge judged every
 * one during the dry runs). The sample grows in rounds while the junk check is inconclusive
 * (nextJunkSampleSizeOf), within what the cost limit leaves; a shard keeps its first round. The growth
 * no verdict can change is drawn with the first round (firstJunkRoundSize).
 */
export async function runJunkPhase(
  session: RunSession,
  paired: ConversationEntry[],
  noiseSample: ReadonlySet<string>,
): Promise<RunPhase | undefined> {
  const { plan, units } = session;
  if (session.stopped() || plan.judge.free === true) return undefined;
  const junkPhase = timePhase("junk", 0);
  const counts = Object.fromEntries(
    CONFIG_ROLES.map((role) => [
      role,
      new Map(paired.map((entry) => [entry.id, units.dryRun(role, entry.id)!.candidates])),
    ]),
  ) as Record<ConfigRole, Map<string, number>>;
  const order = junkSampleOrder(
    paired.map((e) => e.id),
    plan.bench.seed,
  );
  const limit = plan.models?.options.maxCostUsd;
  let size =
    plan.shard || limit !== undefined ? plan.bench.junk_sample_size : firstJunkRoundSize(order, counts, plan.bench);
  const judgedIds = new Set<string>();
  let total = 0;
  let done = 0;
  const rounds: number[] = [];
  for (;;) {
    const sample = drawJunkSample(order, counts, size);
    const drawn = paired.filter((entry) => sample.has(entry.id) && !judgedIds.has(entry.id));
    total += drawn.length * CONFIG_ROLES.length;
    if (drawn.length > 0) rounds.push(drawn.length * CONFIG_ROLES.length);
    const spentBefore = plan.models?.spent ?? 0;
    await session.scheduler.feed(drawn, async (entry) => {
      await judgeJunkOf(session, entry, sample, noiseSample);
      done += CONFIG_ROLES.length;
      session.progress("junk", done, total);
    });
    for (const entry of drawn) judgedIds.add(entry.id);
    if (plan.shard || session.stopped() || drawn.length === 0) break;
    const candidatesJudged = drawn.reduce(
      (sum, entry) => sum + CONFIG_ROLES.reduce((n, role) => n + sample.get(entry.id)![role].length, 0),
      0,
    );
    const spend =
      limit !== undefined && plan.models && candidatesJudged > 0
        ? {
            remainingUsd: limit - plan.models.spent,
            usdPerCandidate: (plan.models.spent - spentBefore) / candidatesJudged,
          }
        : undefined;
    const next = nextJunkSampleSizeOf(
      session.fold,
      plan.bench,
      { size, exhausted: judgedIds.size === paired.length },
      spend,
    );
    if (next === undefined) break;
    size = next;
  }
  return { ...junkPhase(), units: total, ...(rounds.length > 1 ? { rounds } : {}) };
}
