import { closeSync, existsSync, openSync } from "node:fs";
import { normalize, resolve, sep } from "node:path";
import { isDeepStrictEqual } from "node:util";
import { UsageError } from "../errors.js";
import { indexConversations, indexGolden, type ConversationEntry } from "../load/load-inputs.js";
import { suggestedNormalization } from "../retrieval/normalization.js";
import { loadQueryFile } from "../retrieval/queries.js";
import { STRATEGIES, type RetrievalRecord, type Strategy } from "../schema/retrieval-record.js";
import type { Retriever } from "../schema/retrieval-store.js";
import type { ConfigRole, RunLogRecord, RunStart } from "../schema/run-log.js";
import { displayPath } from "../text/display-path.js";
import type { ShardLog } from "./check-shards.js";
import { hashPath } from "./input-hashes.js";
import { SpanReader, type BulkWriter } from "./log-spans.js";
import { UnitIndex } from "./unit-index.js";
import {
  byScope,
  planRetriever,
  simulateLoggedScope,
  type RetrievalPlan,
  type ScopeInput,
  type SuggestedNormalization,
} from "./retrieval-phase.js";
import type { RunFold } from "./run-fold.js";
import { decodeRecordLine, encodeRecord, readRecordAt, scanRunLog, type RecordAt } from "./run-log.js";

/** The strategies the normalization changes, and the baseline, whose answers decide which queries it broke. */
const RENORMALIZED = new Set<Strategy>(["baseline", "coexist_normalized"]);
const NORMALIZED_RANK = STRATEGIES.indexOf("coexist_normalized");

/** A shard's retrieval record, held by its place until the whole run's normalization is known. */
interface HeldScope {
  shard: ShardLog;
  at: RecordAt;
  scope: string;
  normalization: RetrievalRecord["normalization"];
}

/**
 * Whether two normalizations map every predicate alike and scale alike: the order the mappings are
 * listed in (by how many memories each reconciles, which differs from shard to shard) changes nothing measured.
 */
function sameEffect(a: RetrievalRecord["normalization"], b: RetrievalRecord["normalization"]): boolean {
  const byFrom = (n: RetrievalRecord["normalization"]) =>
    [...n.mappings].sort((x, y) => (x.from < y.from ? -1 : x.from > y.from ? 1 : 0));
  return a.factor === b.factor && isDeepStrictEqual(byFrom(a), byFrom(b));
}

/** Where a failure message says it happened, in the order the simulation measures: a strategy's rank, the sweep last. */
function failureRank(failure: string): number {
  const rank = STRATEGIES.indexOf(failure.slice(0, failure.indexOf(": ")) as Strategy);
  return rank < 0 ? STRATEGIES.length : rank;
}

/**
 * A shard's record of a scope with `coexist_normalized` measured again under the whole run's
 * normalization (`measured`: the baseline and that strategy only): what one run of the whole dataset
 * records. Every other strategy, the sweep and their examples do not depend on the normalization.
 */
export function renormalized(shardRecord: RetrievalRecord, measured: RetrievalRecord): RetrievalRecord {
  const record = structuredClone(shardRecord);
  const strategy = "coexist_normalized";
  record.normalization = measured.normalization;
  if (measured.strategies[strategy]) record.strategies[strategy] = measured.strategies[strategy];
  if (measured.from_candidate[strategy] !== undefined)
    record.from_candidate[strategy] = measured.from_candidate[strategy];
  const rank = (s: Strategy) => STRATEGIES.indexOf(s);
  record.examples = [
    ...record.examples.filter((e) => e.strategy !== strategy),
    ...measured.examples.filter((e) => e.strategy === strategy),
  ].sort((a, b) => rank(a.strategy) - rank(b.strategy));
  // The first failed search, in the order the strategies are measured.
  const failures = [
    ...(record.failure !== undefined && failureRank(record.failure) !== NORMALIZED_RANK ? [record.failure] : []),
    ...(measured.failure !== undefined && failureRank(measured.failure) === NORMALIZED_RANK ? [measured.failure] : []),
  ].sort((a, b) => failureRank(a) - failureRank(b));
  if (failures[0] === undefined) delete record.failure;
  else record.failure = failures[0];
  return record;
}

/**
 * The bench file's folder of a run: its dataset path as the bench file wrote it, taken off the end of
 * the path the run resolved (relative to `cwd`); `cwd` when they do not line up (a flag's path).
 */
function benchFolder(start: RunStart, cwd: string): string {
  const resolved = resolve(cwd, start.dataset.path);
  const segments = normalize(start.bench.dataset)
    .split(sep)
    .filter((part) => part !== "" && part !== ".");
  if (segments.length === 0 || segments.includes("..")) return cwd;
  const folder = resolve(resolved, ...segments.map(() => ".."));
  return resolve(folder, start.bench.dataset) === resolved ? folder : cwd;
}

/** A run's input file, found where its log names it (relative to `cwd`) with the content it had. */
function sameInput(start: RunStart, what: "dataset" | "golden", cwd: string, why: string): string {
  const path = resolve(cwd, start[what].path);
  const fail = (problem: string) =>
    new UsageError(
      `${why}, which needs the run's ${what} as the shards read it: ${displayPath(path, cwd)} ${problem}; run merge in the folder the shards ran in, with the same inputs`,
    );
  if (!existsSync(path)) throw fail("does not exist");
  const expected = start.inputs?.[what];
  if (expected !== undefined && hashPath(path) !== expected) throw fail("changed since the shards ran");
  return path;
}

/** What simulating a run's scopes again reads: its inputs (checked against their content hashes) and its settings. */
function resimulationPlan(start: RunStart, cwd: string, why: string): RetrievalPlan {
  const datasetPath = sameInput(start, "dataset", cwd, why);
  const goldenPath = sameInput(start, "golden", cwd, why);
  const conversations = indexConversations(datasetPath);
  const baseDir = benchFolder(start, cwd);
  return {
    bench: start.bench,
    conversations,
    golden: indexGolden(goldenPath, conversations),
    ...(start.bench.queries
      ? { queries: loadQueryFile(resolve(baseDir, start.bench.queries), conversations, goldenPath) }
      : {}),
    baseDir,
    env: process.env,
  };
}

/**
 * Where a shard's dry runs and coverage verdicts sit in its log, found by reading it again: only a
 * shard with a scope to measure again pays for it, which most merges do not.
 */
function loggedUnits(logPath: string): UnitIndex {
  const units = new UnitIndex();
  const noted = (record: RunLogRecord, at: RecordAt) => {
    if (record.kind === "dry_run") units.note(record, at);
    else units.noteForRetrieval(record, at);
  };
  scanRunLog(logPath, noted, { trustOwnRecords: true });
  return units;
}

/** A shard's dry runs and coverage verdicts, read back by their place in its log. */
class ShardUnits implements ScopeInput {
  private fd: number | undefined;

  constructor(
    readonly plan: RetrievalPlan,
    private readonly path: string,
    readonly units: UnitIndex,
  ) {}

  candidatesOf(role: ConfigRole, id: string) {
    const logged = this.units.dryRun(role, id);
    const record = logged ? this.read(logged.at) : undefined;
    return record?.kind === "dry_run" ? record.result.candidates : [];
  }

  coverageOf(role: ConfigRole, id: string) {
    const at = this.units.coverageAt(role, id);
    const record = at ? this.read(at) : undefined;
    return record?.kind === "judgement" && record.task === "coverage" ? record.items : [];
  }

  private read(at: RecordAt): RunLogRecord {
    this.fd ??= openSync(this.path, "r");
    return readRecordAt(this.fd, at, this.path);
  }

  close(): void {
    if (this.fd !== undefined) closeSync(this.fd);
  }
}

/**
 * The retrieval simulation of a merged run. Each shard split by scope simulated its own scopes with
 * the normalization its own totals suggested; the whole run's may differ. Records are held by their
 * place as the shards are read; once every shard is folded, the records whose normalization is the
 * whole run's are copied as written, and the others have `coexist_normalized` measured again, from the
 * dry runs and coverage verdicts in their shard's log (read again for them) and the run's inputs.
 */
export class MergedRetrieval {
  private readonly held: HeldScope[] = [];

  /** Note a record of `shard`'s log as it is read. True for a retrieval record, which is held rather than copied. */
  note(shard: ShardLog, record: RunLogRecord, at: RecordAt): boolean {
    if (record.kind !== "retrieval") return false;
    this.held.push({ shard, at, scope: record.scope, normalization: record.normalization });
    return true;
  }

  /**
   * Fold and write the held records, each as the whole run would have measured it. Returns the
   * milliseconds spent measuring scopes again (0 when every shard used the whole run's normalization).
   */
  async finish(fold: RunFold, start: RunStart, log: Pick<BulkWriter, "write">, cwd: string): Promise<number> {
    if (this.held.length === 0) return 0;
    const whole = suggestedNormalization(fold.sides, fold.pairs, start.bench.confidence_buckets);
    const wanted: RetrievalRecord["normalization"] = { mappings: whole.list, factor: whole.factor };
    const stale = this.held.filter((held) => !sameEffect(held.normalization, wanted));
    const started = performance.now();
    const again = stale.length > 0 ? await this.resimulation(start, cwd, stale.length) : undefined;
    let reader: SpanReader | undefined;
    try {
      for (const held of this.held) {
        if (reader?.path !== held.shard.logPath) {
          reader?.close();
          reader = new SpanReader(held.shard.logPath);
        }
        const bytes = reader.read(held.at);
        const record = decodeRecordLine(bytes.toString("utf8"), reader.path, held.at.offset);
        if (record.kind !== "retrieval" || isDeepStrictEqual(held.normalization, wanted)) {
          fold.add(record);
          log.write(bytes);
          log.write("\n");
          continue;
        }
        // The same normalization listed in another order: the measurements stand, the record names the whole run's.
        const merged = sameEffect(held.normalization, wanted)
          ? { ...record, normalization: wanted }
          : await again!.measure(held, whole).then((measured) => measured && renormalized(record, measured));
        if (!merged) continue;
        fold.add(merged);
        log.write(encodeRecord(merged));
      }
    } finally {
      reader?.close();
      await again?.close();
    }
    return again ? Math.round(performance.now() - started) : 0;
  }

  private async resimulation(start: RunStart, cwd: string, stale: number) {
    const why = `${stale} scope${stale === 1 ? "" : "s"} of the shards used a normalization other than the whole run's, so merge measures their coexist_normalized store again`;
    const plan = resimulationPlan(start, cwd, why);
    const scopes = byScope(plan.conversations.entries);
    const retriever: Retriever = await planRetriever(plan);
    const inputs = new Map<ShardLog, ShardUnits>();
    return {
      measure: (held: HeldScope, whole: SuggestedNormalization) => {
        let input = inputs.get(held.shard);
        if (!input) {
          input = new ShardUnits(plan, held.shard.logPath, loggedUnits(held.shard.logPath));
          inputs.set(held.shard, input);
        }
        const entries: readonly ConversationEntry[] = scopes.get(held.scope) ?? [];
        if (entries.length === 0) return Promise.resolve(undefined);
        return simulateLoggedScope(input, held.scope, entries, whole, retriever, RENORMALIZED);
      },
      close: async () => {
        for (const input of inputs.values()) input.close();
        plan.conversations.files.close();
        plan.golden.files.close();
        await retriever.close?.();
      },
    };
  }
}
