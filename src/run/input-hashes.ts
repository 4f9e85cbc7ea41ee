import { createHash } from "node:crypto";
import { readdirSync, readFileSync, statSync } from "node:fs";
import { dirname, join, resolve } from "node:path";
import type { RunPlan } from "./plan.js";

/** SHA-256 of a file's bytes, or of a folder's files (names and contents, in name order). */
export function hashPath(path: string): string {
  const hash = createHash("sha256");
  if (statSync(path).isDirectory()) {
    for (const name of readdirSync(path).sort()) {
      const child = join(path, name);
      if (!statSync(child).isFile()) continue;
      hash.update(name).update("\u0000").update(readFileSync(child)).update("\u0000");
    }
  } else {
    hash.update(readFileSync(path));
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
    if (config.extractor.provider === "replay") hashes[`${role}_replay`] = hashPath(resolve(dirname(path), config.extractor.path));
  }
  if (plan.paths.labels) hashes.labels = hashPath(plan.paths.labels);
  return hashes;
}
