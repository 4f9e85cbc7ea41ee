import { spawnSync } from "node:child_process";
import { copyFileSync, existsSync, mkdirSync, readdirSync, readFileSync, writeFileSync } from "node:fs";
import { join } from "node:path";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { fakeModel } from "../support/fake-model.js";
import { startModelServer, type ModelServer } from "../support/model-server.js";
import { cli, REPO, tempDir } from "./helpers.js";

const ENV = { OPENAI_API_KEY: "fake.openai.key.cache-test" };

let server: ModelServer;
let dir: string;

function bench(cacheDir: string): string {
  const path = join(dir, `bench-${readdirSync(dir).length}.yaml`);
  writeFileSync(
    path,
    [
      "baseline: model.yaml",
      "candidate: model.yaml",
      "dataset: conversations.json",
      "golden: golden.jsonl",
      "cache:",
      `  dir: ${cacheDir}`,
      "",
    ].join("\n"),
  );
  return path;
}

beforeAll(async () => {
  server = await startModelServer((request) => fakeModel(request));
  dir = tempDir("eb-cache-run-");
  copyFileSync(join(REPO, "test/fixtures/good/conversations.json"), join(dir, "conversations.json"));
  copyFileSync(join(REPO, "test/fixtures/good/golden.jsonl"), join(dir, "golden.jsonl"));
  writeFileSync(
    join(dir, "model.yaml"),
    `name: gpt\nextractor:\n  provider: openai\n  model: gpt-4.1-mini\n  base_url: ${server.openaiUrl}\n  schema_version: 1\n`,
  );
});
afterAll(() => server.close());

/** Whether this machine lets the tests mount a read-only file system (root with the capability). */
function readOnlyMount(): string | undefined {
  if (process.platform !== "linux" || process.getuid?.() !== 0) return undefined;
  const mount = join(tempDir("eb-ro-"), "mnt");
  mkdirSync(mount);
  return spawnSync("mount", ["-t", "tmpfs", "-o", "ro,size=1m", "tmpfs", mount]).status === 0 ? mount : undefined;
}

describe("a cache the run cannot write", () => {
  it("is refused before the first model call, naming the cause", async () => {
    writeFileSync(join(dir, "a-file"), "");
    const before = server.requests.length + server.preflights.length;
    const run = await cli(["run", bench(join(dir, "a-file", "cache")), "--out", join(dir, "refused")], ENV);
    expect(run.code).toBe(3);
    expect(run.stderr).toContain(
      `the model answer cache ${join(dir, "a-file", "cache")} cannot be written: a file stands where a folder should be (ENOTDIR)`,
    );
    expect(run.stderr).toContain("--cache read-only");
    expect(server.requests.length + server.preflights.length).toBe(before);
  });

  const mount = readOnlyMount();
  it.runIf(mount !== undefined)(
    "is refused before the first model call on a read-only file system, said so",
    async () => {
      try {
        const before = server.requests.length + server.preflights.length;
        const run = await cli(["run", bench(join(mount!, "cache")), "--out", join(dir, "read-only")], ENV);
        expect(run.code).toBe(3);
        expect(run.stderr).toContain("cannot be written: it is on a read-only file system (EROFS)");
        expect(server.requests.length + server.preflights.length).toBe(before);
        // --cache read-only reads it and writes nothing: the run goes ahead.
        expect(
          (
            await cli(
              ["run", bench(join(mount!, "cache")), "--out", join(dir, "read-only-ok"), "--cache", "read-only"],
              ENV,
            )
          ).code,
        ).toBeLessThan(2);
      } finally {
        spawnSync("umount", [mount!]);
      }
    },
  );

  it("that fails mid-run is turned off with one warning, and the paid-for run finishes", async () => {
    const cache = join(dir, "breaks");
    let broken = false;
    server.setResponder((request) => {
      // After the first answer, every shard folder the cache could write to is taken by a file.
      if (!broken) {
        broken = true;
        mkdirSync(cache, { recursive: true });
        for (let i = 0; i < 256; i++) {
          const shard = join(cache, i.toString(16).padStart(2, "0"));
          if (!existsSync(shard)) writeFileSync(shard, "");
        }
      }
      return fakeModel(request);
    });
    try {
      const out = join(dir, "degraded");
      const run = await cli(["run", bench(cache), "--out", out], ENV);
      expect(run.code).toBe(1);
      expect(run.stderr.match(/warning: cannot write the model answer cache/g)).toHaveLength(1);
      expect(run.stderr).toContain("the run goes on with the cache off for writing");
      expect(JSON.parse(readFileSync(join(out, "report.json"), "utf8")).completeness.complete).toBe(true);
    } finally {
      server.setResponder((request) => fakeModel(request));
    }
  });
});
