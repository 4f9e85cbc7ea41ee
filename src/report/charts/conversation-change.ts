import type { ConversationChange } from "../conversation-changes.js";
import { chartBase, GAIN, LOSS, type VegaLiteSpec } from "./theme.js";

export const CHART_CONVERSATIONS = 20;

/**
 * The measures shown per conversation, and which way is better by the judge: more golden memories
 * covered and more useful candidates are better, more candidates the judge did not find useful are
 * worse. A bar's colour says better or worse, never merely more or fewer.
 */
const MEASURES = [
  { name: "golden memories covered", delta: (c: ConversationChange) => c.coveredDelta, higherIsBetter: true },
  { name: "useful candidates", delta: (c: ConversationChange) => c.usefulDelta, higherIsBetter: true },
  {
    name: "candidates not useful",
    delta: (c: ConversationChange) => c.candidatesDelta - c.usefulDelta,
    higherIsBetter: false,
  },
] as const;

/** The conversations that moved most, candidate − baseline, coloured by whether the judge says the change is better or worse. */
export function conversationChangeSpec(changes: ConversationChange[]): VegaLiteSpec | null {
  const top = changes.slice(0, CHART_CONVERSATIONS).filter((c) => MEASURES.some((m) => m.delta(c) !== 0));
  if (top.length === 0) return null;
  const order = top.map((c) => c.result.conversation_id);
  const values = top.flatMap((c) =>
    MEASURES.map((m) => {
      const delta = m.delta(c);
      return {
        conversation: c.result.conversation_id,
        measure: m.name,
        delta,
        verdict: delta === 0 ? "same" : delta > 0 === m.higherIsBetter ? "better" : "worse",
      };
    }),
  );
  return {
    ...chartBase(
      `Largest per-conversation changes (top ${top.length})`,
      "Candidate minus baseline, per conversation: green is better by the judge, red is worse",
    ),
    data: { values },
    facet: { column: { field: "measure", type: "nominal", sort: MEASURES.map((m) => m.name), title: null } },
    resolve: { scale: { x: "independent" } },
    spec: {
      width: 170,
      height: { step: 13 },
      mark: { type: "bar", cornerRadiusEnd: 2 },
      encoding: {
        y: { field: "conversation", type: "nominal", sort: order, title: null },
        x: { field: "delta", type: "quantitative", title: "candidate − baseline", axis: { tickMinStep: 1 } },
        color: {
          field: "verdict",
          type: "nominal",
          scale: { domain: ["better", "worse", "same"], range: [GAIN, LOSS, "#94a3b8"] },
          legend: null,
        },
      },
    },
  };
}
