/**
 * Every shell command and config snippet in README.md and docs/*.md, run or checked as written, so
 * the docs cannot rot. Fenced blocks say what they are:
 *
 * - ```sh                runs in a bash session per page, in a temporary copy of the repository, offline,
 *                        with `extractor-bench` the built dist/; each block must exit 0 (```sh exit=1: 1)
 * - ```sh serve          `golden review`: started, reviewed through the API calls its page makes, stopped
 * - ```sh no-run         needs a network, an API key or a global install: counted, not run
 * - ```yaml bench|extractor|thresholds|mapping   checked by the project's own loaders (a fragment of a
 *                        bench or extractor config gets the required keys it leaves out)
 * - ```yaml … file=NAME  also written to NAME in the session's folder, for the commands after it
 * - ```yaml workflow     a GitHub Actions workflow: parsed
 * - ```json llm-answer   checked against the extractor's answer schema
 * - ```text, ```ts no-run, ```json no-run   prose or library code, not run
 *
 * `npm` is a stand-in that works offline: `ci` checks that the dependencies are there, `run build`
 * checks that dist/ is built, `run <script>` runs package.json's script, `install -g .` leaves
 * `extractor-bench` (already on PATH) as it is, and `test` (this suite) is counted, not run.
 */
import { spawn, spawnSync } from "node:child_process";
import {
  chmodSync,
  cpSync,
  existsSync,
  mkdirSync,
  readdirSync,
  readFileSync,
  statSync,
  symlinkSync,
  writeFileSync,
} from "node:fs";
import { dirname, join, resolve } from "node:path";
import { parse as parseYamlText } from "yaml";
import { afterAll, describe, expect, it } from "vitest";
import { loadBenchConfig, loadExtractorConfig, loadYamlDocument } from "../../src/load/load-config.js";
import { loadThresholdsFile } from "../../src/load/load-thresholds.js";
import { ImportMappingSchema } from "../../src/schema/curation.js";
import { LlmAnswerSchema } from "../../src/schema/llm-answer.js";
import { REPO, tempDir } from "../cli/helpers.js";
import { docBlocks, pageAnchors, relativeLinks, type DocBlock } from "./doc-blocks.js";

const PAGES = [
  "README.md",
  ...readdirSync(join(REPO, "docs"))
    .filter((f) => f.endsWith(".md"))
    .sort()
    .map((f) => `docs/${f}`),
];
const TEXT = new Map(PAGES.map((page) => [page, readFileSync(join(REPO, page), "utf8")]));
const BLOCKS = new Map(PAGES.map((page) => [page, docBlocks(TEXT.get(page)!, page)]));
/** What the repository's copy for a session holds; dist and node_modules are linked, not copied. */
const COPIED = [
  "configs",
  "datasets",
  "golden",
  "examples",
  "schemas",
  "assets",
  "extractor-bench.yaml",
  "package.json",
  "package-lock.json",
];
const CONFIG_KINDS = ["bench", "extractor", "thresholds", "mapping", "workflow"];

const tally = { run: 0, served: 0, checked: 0, notRun: 0, npmTestNotRun: 0 };
afterAll(() => {
  console.log(
    `docs: ${tally.run} command blocks run, ${tally.served} served, ${tally.checked} snippets checked, ${tally.notRun} marked no-run, npm test not run ${tally.npmTestNotRun} time(s)`,
  );
});

const where = (block: DocBlock) => `${block.file}:${block.line}`;

function npmStandIn(): string {
  return `const { spawnSync } = require("node:child_process");
const { existsSync, readFileSync, appendFileSync } = require("node:fs");
const args = process.argv.slice(2);
const say = (text) => process.stderr.write("[docs test npm] " + text + "\\n");
const scripts = () => JSON.parse(readFileSync("package.json", "utf8")).scripts ?? {};
const need = (path, what) => { if (!existsSync(path)) { say(what); process.exit(1); } };
if (args[0] === "ci" || (args[0] === "install" && args.length === 1)) {
  need("package-lock.json", "no package-lock.json here"); need("node_modules", "no node_modules here");
  say("dependencies are installed (offline)"); process.exit(0);
}
if (args[0] === "install" && args[1] === "-g" && args[2] === ".") { need("package.json", "no package here"); say("extractor-bench is on PATH"); process.exit(0); }
if (args[0] === "test") { if (!scripts().test) { say("no test script"); process.exit(1); } appendFileSync(process.env.DOCS_NPM_LOG, "test\\n"); say("the test suite itself: not run here"); process.exit(0); }
if (args[0] === "run" && args[1] === "build") { need("dist/cli/bin.js", "dist/ is not built"); process.exit(0); }
if (args[0] === "run" && args[1]) {
  const script = scripts()[args[1]];
  if (!script) { say("no script " + args[1]); process.exit(1); }
  process.exit(spawnSync("bash", ["-c", script], { stdio: "inherit" }).status ?? 1);
}
say("npm " + args.join(" ") + ": not available offline in the docs test"); process.exit(127);
`;
}

interface Session {
  dir: string;
  cwd: string;
  env: NodeJS.ProcessEnv;
  npmLog: string;
}

function newSession(): Session {
  const dir = tempDir("eb-docs-");
  for (const entry of COPIED) cpSync(join(REPO, entry), join(dir, entry), { recursive: true });
  symlinkSync(join(REPO, "dist"), join(dir, "dist"));
  symlinkSync(join(REPO, "node_modules"), join(dir, "node_modules"));
  const bin = join(dir, ".docs-bin");
  mkdirSync(bin);
  writeFileSync(
    join(bin, "extractor-bench"),
    `#!/bin/sh\nexec node ${JSON.stringify(join(REPO, "dist/cli/bin.js"))} "$@"\n`,
  );
  // CommonJS by its extension: the copy's package.json makes .js files ES modules.
  writeFileSync(join(bin, "npm.cjs"), npmStandIn());
  writeFileSync(join(bin, "npm"), `#!/bin/sh\nexec node ${JSON.stringify(join(bin, "npm.cjs"))} "$@"\n`);
  chmodSync(join(bin, "extractor-bench"), 0o755);
  chmodSync(join(bin, "npm"), 0o755);
  const npmLog = join(dir, ".docs-npm.log");
  writeFileSync(npmLog, "");
  const env: NodeJS.ProcessEnv = {
    PATH: `${bin}:${process.env.PATH}`,
    HOME: dir,
    CI: "true",
    NO_COLOR: "1",
    DOCS_NPM_LOG: npmLog,
    LANG: "C.UTF-8",
  };
  return { dir, cwd: dir, env, npmLog };
}

/** Run one shell block where the previous one left off; returns its exit code and output. */
function runShell(session: Session, block: DocBlock): { code: number; output: string } {
  const cwdFile = join(session.dir, ".docs-cwd");
  const strict = block.attrs.exit === undefined ? "set -e\n" : "";
  const script = `cd ${JSON.stringify(session.cwd)}\n${strict}${block.text}\ncode=$?\npwd > ${JSON.stringify(cwdFile)}\nexit $code\n`;
  const result = spawnSync("bash", ["-o", "pipefail", "-c", script], {
    env: session.env,
    encoding: "utf8",
    timeout: 180_000,
  });
  if (existsSync(cwdFile)) session.cwd = readFileSync(cwdFile, "utf8").trim();
  return { code: result.status ?? -1, output: `${result.stdout}${result.stderr}` };
}

async function api(url: string, path: string, body?: unknown): Promise<any> {
  const response = await fetch(
    new URL(path, url),
    body === undefined
      ? {}
      : { method: "POST", headers: { "content-type": "application/json" }, body: JSON.stringify(body) },
  );
  const value = await response.json();
  if (!response.ok) throw new Error(`${path}: ${response.status} ${JSON.stringify(value)}`);
  return value;
}

/**
 * A reviewer's pass through the review page's API: fill each golden memory's fields from a proposal
 * citing the same turns, accept the proposals that cite turns no golden memory cites, rate the rest.
 */
async function review(url: string): Promise<{ filled: number; accepted: number; rated: number }> {
  let state = await api(url, "api/state");
  const done = { filled: 0, accepted: 0, rated: 0 };
  const overlaps = (a: string[], b: string[]) => a.some((turn) => b.includes(turn));
  for (const memory of [...state.golden]) {
    const source = state.proposals.find(
      (p: any) =>
        p.conversation_id === memory.conversation_id &&
        overlaps(p.evidence, memory.evidence) &&
        p.type &&
        p.subject &&
        p.predicate,
    );
    if (memory.type || !source) continue;
    const fields = {
      type: source.type,
      subject: source.subject,
      predicate: source.predicate,
      object: source.object ?? "",
    };
    state = await api(url, "api/action", {
      op: "edit_golden",
      golden_id: memory.id,
      fields,
      version: state.versions.golden[memory.id],
    });
    done.filled++;
  }
  for (const proposal of [...state.proposals]) {
    const cited = state.golden
      .filter((m: any) => m.conversation_id === proposal.conversation_id)
      .flatMap((m: any) => m.evidence);
    if (!overlaps(proposal.evidence, cited)) {
      state = await api(url, "api/action", {
        op: "accept",
        proposal_id: proposal.id,
        version: state.versions.proposals[proposal.id],
      });
      done.accepted++;
    } else {
      const key = `${proposal.conversation_id}\u0000${(proposal.extracted_text ?? proposal.text).trim().replace(/\s+/g, " ").toLowerCase()}`;
      state = await api(url, "api/action", {
        op: "label",
        proposal_id: proposal.id,
        usefulness: 4,
        version: state.versions.labels[key] ?? 0,
      });
      done.rated++;
    }
  }
  return done;
}

/** Start a `golden review` block, review through the API, stop it with Ctrl-C; it must exit 0. */
async function serve(session: Session, block: DocBlock): Promise<void> {
  const child = spawn("bash", ["-c", `cd ${JSON.stringify(session.cwd)} && exec ${block.text.trim()}`], {
    env: session.env,
    stdio: ["ignore", "pipe", "pipe"],
  });
  let output = "";
  const url = await new Promise<string>((resolveUrl, reject) => {
    const onData = (chunk: Buffer) => {
      output += chunk.toString();
      const match = /Review at (http:\/\/127\.0\.0\.1:\d+\/\S+\/)/.exec(output);
      if (match) resolveUrl(match[1]!);
    };
    child.stdout.on("data", onData);
    child.stderr.on("data", onData);
    child.once("exit", (code) => reject(new Error(`${where(block)}: exited ${code} before serving:\n${output}`)));
  });
  const exited = new Promise<number | null>((resolveExit) => child.once("exit", (code) => resolveExit(code)));
  try {
    const done = await review(url);
    expect(done.filled + done.accepted + done.rated, `${where(block)}: the review changed nothing`).toBeGreaterThan(0);
  } finally {
    child.kill("SIGINT");
  }
  expect(await exited, `${where(block)}: review did not stop cleanly:\n${output}`).toBe(0);
}

/** A fragment's missing required keys, appended so line numbers stay those of the block. */
function completed(block: DocBlock, kind: string): string {
  const keys = new Set(
    block.text
      .split("\n")
      .map((line) => /^([A-Za-z_]+):/.exec(line)?.[1])
      .filter(Boolean),
  );
  const fill: Record<string, Record<string, string>> = {
    bench: {
      baseline: "configs/baseline.yaml",
      candidate: "configs/candidate.yaml",
      dataset: "datasets/demo",
      golden: "golden/demo",
    },
    extractor: { name: "docs-snippet" },
  };
  const extra = Object.entries(fill[kind] ?? {}).filter(([key]) => !keys.has(key));
  return block.text + extra.map(([key, value]) => `${key}: ${value}\n`).join("");
}

function checkSnippet(session: Session, block: DocBlock): void {
  if (block.lang === "json") {
    expect(block.tags, `${where(block)}: a json block is an llm-answer or no-run`).toContain("llm-answer");
    const parsed = LlmAnswerSchema.safeParse(JSON.parse(block.text));
    expect(parsed.success ? "" : JSON.stringify(parsed.error.issues), where(block)).toBe("");
    return;
  }
  const kind = block.tags.find((tag) => CONFIG_KINDS.includes(tag));
  expect(kind, `${where(block)}: a yaml block says what it is (${CONFIG_KINDS.join(", ")}) or no-run`).toBeDefined();
  if (block.attrs.file) writeFileSync(join(session.cwd, block.attrs.file), block.text);
  if (kind === "workflow") {
    expect(parseYamlText(block.text), where(block)).toHaveProperty("jobs");
    return;
  }
  const file = join(session.dir, `.docs-snippet-${block.line}.yaml`);
  writeFileSync(file, completed(block, kind!));
  try {
    if (kind === "bench") loadBenchConfig(file);
    else if (kind === "extractor") loadExtractorConfig(file);
    else if (kind === "thresholds") loadThresholdsFile(file);
    else loadYamlDocument(file, ImportMappingSchema);
  } catch (error) {
    throw new Error(`${where(block)} (block line numbers): ${(error as Error).message}`);
  }
}

describe("docs", () => {
  it("README stays a short guide: at most 15 KB", () => {
    expect(statSync(join(REPO, "README.md")).size).toBeLessThanOrEqual(15 * 1024);
  });

  it("every relative link points at a file that exists, and every #anchor at a heading", () => {
    const broken: string[] = [];
    for (const page of PAGES) {
      for (const { target, line } of relativeLinks(TEXT.get(page)!)) {
        const [path, anchor] = target.split("#");
        const file = path ? resolve(dirname(join(REPO, page)), path) : join(REPO, page);
        if (!existsSync(file)) broken.push(`${page}:${line}: ${target} (no such file)`);
        else if (anchor && file.endsWith(".md") && !pageAnchors(readFileSync(file, "utf8")).has(anchor))
          broken.push(`${page}:${line}: ${target} (no such heading)`);
      }
    }
    expect(broken).toEqual([]);
  });

  it("every code block says what it is", () => {
    const unknown = PAGES.flatMap((page) => BLOCKS.get(page)!).filter(
      (b) => !["sh", "yaml", "json", "ts", "text"].includes(b.lang) || (b.lang === "ts" && !b.tags.includes("no-run")),
    );
    expect(unknown.map(where)).toEqual([]);
  });

  it.each(PAGES)(
    "%s: every command runs and every config snippet loads, as written",
    async (page) => {
      const session = newSession();
      for (const block of BLOCKS.get(page)!) {
        if (block.lang === "text") continue;
        if (block.tags.includes("no-run")) {
          tally.notRun++;
          continue;
        }
        if (block.lang === "sh" && block.tags.includes("serve")) {
          await serve(session, block);
          tally.served++;
        } else if (block.lang === "sh") {
          const { code, output } = runShell(session, block);
          expect(code, `${where(block)} exited ${code}:\n${block.text}\n${output}`).toBe(Number(block.attrs.exit ?? 0));
          expect(output, where(block)).not.toMatch(/not available offline/);
          tally.run++;
        } else {
          checkSnippet(session, block);
          tally.checked++;
        }
      }
      tally.npmTestNotRun += readFileSync(session.npmLog, "utf8").split("\n").filter(Boolean).length;
    },
    300_000,
  );

  it("the first hour's path runs whole: clone, quick start, init, run, gate, import, review, validate, run on the curated set", () => {
    const blocks = BLOCKS.get("docs/first-hour.md")!;
    const commands = blocks
      .filter((b) => b.lang === "sh" && !b.tags.includes("no-run"))
      .map((b) => b.text)
      .join("\n");
    for (const step of [
      "npm ci && npm run demo",
      "npm test",
      "extractor-bench init",
      "extractor-bench run",
      "extractor-bench gate",
      "golden import --from csv",
      "golden review",
      "golden validate",
      "extractor-bench run support.yaml",
    ]) {
      expect(commands, step).toContain(step);
    }
    const readme = BLOCKS.get("README.md")!
      .filter((b) => b.lang === "sh" && !b.tags.includes("no-run"))
      .map((b) => b.text.trim());
    expect(readme.slice(0, 2)).toEqual(["npm ci && npm run demo", "npm test"]);
  });
});
