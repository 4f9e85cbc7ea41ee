import { intervalAgainstLimit } from "../metrics/sample-size.js";
import { negate } from "./gate-checks.js";
import type { RetrievalReport } from "../schema/retrieval-report.js";
import type { StrategyReading } from "../schema/retrieval-verdict.js";

/** One strategy's drop in answerable share against the better pure store (for `reextract`: against the baseline), read against the margin. */
export function readStrategy(
  retrieval: RetrievalReport,
  strategy: StrategyReading["strategy"],
  margin: number,
  price: number | null,
): StrategyReading {
  const find = (name: string) => retrieval.strategies.find((s) => s.strategy === name);
  const baseline = find("baseline")?.answerable.value ?? null;
  const reextract = find("reextract")?.answerable.value ?? null;
  const against =
    strategy !== "reextract" && reextract !== null && baseline !== null && reextract > baseline
      ? "reextract"
      : "baseline";
  const measured = find(strategy)?.[against === "baseline" ? "vs_baseline" : "vs_reextract"].answerable;
  if (!measured || measured.value === null || measured.ci === null)
    return { strategy, against, drop: null, interval: null, reading: "not_measured", price_usd: price };
  const drop = -measured.value;
  const interval = negate(measured.ci)!;
  const where = intervalAgainstLimit(interval, margin);
  return {
    strategy,
    against,
    drop,
    interval,
    reading: where === "within" ? "safe" : where === "beyond" ? "broken" : "inconclusive",
    price_usd: price,
  };
}
