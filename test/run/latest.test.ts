import { lstatSync, mkdirSync, readFileSync, readlinkSync, writeFileSync } from "node:fs";
import { join } from "node:path";
import { describe, expect, it, vi } from "vitest";
import { tempDir } from "../cli/helpers.js";

const symlinks = vi.hoisted(() => ({ refuse: false }));

vi.mock("node:fs", async (importOriginal) => {
  const fs = await importOriginal<typeof import("node:fs")>();
  return {
    ...fs,
    symlinkSync: (...args: Parameters<typeof fs.symlinkSync>) => {
      if (symlinks.refuse) throw Object.assign(new Error("EPERM: operation not permitted, symlink"), { code: "EPERM" });
      return fs.symlinkSync(...args);
    },
  };
});

const { pointLatest } = await import("../../src/run/write-outputs.js");

function runFolder(parent: string, name: string): string {
  const dir = join(parent, name);
  mkdirSync(dir, { recursive: true });
  return dir;
}

describe("reports/latest", () => {
  it("is a relative symlink to the newest run, replaced run after run", () => {
    symlinks.refuse = false;
    const reports = tempDir();
    pointLatest(runFolder(reports, "20260101-000000-aaaaaa"));
    pointLatest(runFolder(reports, "20260102-000000-bbbbbb"));
    expect(lstatSync(join(reports, "latest")).isSymbolicLink()).toBe(true);
    expect(readlinkSync(join(reports, "latest"))).toBe("20260102-000000-bbbbbb");
  });

  it("falls back to a small file naming the run where symlinks cannot be made", () => {
    const reports = tempDir();
    symlinks.refuse = false;
    pointLatest(runFolder(reports, "20260101-000000-aaaaaa"));
    symlinks.refuse = true;
    pointLatest(runFolder(reports, "20260102-000000-bbbbbb"));
    expect(lstatSync(join(reports, "latest")).isFile()).toBe(true);
    expect(readFileSync(join(reports, "latest"), "utf8")).toBe("20260102-000000-bbbbbb\n");
    writeFileSync(join(reports, "unrelated"), "");
    pointLatest(runFolder(reports, "20260103-000000-cccccc"));
    expect(readFileSync(join(reports, "latest"), "utf8")).toBe("20260103-000000-cccccc\n");
  });
});
