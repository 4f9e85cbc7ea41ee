import type { ConversationChange } from "../conversation-changes.js";
import { chartBase, GAIN, LOSS, type VegaLiteSpec } from "./theme.js";

export const CHART_CONVERSATIONS = 20;

/** The conversations that moved most: change in golden memories covered and in candidates, candidate − baseline. */
export function conversationChangeSpec(changes: ConversationChange[]): VegaLiteSpec | null {
  const top = changes.slice(0, CHART_CONVERSATIONS).filter((c) => c.coveredDelta !== 0 || c.candidatesDelta !== 0);
  if (top.length === 0) return null;
  const order = top.map((c) => c.result.conversation_id);
  const values = top.flatMap((c) => [
    { conversation: c.result.conversation_id, measure: "golden memories covered", delta: c.coveredDelta },
    { conversation: c.result.conversation_id, measure: "candidates extracted", delta: c.candidatesDelta },
  ]);
  return {
    ...chartBase(`Largest per-conversation changes (top ${top.length})`, "Candidate minus baseline, per conversation"),
    data: { values },
    transform: [{ calculate: "datum.delta >= 0 ? 'gain' : 'loss'", as: "direction" }],
    facet: { column: { field: "measure", type: "nominal", sort: ["golden memories covered", "candidates extracted"], title: null } },
    resolve: { scale: { x: "independent" } },
    spec: {
      width: 230,
      height: { step: 13 },
      mark: { type: "bar", cornerRadiusEnd: 2 },
      encoding: {
        y: { field: "conversation", type: "nominal", sort: order, title: null },
        x: { field: "delta", type: "quantitative", title: "candidate − baseline", axis: { tickMinStep: 1 } },
        color: { field: "direction", type: "nominal", scale: { domain: ["gain", "loss"], range: [GAIN, LOSS] }, legend: null },
      },
    },
  };
}
