import type { ConversationEntry } from "../load/load-inputs.js";
import type { RunPhase } from "../schema/run-phase.js";
import { judgedPairwise } from "./judged.js";
import { timePhase } from "./run-records.js";
import type { RunSession } from "./run-session.js";

/** Both configs' candidates of each paired conversation compared by the judge, when it compares pairs. */
export async function runPairwisePhase(
  session: RunSession,
  paired: ConversationEntry[],
): Promise<RunPhase | undefined> {
  const { plan, units } = session;
  if (session.stopped() || !plan.judge.pairwise) return undefined;
  let done = 0;
  const pairwisePhase = timePhase("pairwise", paired.length);
  await session.scheduler.feed(paired, async (entry) => {
    if (!units.pairwise.has(entry.id)) {
      const conversation = plan.conversations.load(entry);
      session.append(
        await judgedPairwise(plan.judge, {
          conversation,
          baseline: session.candidatesOf("baseline", entry.id),
          candidate: session.candidatesOf("candidate", entry.id),
        }),
      );
    }
    session.progress("pairwise", ++done, paired.length);
  });
  return pairwisePhase();
}
