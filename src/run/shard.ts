import { createHash } from "node:crypto";
import { UsageError } from "../errors.js";
import { ConversationSet, type ConversationEntry } from "../load/load-inputs.js";
import type { Shard, ShardRule } from "../schema/run-log.js";
import type { RunPlan } from "./plan.js";

/** A shard as the command line writes it: `2/3`. */
export function formatShard(shard: Shard): string {
  return `${shard.index}/${shard.count}`;
}

/** Check a shard given to the library: whole numbers with 1 ≤ index ≤ count (its rule, when given, kept). */
export function checkShard(shard: Shard): Shard {
  const { index, count } = shard;
  if (!Number.isInteger(count) || count < 1)
    throw new UsageError(`a shard count must be a whole number from 1 up, got ${String(count)}`);
  if (!Number.isInteger(index) || index < 1 || index > count) {
    throw new UsageError(`a shard index must be a whole number from 1 to the count (${count}), got ${String(index)}`);
  }
  return { index, count, ...(shard.by ? { by: shard.by } : {}) };
}

/** The rule a shard was split by: a log without one was split by conversation (the only rule then). */
export function shardRule(shard: Shard): ShardRule {
  return shard.by ?? "conversation";
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
 * The shard (1-based, of `count`) of a key (a conversation's id, or its scope's namespace): the first
 * 8 hex digits of SHA-256 of the key as an integer, mod `count`. It depends on the key alone, so it is
 * stable when the dataset's lines are reordered and when conversations are added or removed.
 */
export function shardOfConversation(id: string, count: number): number {
  const head = createHash("sha256").update(id, "utf8").digest("hex").slice(0, 8);
  return (Number.parseInt(head, 16) % count) + 1;
}

/**
 * The shard of a conversation under a rule: by `scope`, the shard of its scope's namespace (every
 * conversation of a scope in one shard); by `conversation`, the shard of its own id.
 */
export function shardOfEntry(entry: Pick<ConversationEntry, "id" | "namespace">, count: number, by: ShardRule): number {
  return shardOfConversation(by === "scope" ? entry.namespace : entry.id, count);
}

/**
 * Narrow a plan to one shard: its conversations (each keeps its position in the whole dataset, which
 * its dry-run records carry, so a merge lists them in the dataset's order) and their golden memories.
 * Inputs were validated whole first. Human labels are kept whole, as the merged run has them. A new
 * shard is split by scope when the retrieval simulation runs, which needs each scope's conversations
 * together, and by conversation otherwise (more even shards); a resumed one keeps the rule it logged.
 */
export function applyShard(plan: RunPlan, shard: Shard): RunPlan {
  const { index, count, by: given } = checkShard(shard);
  const by: ShardRule = given ?? (plan.bench.retrieval.enabled ? "scope" : "conversation");
  const entries = plan.conversations.entries.filter((entry) => shardOfEntry(entry, count, by) === index);
  // The narrowed sets read the files again through their own handles.
  plan.conversations.files.close();
  plan.golden.files.close();
  plan.conversations = new ConversationSet(entries);
  plan.golden = plan.golden.only(new Set(entries.map((entry) => entry.id)));
  plan.shard = { index, count, by };
  if (plan.bench.retrieval.enabled && by !== "scope") {
    plan.warnings.push(
      "this shard was split by conversation, so it holds part of most scopes: the retrieval simulation does not run in it, and the merged report has no retrieval section; run the shards again to measure it",
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
