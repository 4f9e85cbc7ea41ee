import { readdirSync, readFileSync } from "node:fs";
import { dirname, join, relative, resolve } from "node:path";
import { describe, expect, it } from "vitest";
import { REPO } from "./cli/helpers.js";

/**
 * The code flows one way: each folder of src/ may import its own files and folders of a lower layer,
 * never one of its own layer or above. The files at the top of src/ (errors, package root, version)
 * are below everything; src/index.ts, the library's public face, may import anything.
 */
export const LAYERS: Record<string, number> = {
  "": 0,
  files: 1,
  text: 1,
  schema: 1,
  load: 2,
  providers: 2,
  extract: 3,
  judge: 4,
  metrics: 5,
  retrieval: 6,
  recommend: 7,
  report: 8,
  run: 9,
  golden: 9,
  cli: 10,
};

const SRC = join(REPO, "src");
const IMPORT = /(?:^|[\s;])(?:import|export)\s[^"';]*?from\s*["']([^"']+)["']|import\(\s*["']([^"']+)["']\s*\)/g;

function sourceFiles(dir: string): string[] {
  return readdirSync(dir, { withFileTypes: true }).flatMap((entry) => {
    const path = join(dir, entry.name);
    if (entry.isDirectory()) return sourceFiles(path);
    return entry.name.endsWith(".ts") ? [path] : [];
  });
}

/** The top folder of src/ a file sits in ("" for the files at the top). */
const folderOf = (file: string) => {
  const parts = relative(SRC, file).split("/");
  return parts.length > 1 ? parts[0]! : "";
};

/** Every relative import of each source file, resolved to the .ts file it names; `types`: type-only imports apart. */
export function importGraph(files = sourceFiles(SRC), types: "with" | "without" = "with"): Map<string, string[]> {
  return new Map(
    files.map((file) => {
      const text = readFileSync(file, "utf8");
      const targets = [...text.matchAll(IMPORT)]
        .filter((m) => types === "with" || !/^\s*import\s+type\s/.test(m[0].replace(/^;/, "")))
        .map((m) => m[1] ?? m[2]!)
        .filter((spec) => spec.startsWith("."))
        .map((spec) => resolve(dirname(file), spec).replace(/\.js$/, ".ts"));
      return [file, targets];
    }),
  );
}

/** Imports that go sideways or up: "from → to" for each. */
export function upwardImports(graph: Map<string, string[]>, layers = LAYERS): string[] {
  const found: string[] = [];
  for (const [file, targets] of graph) {
    if (file === join(SRC, "index.ts")) continue;
    const from = folderOf(file);
    for (const target of targets) {
      const to = folderOf(target);
      if (from === to) continue;
      const [a, b] = [layers[from], layers[to]];
      if (a === undefined || b === undefined || b >= a) found.push(`${relative(SRC, file)} → ${relative(SRC, target)}`);
    }
  }
  return found;
}

/** One import cycle among the files, as the files around it, or undefined. */
function findCycle(graph: Map<string, string[]>): string[] | undefined {
  const state = new Map<string, "open" | "done">();
  const stack: string[] = [];
  const visit = (file: string): string[] | undefined => {
    if (state.get(file) === "done") return undefined;
    if (state.get(file) === "open") return stack.slice(stack.indexOf(file)).concat(file);
    state.set(file, "open");
    stack.push(file);
    for (const target of graph.get(file) ?? []) {
      const cycle = visit(target);
      if (cycle) return cycle;
    }
    stack.pop();
    state.set(file, "done");
    return undefined;
  };
  for (const file of graph.keys()) {
    const cycle = visit(file);
    if (cycle) return cycle.map((f) => relative(SRC, f));
  }
  return undefined;
}

describe("the architecture", () => {
  const graph = importGraph();

  it("reads the imports of every source file", () => {
    expect(graph.size).toBeGreaterThan(100);
    expect(graph.get(join(SRC, "run/run-bench.ts"))).toContain(join(SRC, "errors.ts"));
  });

  it("names a layer for every folder of src/", () => {
    const folders = new Set([...graph.keys()].map(folderOf));
    expect([...folders].filter((folder) => LAYERS[folder] === undefined)).toEqual([]);
  });

  it("has no import that goes sideways or up a layer", () => {
    expect(upwardImports(graph)).toEqual([]);
  });

  it("finds an upward import when there is one, a static, a re-export or a dynamic one", () => {
    const file = (path: string) => join(SRC, path);
    const fake = new Map([
      [file("schema/a.ts"), [file("run/run-bench.ts")]],
      [file("text/b.ts"), [file("text/c.ts")]],
      [file("golden/d.ts"), [file("run/write-outputs.ts")]],
    ]);
    expect(upwardImports(fake)).toEqual(["schema/a.ts → run/run-bench.ts", "golden/d.ts → run/write-outputs.ts"]);
    const parsed = [
      `import { x } from "../run/a.js";`,
      `export { y } from "../run/b.js";`,
      `const z = await import("../run/c.js");`,
      `import type {\n  W,\n} from "../run/d.js";`,
    ].join("\n");
    const specs = [...parsed.matchAll(IMPORT)].map((m) => m[1] ?? m[2]);
    expect(specs).toEqual(["../run/a.js", "../run/b.js", "../run/c.js", "../run/d.js"]);
  });

  it("has no import cycle between files at run time (an import of types only is erased)", () => {
    expect(findCycle(importGraph(undefined, "without"))).toBeUndefined();
    const file = (path: string) => join(SRC, path);
    const looped = new Map([
      [file("text/a.ts"), [file("text/b.ts")]],
      [file("text/b.ts"), [file("text/c.ts")]],
      [file("text/c.ts"), [file("text/a.ts")]],
    ]);
    expect(findCycle(looped)).toEqual(["text/a.ts", "text/b.ts", "text/c.ts", "text/a.ts"]);
  });

  it("keeps schema/ free of I/O: no file-system, process or network module", () => {
    const io = /from\s+["']node:(fs|fs\/promises|child_process|http|https|net)["']/;
    const offenders = [...graph.keys()].filter(
      (file) => folderOf(file) === "schema" && io.test(readFileSync(file, "utf8")),
    );
    expect(offenders.map((f) => relative(SRC, f))).toEqual([]);
  });
});
