import { existsSync, readdirSync, writeFileSync } from "node:fs";
import { join } from "node:path";
import { cli, tempDir } from "../cli/helpers.js";
import { stageContext } from "../fixtures/stage-context.js";
import { describe, expect, it } from "vitest";
import { formatProblem, throwIfProblems } from "../../src/errors.js";
import { createCommandExtractor } from "../../src/extract/extractors/command-extractor.js";
import { createReplayExtractor } from "../../src/extract/extractors/replay-extractor.js";
import { loadBenchConfig, loadExtractorConfig } from "../../src/load/load-config.js";
import { indexConversations, loadConversations, loadGolden } from "../../src/load/load-inputs.js";
import type { CommandExtractor, ReplayExtractor } from "../../src/schema/extractor-config.js";
import { BAD, bad, good, inputErrorOf } from "./fixtures.js";

type Loader =
  | "conversations"
  | "golden"
  | "extractor"
  | "bench"
  | "replay"
  | "replay-config"
  | "replay-check"
  | "command";

interface BadCase {
  /** File or folder under test/fixtures/bad, handed to the loader. */
  fixture: string;
  loader: Loader;
  /** The file the first problem names, when not the fixture itself (a file of a folder, a replay file). */
  file?: string;
  line: number | undefined;
  path: string | undefined;
  /** Words the first problem's message must contain. */
  words: string[];
  /** Problems reported; 1 unless the one defect breaks several lines. */
  count?: number;
}

const cases: BadCase[] = [
  // --- conversations: JSONL syntax ---
  {
    fixture: "conv-broken-json-line3.jsonl",
    loader: "conversations",
    line: 3,
    path: undefined,
    words: ["invalid JSON", "unexpected token '{'", "column 23"],
  },
  {
    fixture: "conv-bom-line2-broken.jsonl",
    loader: "conversations",
    line: 2,
    path: undefined,
    words: ["invalid JSON", "unexpected end of line", "column 251"],
  },
  {
    fixture: "conv-crlf-line3-broken.jsonl",
    loader: "conversations",
    line: 3,
    path: undefined,
    words: ["invalid JSON", "unexpected token ','"],
  },
  {
    fixture: "conv-bom-mid-file.jsonl",
    loader: "conversations",
    line: 3,
    path: undefined,
    words: ["invalid JSON", "U+FEFF (byte-order mark)", "column 1"],
  },
  // Pretty-printed JSON in a .jsonl file: every line fails; the first says why.
  {
    fixture: "conv-pretty-printed.jsonl",
    loader: "conversations",
    line: 1,
    path: undefined,
    words: ["unexpected end of line", "a JSONL record must fit on one line"],
    count: 26,
  },
  // --- conversations: JSON documents ---
  {
    fixture: "conv-truncated.json",
    loader: "conversations",
    line: 41,
    path: undefined,
    words: ["invalid JSON", "unexpected end of file", "is the file truncated?"],
  },
  {
    fixture: "conv-missing-colon.json",
    loader: "conversations",
    line: 36,
    path: undefined,
    words: ["invalid JSON", "unexpected string", "column 19"],
  },
  {
    fixture: "conv-array-element1-bad.json",
    loader: "conversations",
    line: 36,
    path: "[1].turns[0].speaker",
    words: ["expected string, got 7"],
  },
  {
    fixture: "conv-crlf-array-bad.json",
    loader: "conversations",
    line: 3,
    path: "[1].turns[0].text",
    words: ["expected string, got 3"],
  },
  {
    fixture: "conv-empty.json",
    loader: "conversations",
    line: undefined,
    path: undefined,
    words: ["file is empty", "expected a JSON array or object"],
  },
  // --- conversations: schema ---
  {
    fixture: "conv-turn-text-number.jsonl",
    loader: "conversations",
    line: 2,
    path: "turns[1].text",
    words: ["expected string, got 42"],
  },
  {
    fixture: "conv-missing-id.jsonl",
    loader: "conversations",
    line: 2,
    path: "id",
    words: ["missing required field", "expected string"],
  },
  {
    fixture: "conv-invalid-role.jsonl",
    loader: "conversations",
    line: 3,
    path: "turns[1].role",
    words: ['expected one of "user" | "assistant" | "system"', 'got "bot"'],
  },
  {
    fixture: "conv-turn-field-typo.jsonl",
    loader: "conversations",
    line: 2,
    path: "turns[0].txet",
    words: ["unknown field", 'did you mean "text"?'],
  },
  {
    fixture: "conv-no-turns.jsonl",
    loader: "conversations",
    line: 2,
    path: "turns",
    words: [">=1 items", "got an empty array"],
  },
  {
    fixture: "conv-duplicate-turn-id.jsonl",
    loader: "conversations",
    line: 1,
    path: "turns[2].id",
    words: ['duplicate turn id "t1"'],
  },
  {
    fixture: "conv-duplicate-id.jsonl",
    loader: "conversations",
    line: 3,
    path: "id",
    words: ['duplicate conversation id "conv-1"', `(first at ${bad("conv-duplicate-id.jsonl")}:1)`],
  },
  {
    fixture: "dataset-duplicate-across-files",
    loader: "conversations",
    file: "dataset-duplicate-across-files/b.jsonl",
    line: 2,
    path: "id",
    words: ['duplicate conversation id "conv-2"', `(first at ${bad("dataset-duplicate-across-files/a.jsonl")}:2)`],
  },
  // --- conversations: no records at all, or not a record file ---
  {
    fixture: "conv-empty.jsonl",
    loader: "conversations",
    line: undefined,
    path: undefined,
    words: ["file holds no records"],
  },
  {
    fixture: "conv-blank-lines.jsonl",
    loader: "conversations",
    line: undefined,
    path: undefined,
    words: ["file holds no records"],
  },
  {
    fixture: "conversations.txt",
    loader: "conversations",
    line: undefined,
    path: undefined,
    words: ['unsupported file type ".txt"', "expected .jsonl or .json"],
  },
  // --- golden memories ---
  {
    fixture: "golden-missing-text.jsonl",
    loader: "golden",
    line: 2,
    path: "text",
    words: ["missing required field", "expected string"],
  },
  {
    fixture: "golden-missing-evidence.jsonl",
    loader: "golden",
    line: 1,
    path: "evidence",
    words: ["missing required field", "expected array"],
  },
  {
    fixture: "golden-empty-text.jsonl",
    loader: "golden",
    line: 3,
    path: "text",
    words: ["must not be empty", 'got "   "'],
  },
  {
    fixture: "golden-evidence-empty.json",
    loader: "golden",
    line: 36,
    path: "[2].evidence",
    words: ["must list at least one turn id", "got an empty array"],
  },
  {
    fixture: "golden-unknown-field.jsonl",
    loader: "golden",
    line: 2,
    path: "convesation_id",
    words: ["unknown field", 'did you mean "conversation_id"?'],
  },
  {
    fixture: "golden-importance-out-of-range.jsonl",
    loader: "golden",
    line: 1,
    path: "importance",
    words: ["<=5", "got 7"],
  },
  {
    fixture: "golden-dangling-evidence.jsonl",
    loader: "golden",
    line: 2,
    path: "evidence[1]",
    words: ['no turn "t9" in conversation "conv-1"'],
  },
  {
    fixture: "golden-unknown-conversation.jsonl",
    loader: "golden",
    line: 3,
    path: "conversation_id",
    words: ['no conversation "conv-404" in the dataset'],
  },
  {
    fixture: "golden-duplicate-id.jsonl",
    loader: "golden",
    line: 3,
    path: "id",
    words: ['duplicate golden memory id "g-1"', `(first at ${bad("golden-duplicate-id.jsonl")}:1)`],
  },
  // --- extractor configs (YAML) ---
  {
    fixture: "extractor-yaml-syntax.yaml",
    loader: "extractor",
    line: 10,
    path: undefined,
    words: ["invalid YAML", "Flow sequence", "end with a ]"],
  },
  {
    fixture: "extractor-yaml-tab.yaml",
    loader: "extractor",
    line: 7,
    path: undefined,
    words: ["invalid YAML", "Tabs are not allowed as indentation"],
  },
  {
    fixture: "extractor-bad-provider.yaml",
    loader: "extractor",
    line: 5,
    path: "extractor.provider",
    words: ['expected one of "rules" | "replay" | "command"', 'got "antropic"'],
  },
  {
    fixture: "extractor-base-confidence.yaml",
    loader: "extractor",
    line: 8,
    path: "extractor.rules.base_confidence",
    words: ["<=1", "got 1.4"],
  },
  {
    fixture: "extractor-dedupe-enabled-string.yaml",
    loader: "extractor",
    line: 9,
    path: "dedupe.enabled",
    words: ['expected boolean, got "yes"'],
  },
  {
    fixture: "extractor-unknown-nested-key.yaml",
    loader: "extractor",
    line: 7,
    path: "prefilter.min_char",
    words: ["unknown field", 'did you mean "min_chars"?'],
  },
  {
    fixture: "extractor-missing-schema-version.yaml",
    loader: "extractor",
    line: 4,
    path: "extractor.schema_version",
    words: ["missing required field", "expected number"],
  },
  {
    fixture: "extractor-crlf-line3.yaml",
    loader: "extractor",
    line: 3,
    path: "extractor.provider",
    words: ['got "antropic"'],
  },
  {
    fixture: "extractor-empty.yaml",
    loader: "extractor",
    line: undefined,
    path: undefined,
    words: ["file is empty", "expected a YAML mapping"],
  },
  {
    fixture: "extractor-llm-missing-model.yaml",
    loader: "extractor",
    line: 2,
    path: "extractor.model",
    words: ["missing required field", "expected string"],
  },
  {
    fixture: "extractor-llm-base-url.yaml",
    loader: "extractor",
    line: 6,
    path: "extractor.base_url",
    words: ["expected an http(s) URL such as http://localhost:11434/v1"],
  },
  {
    fixture: "extractor-http-header-env.yaml",
    loader: "extractor",
    line: 7,
    path: "extractor.headers.Authorization.env",
    words: ["expected an environment variable name"],
  },
  // --- bench configs (YAML) ---
  {
    fixture: "bench-buckets-not-increasing.yaml",
    loader: "bench",
    line: 7,
    path: "confidence_buckets",
    words: ["strictly increasing"],
  },
  {
    fixture: "bench-buckets-block.yaml",
    loader: "bench",
    line: 5,
    path: "confidence_buckets",
    words: ["strictly increasing"],
  },
  {
    fixture: "bench-judge-unknown.yaml",
    loader: "bench",
    line: 5,
    path: "judge",
    words: ['expected "heuristic" | object', 'got "gpt-judge"'],
  },
  {
    fixture: "bench-judge-provider.yaml",
    loader: "bench",
    line: 6,
    path: "judge.provider",
    words: ['expected one of "heuristic"', 'got "llm"'],
  },
  {
    fixture: "bench-unknown-key.yaml",
    loader: "bench",
    line: 10,
    path: "bootstrap_resample",
    words: ["unknown field", 'did you mean "bootstrap_resamples"?'],
  },
  // --- replay candidates (JSONL, read through readRecords) ---
  {
    fixture: "replay-confidence-1.5.jsonl",
    loader: "replay",
    line: 2,
    path: "candidates[1].confidence",
    words: ["expected a confidence in [0, 1]", "got 1.5"],
  },
  {
    fixture: "replay-confidence-string.jsonl",
    loader: "replay",
    line: 1,
    path: "candidates[0].confidence",
    words: ['expected number, got "high"'],
  },
  // --- encodings and resource exhaustion ---
  {
    fixture: "conv-utf16.jsonl",
    loader: "conversations",
    line: undefined,
    path: undefined,
    words: ["encoded in UTF-16 (little-endian)", "save it as UTF-8"],
  },
  {
    fixture: "conv-utf16-no-bom.jsonl",
    loader: "conversations",
    line: undefined,
    path: undefined,
    words: ["UTF-16 or UTF-32 (no byte-order mark)", "save it as UTF-8"],
  },
  {
    fixture: "conv-invalid-utf8.jsonl",
    loader: "conversations",
    line: 2,
    path: undefined,
    words: ["invalid UTF-8: byte 0xE9 at column 93", "save the file as UTF-8"],
  },
  {
    fixture: "extractor-alias-bomb.yaml",
    loader: "extractor",
    line: undefined,
    path: undefined,
    words: ["invalid YAML", "aliases expand past 100 copies"],
  },
  {
    fixture: "bench-bootstrap-huge.yaml",
    loader: "bench",
    line: 5,
    path: "bootstrap_resamples",
    words: ["<=100000", "got 1000000000"],
  },
  { fixture: "bench-seed-negative.yaml", loader: "bench", line: 5, path: "seed", words: [">=0", "got -3"] },
  {
    fixture: "extractor-timeout-huge.yaml",
    loader: "extractor",
    line: 6,
    path: "extractor.timeout_ms",
    words: ["<=3600000", "got 99999999999"],
  },
  // --- thresholds are fractions ---
  {
    fixture: "bench-threshold-percent.yaml",
    loader: "bench",
    line: 7,
    path: "thresholds.max_junk_increase",
    words: ["expected a fraction in [0, 1] (write 0.05 for 5 percentage points)", "got 5"],
  },
  {
    fixture: "bench-threshold-percent-sign.yaml",
    loader: "bench",
    line: 7,
    path: "thresholds.max_junk_increase",
    words: ["expected a fraction in [0, 1] (write 0.05 for 5%)", 'got "5%"'],
  },
  {
    fixture: "bench-threshold-renamed.yaml",
    loader: "bench",
    line: 6,
    path: "thresholds.max_junk_increase_pp",
    words: ['renamed to "max_junk_increase"', "write 0.05 for 5 percentage points"],
  },
  // --- normalization mappings must give every predicate one final target ---
  {
    fixture: "extractor-mapping-cycle.yaml",
    loader: "extractor",
    line: 6,
    path: "predicate_normalization.mappings[0].to",
    words: ['"worksAt" is a target here and a source in mappings[1]'],
    count: 2,
  },
  {
    fixture: "extractor-mapping-chain.yaml",
    loader: "extractor",
    line: 6,
    path: "predicate_normalization.mappings[0].to",
    words: ['"worksAt" is a target here and a source in mappings[1] (→ "works_at")'],
  },
  {
    fixture: "extractor-mapping-conflict.yaml",
    loader: "extractor",
    line: 8,
    path: "predicate_normalization.mappings[1].from[0]",
    words: ['"worksAt" is already mapped to "works_at" (mappings[0])'],
  },
  {
    fixture: "extractor-mapping-self.yaml",
    loader: "extractor",
    line: 6,
    path: "predicate_normalization.mappings[0].from[0]",
    words: ['"likes" maps to itself'],
  },
  // --- a command extractor that cannot run is refused before any work ---
  {
    fixture: "extractor-command-missing.yaml",
    loader: "command",
    line: 6,
    path: "extractor.command[0]",
    words: ['program "no-such-extractor-binary" is not on PATH'],
  },
  {
    fixture: "extractor-command-path-missing.yaml",
    loader: "command",
    line: 5,
    path: "extractor.command[0]",
    words: ["bin/missing-extractor.sh does not exist or is not executable"],
  },
  {
    fixture: "extractor-command-cwd-missing.yaml",
    loader: "command",
    line: 6,
    path: "extractor.cwd",
    words: ["no-such-folder does not exist"],
  },
  // --- replayed candidates must match the dataset ---
  {
    fixture: "replay-duplicate-conversation.jsonl",
    loader: "replay",
    line: 3,
    path: "conversation_id",
    words: ['conversation "conv-1" is replayed twice (first at line 1)'],
  },
  {
    fixture: "replay-unknown-conversation.jsonl",
    loader: "replay-check",
    line: 2,
    path: "conversation_id",
    words: ['no conversation "conv-404" in the dataset'],
  },
  {
    fixture: "replay-dangling-evidence.jsonl",
    loader: "replay-check",
    line: 1,
    path: "candidates[1].evidence[1]",
    words: ['no turn "t99" in conversation "conv-1"'],
  },
  // --- more encodings ---
  {
    fixture: "conv-utf32.jsonl",
    loader: "conversations",
    line: undefined,
    path: undefined,
    words: ["encoded in UTF-32 (little-endian)"],
  },
  {
    fixture: "golden-utf16be.jsonl",
    loader: "golden",
    line: undefined,
    path: undefined,
    words: ["encoded in UTF-16 (big-endian)"],
  },
  {
    fixture: "conv-invalid-utf8.json",
    loader: "conversations",
    line: 3,
    path: undefined,
    words: ["invalid UTF-8: byte 0xEF"],
  },
  {
    fixture: "replay-utf16.jsonl",
    loader: "replay",
    line: undefined,
    path: undefined,
    words: ["encoded in UTF-16 (little-endian)"],
  },
  // --- bench settings out of range ---
  { fixture: "bench-concurrency-zero.yaml", loader: "bench", line: 5, path: "concurrency", words: [">=1", "got 0"] },
  {
    fixture: "bench-concurrency-huge.yaml",
    loader: "bench",
    line: 5,
    path: "concurrency",
    words: ["<=256", "got 100000"],
  },
  {
    fixture: "bench-judge-typo.yaml",
    loader: "bench",
    line: 7,
    path: "judge.modle",
    words: ["unknown field", 'did you mean "model"?'],
  },
  {
    fixture: "bench-cache-mode.yaml",
    loader: "bench",
    line: 6,
    path: "cache.mode",
    words: ['expected one of "read-write" | "read-only" | "off" | "replay-only"', 'got "replay"'],
  },
  {
    fixture: "bench-junk-sample-huge.yaml",
    loader: "bench",
    line: 5,
    path: "junk_sample_size",
    words: ["<=1000000", "got 1000000000"],
  },
  { fixture: "bench-top-k-zero.yaml", loader: "bench", line: 5, path: "top_k_predicates", words: [">=1", "got 0"] },
  { fixture: "bench-seed-float.yaml", loader: "bench", line: 5, path: "seed", words: ["expected int", "got 4.2"] },
  {
    fixture: "bench-min-paired-zero.yaml",
    loader: "bench",
    line: 5,
    path: "min_paired_conversations",
    words: [">=1", "got 0"],
  },
  {
    fixture: "bench-extraction-change-negative.yaml",
    loader: "bench",
    line: 6,
    path: "thresholds.max_extraction_count_change",
    words: [">=0", "got -1"],
  },
  {
    fixture: "bench-on-unmeasured-bad.yaml",
    loader: "bench",
    line: 6,
    path: "thresholds.on_unmeasured",
    words: ['expected one of "fail" | "pass"', 'got "maybe"'],
  },
  {
    fixture: "bench-buckets-too-many.yaml",
    loader: "bench",
    line: 5,
    path: "confidence_buckets",
    words: ["<=101 items", "got an array of 201"],
  },
  {
    fixture: "bench-alias-bomb.yaml",
    loader: "bench",
    line: undefined,
    path: undefined,
    words: ["aliases expand past 100 copies"],
  },
  {
    fixture: "bench-duplicate-key.yaml",
    loader: "bench",
    line: 6,
    path: undefined,
    words: ["invalid YAML", "Map keys must be unique"],
  },
  // One line indented a space too deep: one short problem at that line, not the parser's cascade.
  {
    fixture: "bench-misindented.yaml",
    loader: "bench",
    line: 11,
    path: undefined,
    words: ["invalid YAML: check the indentation of line 11"],
  },
  {
    fixture: "bench-store-both.yaml",
    loader: "bench",
    line: 5,
    path: "store",
    words: ["expected exactly one of `conversations` or `turns`"],
  },
  { fixture: "bench-store-zero.yaml", loader: "bench", line: 5, path: "store.conversations", words: [">=1", "got 0"] },
  {
    fixture: "bench-store-unit.yaml",
    loader: "bench",
    line: 5,
    path: "store.messages",
    words: ["unknown field"],
    count: 2,
  },
  {
    fixture: "bench-store-float.yaml",
    loader: "bench",
    line: 5,
    path: "store.turns",
    words: ["expected int", "got 2.5"],
  },
  // --- extractor settings out of range or empty ---
  {
    fixture: "extractor-max-output-tiny.yaml",
    loader: "extractor",
    line: 6,
    path: "extractor.max_output_bytes",
    words: [">=1024", "got 10"],
  },
  {
    fixture: "extractor-command-empty.yaml",
    loader: "extractor",
    line: 5,
    path: "extractor.command",
    words: [">=1 items", "got an empty array"],
  },
  {
    fixture: "extractor-mapping-empty-from.yaml",
    loader: "extractor",
    line: 8,
    path: "predicate_normalization.mappings[0].from",
    words: [">=1 items", "got an empty array"],
  },
  {
    fixture: "extractor-scaling-negative.yaml",
    loader: "extractor",
    line: 7,
    path: "confidence_scaling.factor",
    words: [">0", "got -0.5"],
  },
  {
    fixture: "extractor-scaling-huge.yaml",
    loader: "extractor",
    line: 7,
    path: "confidence_scaling.factor",
    words: ["<=10", "got 92"],
  },
  {
    fixture: "extractor-min-chars-huge.yaml",
    loader: "extractor",
    line: 6,
    path: "prefilter.min_chars",
    words: ["<=100000", "got 1000000000"],
  },
  {
    fixture: "extractor-rules-category-unknown.yaml",
    loader: "extractor",
    line: 6,
    path: "extractor.rules.categories[1]",
    words: ["expected one of", 'got "hobby"'],
  },
  {
    fixture: "extractor-temperature-high.yaml",
    loader: "extractor",
    line: 5,
    path: "extractor.temperature",
    words: ["<=2", "got 5"],
  },
  {
    fixture: "extractor-schema-version-negative.yaml",
    loader: "extractor",
    line: 4,
    path: "extractor.schema_version",
    words: [">=0", "got -4"],
  },
  // --- records with a wrong shape ---
  {
    fixture: "golden-evidence-not-array.jsonl",
    loader: "golden",
    line: 1,
    path: "evidence",
    words: ["expected array", 'got "t1"'],
  },
  {
    fixture: "golden-importance-string.jsonl",
    loader: "golden",
    line: 1,
    path: "importance",
    words: ["expected number", 'got "high"'],
  },
  {
    fixture: "conv-turn-id-empty.jsonl",
    loader: "conversations",
    line: 1,
    path: "turns[0].id",
    words: [">=1 characters", 'got ""'],
  },
  {
    fixture: "conv-scope-missing-namespace.jsonl",
    loader: "conversations",
    line: 1,
    path: "scope.namespace",
    words: ["missing required field"],
  },
  {
    fixture: "conv-entity-alias-empty.jsonl",
    loader: "conversations",
    line: 1,
    path: "entities[0].aliases[0]",
    words: [">=1 characters", 'got ""'],
  },
  {
    fixture: "replay-candidates-not-array.jsonl",
    loader: "replay",
    line: 1,
    path: "candidates",
    words: ["expected array", "got an object"],
  },
  {
    fixture: "replay-unknown-field.jsonl",
    loader: "replay",
    line: 1,
    path: "candidates[0].confidense",
    words: ["unknown field", 'did you mean "confidence"?'],
  },
  // A valid replay config whose (relative) replay file is bad: the problem names the replay file.
  {
    fixture: "replay-config.yaml",
    loader: "replay-config",
    file: "replay-confidence-1.5.jsonl",
    line: 2,
    path: "candidates[1].confidence",
    words: ["got 1.5"],
  },
];

async function load(loader: Loader, path: string): Promise<unknown> {
  switch (loader) {
    case "conversations":
      return loadConversations(path);
    case "golden":
      return loadGolden(path, loadConversations(good("conversations.jsonl")));
    case "extractor":
      return loadExtractorConfig(path);
    case "bench":
      return loadBenchConfig(path);
    case "replay":
      return createReplayExtractor(
        { provider: "replay", schema_version: 1, path } as ReplayExtractor,
        stageContext(bad("replay-config.yaml"), { provider: "replay", schema_version: 1, path } as ReplayExtractor),
      );
    case "replay-check": {
      const extractor = { provider: "replay", schema_version: 1, path } as ReplayExtractor;
      const stage = await createReplayExtractor(extractor, stageContext(bad("replay-config.yaml"), extractor));
      throwIfProblems(stage.check?.(indexConversations(good("conversations.jsonl"))) ?? []);
      return stage;
    }
    case "command": {
      const loaded = loadExtractorConfig(path);
      return createCommandExtractor(loaded.config.extractor as CommandExtractor, {
        configPath: loaded.path,
        config: loaded.config,
      });
    }
    case "replay-config": {
      const loaded = loadExtractorConfig(path);
      return createReplayExtractor(
        loaded.config.extractor as ReplayExtractor,
        stageContext(loaded.path, loaded.config.extractor as ReplayExtractor),
      );
    }
  }
}

describe("bad input files", () => {
  it.each(cases)("$fixture → line $line, path $path", async (c) => {
    const error = await inputErrorOf(() => load(c.loader, bad(c.fixture)));
    const file = bad(c.file ?? c.fixture);
    const first = error.problems[0]!;

    expect(error.exitCode).toBe(2);
    expect(error.problems).toHaveLength(c.count ?? 1);
    expect(first.file).toBe(file);
    expect(first.line).toBe(c.line);
    expect(first.path).toBe(c.path);
    for (const word of c.words) expect(first.message).toContain(word);

    // The message is FILE:LINE: PATH: MESSAGE, one problem per line, with nothing invisible in it.
    const where = c.line === undefined ? file : `${file}:${c.line}`;
    const firstLine = error.message.split("\n")[0]!;
    expect(firstLine).toBe(formatProblem(first));
    expect(firstLine.startsWith(c.path === undefined ? `${where}: ` : `${where}: ${c.path}: `)).toBe(true);
    expect(error.message).not.toMatch(/[\r\uFEFF]/);
  });

  it("covers every file of the corpus", () => {
    const covered = new Set(cases.map((c) => c.fixture));
    const uncovered = readdirSync(BAD).filter((name) => !covered.has(name));
    expect(uncovered).toEqual([]);
    expect(cases.length).toBeGreaterThanOrEqual(95);
  });
});

describe("bad input through the command line", () => {
  /** `run` arguments that feed the fixture to the loader the corpus case names. */
  function runArgsFor(c: BadCase, out: string): string[] {
    const inputs = {
      baseline: good("extractor.yaml"),
      candidate: good("extractor.yaml"),
      dataset: good("conversations.jsonl"),
      golden: good("golden.jsonl"),
    };
    const fixture = bad(c.fixture);
    switch (c.loader) {
      case "conversations":
        inputs.dataset = fixture;
        break;
      case "golden":
        inputs.golden = fixture;
        break;
      case "extractor":
      case "command":
      case "replay-config":
        inputs.candidate = fixture;
        break;
      case "replay":
      case "replay-check": {
        const config = join(tempDir(), "replay.yaml");
        writeFileSync(
          config,
          `name: replay\nextractor:\n  provider: replay\n  schema_version: 2\n  path: ${JSON.stringify(fixture)}\n`,
        );
        inputs.candidate = config;
        break;
      }
      case "bench":
        return ["run", fixture, "--out", out];
    }
    return [
      "run",
      "--baseline",
      inputs.baseline,
      "--candidate",
      inputs.candidate,
      "--dataset",
      inputs.dataset,
      "--golden",
      inputs.golden,
      "--out",
      out,
    ];
  }

  it.each(cases)("$fixture: exit 2, the file named, no run folder left behind", async (c) => {
    const out = join(tempDir(), "run");
    const result = await cli(runArgsFor(c, out));
    expect(result.code).toBe(2);
    expect(result.stderr).toContain(bad(c.file ?? c.fixture));
    expect(existsSync(out)).toBe(false);
  });
});
