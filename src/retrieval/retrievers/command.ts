import { createHash } from "node:crypto";
import { mkdtempSync } from "node:fs";
import { rm, writeFile } from "node:fs/promises";
import { tmpdir } from "node:os";
import { join, resolve } from "node:path";
import { fileSystemCause, formatProblem, RunError } from "../../errors.js";
import { checkProgram } from "../../extract/extractors/check-program.js";
import { runProgram } from "../../extract/extractors/run-program.js";
import { issuesToProblems } from "../../load/validate-record.js";
import type { SampleError } from "../../schema/dry-run.js";
import {
  CommandRetrieverSettingsSchema,
  RetrieverAnswerSchema,
  type CommandRetrieverSettings,
} from "../../schema/retrievers.js";
import { redact } from "../../text/redact.js";
import type { RetrievalQuery, Retriever, SimulatedStore } from "../../schema/retrieval-store.js";

export { CommandRetrieverSettingsSchema, type CommandRetrieverSettings };

/** How a search by a team's retrieval failed: it failed (exit status, HTTP status, connection), ran out of time, or answered something unusable. */
export type RetrieverErrorKind = "failed" | "timeout" | "invalid_output";

/** A search that failed: a failed unit of its own kind, never an empty ranking. Message and stderr are redacted. */
export class RetrieverError extends Error {
  constructor(
    readonly kind: RetrieverErrorKind,
    message: string,
    /** The end of what the program wrote to stderr, when it wrote anything. */
    readonly stderr?: string,
  ) {
    super(redact(message));
    this.name = "RetrieverError";
  }
}

/** Characters of an invalid answer quoted in its error. */
const QUOTED = 200;
/** Characters of the end of stderr added to a message that does not carry it yet. */
const STDERR_IN_MESSAGE = 400;

interface WireStore {
  /** A hash of the scope and the memories: equal stores (two strategies that leave the same memories) share it. */
  id: string;
  /** `[…]`: the memories as the team's retrieval receives them, serialized once per store. */
  memories: string;
  ids: ReadonlySet<string>;
}

const wireStores = new WeakMap<SimulatedStore, WireStore>();

/**
 * A store as the protocol sends it, built once per store: its memories without `version` (a
 * retriever never learns which extractor wrote a memory) and its id.
 */
export function wireStore(store: SimulatedStore): WireStore {
  let wire = wireStores.get(store);
  if (!wire) {
    const memories = JSON.stringify(store.memories.map(({ version: _version, ...memory }) => memory));
    const id = createHash("sha256").update(store.scope).update("\0").update(memories).digest("hex").slice(0, 16);
    wire = { id, memories, ids: new Set(store.memories.map((m) => m.id)) };
    wireStores.set(store, wire);
  }
  return wire;
}

/** What the protocol sends of a query: its words and filters, never what answers it. */
export function wireQuery(query: RetrievalQuery): string {
  return JSON.stringify({
    id: query.id,
    scope: query.scope,
    text: query.text,
    ...(query.filters ? { filters: query.filters } : {}),
  });
}

/**
 * One search request: `{store, query, k}`. `store` carries the memories, or, once the retriever
 * holds the store, what names it (`{store_id, scope}` plus `file` for a program).
 */
export function searchRequest(
  store: SimulatedStore,
  query: RetrievalQuery,
  k: number,
  held?: Record<string, string>,
): string {
  const wire = wireStore(store);
  const head = `{"store_id":${JSON.stringify(wire.id)},"scope":${JSON.stringify(store.scope)}`;
  const rest = held
    ? Object.entries(held)
        .map(([name, value]) => `,${JSON.stringify(name)}:${JSON.stringify(value)}`)
        .join("")
    : `,"memories":${wire.memories}`;
  return `{"store":${head}${rest}},"query":${wireQuery(query)},"k":${k}}`;
}

/** A whole store as JSON: `{store_id, scope, memories}` (the file `store_once` writes for a program). */
function storeJson(store: SimulatedStore): string {
  const wire = wireStore(store);
  return `{"store_id":${JSON.stringify(wire.id)},"scope":${JSON.stringify(store.scope)},"memories":${wire.memories}}`;
}

/** The load request of a store sent once: `{store: {store_id, scope, memories}}`, no query. */
export function storeRequest(store: SimulatedStore): string {
  return `{"store":${storeJson(store)}}`;
}

/**
 * The ids of an answer (`{"ids": [...]}` or a bare array), best first, at most `k`: an answer that is
 * not JSON, does not validate, repeats an id or names a memory the store does not hold is invalid.
 */
export function readAnswer(text: string, store: SimulatedStore, k: number, source: string, stderr?: string): string[] {
  const invalid = (why: string) => new RetrieverError("invalid_output", withStderr(`${source} ${why}`, stderr), stderr);
  let parsed: unknown;
  try {
    parsed = JSON.parse(text);
  } catch {
    const shown = text.trim().slice(0, QUOTED);
    throw invalid(
      shown === ""
        ? 'answered nothing (expected {"ids": [...]})'
        : `answered something that is not JSON: ${JSON.stringify(shown)}`,
    );
  }
  const validated = RetrieverAnswerSchema.safeParse(parsed);
  if (!validated.success) {
    const problems = issuesToProblems(validated.error.issues, parsed, { file: "answer" });
    throw invalid(
      `answered ids that do not validate (expected {"ids": ["memory id", ...]} or a bare array): ${problems.slice(0, 3).map(formatProblem).join("; ")}`,
    );
  }
  const ids = Array.isArray(validated.data) ? validated.data : validated.data.ids;
  const known = wireStore(store).ids;
  const unknown = ids.filter((id) => !known.has(id));
  if (unknown.length > 0) {
    const listed = unknown
      .slice(0, 3)
      .map((id) => JSON.stringify(id))
      .join(", ");
    throw invalid(
      `answered ${unknown.length === 1 ? "an id" : `${unknown.length} ids`} the store does not hold: ${listed}${unknown.length > 3 ? ", …" : ""}`,
    );
  }
  const seen = new Set<string>();
  const repeated = ids.find((id) => seen.size === seen.add(id).size);
  if (repeated !== undefined) throw invalid(`answered the id ${JSON.stringify(repeated)} twice`);
  // A longer ranking is cut, as a store's own top-k would be.
  return ids.slice(0, k);
}

/** A message with the end of stderr added, unless it carries it already. */
function withStderr(message: string, stderr: string | undefined): string {
  if (!stderr || message.includes(stderr.slice(-STDERR_IN_MESSAGE))) return message;
  return `${message}; stderr: ${stderr.slice(-STDERR_IN_MESSAGE)}`;
}

/** A program's failure as a search's: it timed out, printed too much, or failed (could not start, exit status ≠ 0). */
function kindOf(error: SampleError): RetrieverErrorKind {
  return error.kind === "timeout" || error.kind === "invalid_output" ? error.kind : "failed";
}

export interface CommandRetrieverContext {
  /** The bench file's folder: `cwd` is relative to it. */
  baseDir: string;
  /** The bench file, where a missing program is located by line. Default: the problem names `baseDir`, without a line. */
  configPath?: string;
  /** The settings' path in that file. Default `["retrieval", "retriever"]`. */
  at?: ReadonlyArray<PropertyKey>;
}

/**
 * The team's own retrieval (`debugRetrieval`) as a program, one run per search: `{store, query, k}`
 * JSON on stdin, `{"ids": [...]}` or a bare array on stdout. With `store_once`, each store is written
 * once to a JSON file (`{store_id, scope, memories}`) and the program receives `{store: {store_id,
 * scope, file}, query, k}`, so it can build its index once per `store_id`; the files are removed on
 * `close`. A missing program is refused here (InputError, exit 2); a failed search throws RetrieverError.
 */
export function createCommandRetriever(
  settings: CommandRetrieverSettings,
  context: CommandRetrieverContext,
): Retriever {
  const cwd = resolve(context.baseDir, settings.cwd ?? ".");
  checkProgram(settings.command, cwd, context.configPath ?? context.baseDir, context.at ?? ["retrieval", "retriever"]);
  const limits = { timeoutMs: settings.timeout_ms, maxOutputBytes: settings.max_output_bytes };
  const program = settings.command[0]!;
  let folder: string | undefined;
  const files = new Map<string, Promise<string>>();

  const storeFile = (store: SimulatedStore): Promise<string> => {
    const { id } = wireStore(store);
    let file = files.get(id);
    if (!file) {
      folder ??= mkdtempSync(join(tmpdir(), "extractor-bench-stores-"));
      const path = join(folder, `${id}.json`);
      file = writeFile(path, storeJson(store)).then(
        () => path,
        (error: unknown) => {
          files.delete(id);
          throw new RunError(
            `cannot write the store file ${path} for the command retriever: ${fileSystemCause(error, path)}`,
            { cause: error },
          );
        },
      );
      files.set(id, file);
    }
    return file;
  };

  return {
    name: "command",
    async search(store, query, k) {
      const held = settings.store_once ? { file: await storeFile(store) } : undefined;
      const result = await runProgram(settings.command, cwd, searchRequest(store, query, k, held), limits);
      const stderr = result.stderr || undefined;
      if (result.error)
        throw new RetrieverError(
          kindOf(result.error),
          withStderr(`query ${query.id}: ${result.error.message}`, stderr),
          stderr,
        );
      return readAnswer(result.stdout, store, k, `query ${query.id}: ${program}`, stderr);
    },
    async close() {
      if (folder) await rm(folder, { recursive: true, force: true });
      folder = undefined;
      files.clear();
    },
  };
}
