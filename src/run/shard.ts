import { createHash } from "node:crypto";
import { UsageError } from "../errors.js";
import { ConversationSet } from "../load/load-inputs.js";
import type { Shard } from "../schema/run-log.js";
import type { RunPlan } from "./plan.js";

/** A shard as the command line writes it: `2/3`. */
export function formatShard(shard: Shard): string {
  return `${shard.index}/${shard.count}`;
}

/** Check a shard given to the library: whole numbers with 1 ≤ index ≤ count. */
export function checkShard(shard: Shard): Shard {
  const { index, count } = shard;
  if (!Number.isInteger(count) || count < 1)
    throw new UsageError(`a shard count must be a whole number from 1 up, got ${String(count)}`);
  if (!Number.isInteger(index) || index < 1 || index > count) {
    throw new UsageError(`a shard index must be a whole number from 1 to the count (${count}), got ${String(index)}`);
  }
  return { index, count };
}

/** `--shard i/n`, 1-based: `--shard 2/3` is the second of three shards. */
export function parseShard(text: string): Shard {
  const match = /^\s*(\d+)\s*\/\s*(\d+)\s*$/.exec(text);
  const usage = `--shard expects i/n with whole numbers 1 ≤ i ≤ n (e.g. --shard 2/3), got "${text}"`;
  if (!match) throw new UsageError(usage);
  const index = Number(match[1]);
  const count = Number(match[2]);
  if (count < 1 || index < 1 || index > count) throw new UsageError(usage);
  return { index, count };
}

/**
 * The shard (1-based, of `count`) a conversation belongs to: the first 8 hex digits of SHA-256 of its
 * id as an integer, mod `count`. It depends on the id alone, so it is stable when the dataset's lines
 * are reordered and when conversations are added or removed.
 */
export function shardOfConversation(id: string, count: number): number {
  const head = createHash("sha256").update(id, "utf8").digest("hex").slice(0, 8);
  return (Number.parseInt(head, 16) % count) + 1;
}

/**
 * Narrow a plan to one shard: its conversations (each keeps its position in the whole dataset, which
 * its dry-run records carry, so a merge lists them in the dataset's order) and their golden memories.
 * Inputs were validated whole first. Human labels are kept whole, as the merged run has them.
 */
export function applyShard(plan: RunPlan, shard: Shard): RunPlan {
  const { index, count } = checkShard(shard);
  const entries = plan.conversations.entries.filter((entry) => shardOfConversation(entry.id, count) === index);
  // The narrowed sets read the files again through their own handles.
  plan.conversations.files.close();
  plan.golden.files.close();
  plan.conversations = new ConversationSet(entries);
  plan.golden = plan.golden.only(new Set(entries.map((entry) => entry.id)));
  plan.shard = { index, count };
  if (plan.bench.retrieval.enabled) {
    plan.warnings.push(
      "the retrieval simulation does not run in a sharded run (it needs each scope's conversations together): the merged report has no retrieval section; run unsharded to measure it",
    );
  }
  return plan;
}

/**
 * The shard a resumed run keeps: the one its log names. `--shard` given with `--resume` must name the
 * same one; a run that was not sharded cannot be resumed as a shard.
 */
export function checkResumedShard(where: string, logged: Shard | undefined, requested: Shard | undefined): void {
  if (!requested) return;
  if (!logged)
    throw new UsageError(
      `cannot resume ${where} as shard ${formatShard(requested)}: it is not a sharded run; leave out --shard`,
    );
  if (logged.index !== requested.index || logged.count !== requested.count) {
    throw new UsageError(
      `cannot resume ${where} as shard ${formatShard(requested)}: it is shard ${formatShard(logged)}; leave out --shard or pass --shard ${formatShard(logged)}`,
    );
  }
}
