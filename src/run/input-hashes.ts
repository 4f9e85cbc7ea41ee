import { createHash, type Hash } from "node:crypto";
import { closeSync, openSync, readdirSync, readSync, statSync } from "node:fs";
import { dirname, join, resolve } from "node:path";
import type { RunPlan } from "./plan.js";

/** Feed a file's bytes to a hash in chunks: a file of any size, in constant memory. */
function hashFile(hash: Hash, path: string): void {
  const fd = openSync(path, "r");
  try {
    const chunk = Buffer.allocUnsafe(1 << 20);
    for (let read = readSync(fd, chunk); read > 0; read = readSync(fd, chunk)) hash.update(chunk.subarray(0, read));
  } finally {
    closeSync(fd);
  }
}

/** SHA-256 of a file's bytes, or of a folder's files (names and contents, in name order). */
export function hashPath(path: string): string {
  const hash = createHash("sha256");
  if (statSync(path).isDirectory()) {
    for (const name of readdirSync(path).sort()) {
      const child = join(path, name);
      if (!statSync(child).isFile()) continue;
      hash.update(name).update("\u0000");
      hashFile(hash, child);
      hash.update("\u0000");
    }
  } else {
    hashFile(hash, path);
  }
  return hash.digest("hex");
}

/**
 * Content hashes of everything a run reads: both extractor configs (and a replay file they name), the
 * dataset, the golden set and the labels. A resumed run refuses inputs that changed since it started.
 */
export function inputHashes(plan: RunPlan): Record<string, string> {
  const hashes: Record<string, string> = {
    baseline: hashPath(plan.configs.baseline.path),
    candidate: hashPath(plan.configs.candidate.path),
    dataset: hashPath(plan.paths.dataset),
    golden: hashPath(plan.paths.golden),
  };
  for (const role of ["baseline", "candidate"] as const) {
    const { path, config } = plan.configs[role];
    if (config.extractor.provider === "replay")
      hashes[`${role}_replay`] = hashPath(resolve(dirname(path), config.extractor.path));
  }
  if (plan.paths.labels) hashes.labels = hashPath(plan.paths.labels);
  return hashes;
}
