import { throwIfProblems, type Problem } from "../../errors.js";
import type { Conversation, Turn } from "../../schema/conversation.js";
import type { GoldenMemory } from "../../schema/golden.js";
import { LocomoFileSchema, LocomoTurnSchema, type LocomoSample, type LocomoTurn } from "../../schema/locomo.js";
import type { RetrievalQueryLine } from "../../schema/retrieval-query.js";
import { slugify } from "../../text/tokens.js";
import { jsonRecords, parseJson } from "../parse-documents.js";
import { readText } from "../read-text.js";
import { validateRecord } from "../validate-record.js";
import { splitTurnIds } from "./assemble-turns.js";
import { entitiesNamed } from "./known-entities.js";
import { SkipTally, type ImportResult } from "./import-result.js";

const MONTHS = [
  "january",
  "february",
  "march",
  "april",
  "may",
  "june",
  "july",
  "august",
  "september",
  "october",
  "november",
  "december",
];

/** `1:56 pm on 8 May, 2023` → `2023-05-08T13:56:00` (LoCoMo gives no time zone, so none is added). */
export function parseLocomoDate(value: string): string | undefined {
  const match = /^\s*(\d{1,2}):(\d{2})\s*([ap])\.?m\.?\s+on\s+(\d{1,2})\s+([A-Za-z]+),?\s+(\d{4})\s*$/i.exec(value);
  if (!match) return undefined;
  const [, h, minute, half, day, monthName, year] = match;
  const month = MONTHS.findIndex((m) => m.startsWith(monthName!.toLowerCase()) && monthName!.length >= 3);
  const hour = (Number(h) % 12) + (half!.toLowerCase() === "p" ? 12 : 0);
  if (month < 0 || Number(h) > 12 || Number(day) < 1 || Number(day) > 31) return undefined;
  const pad = (n: number | string) => String(n).padStart(2, "0");
  return `${year}-${pad(month + 1)}-${pad(day!)}T${pad(hour)}:${minute}:00`;
}

/** A turn's text, with an image's caption kept beside it so extractors and reviewers see it. */
function turnText(turn: LocomoTurn): string {
  return turn.blip_caption ? `${turn.text} [image: ${turn.blip_caption}]`.trim() : turn.text;
}

function sessionNumbers(sample: LocomoSample): number[] {
  return Object.keys(sample.conversation)
    .flatMap((key) => {
      const match = /^session_(\d+)$/.exec(key);
      return match ? [Number(match[1])] : [];
    })
    .sort((a, b) => a - b);
}

interface SampleContext {
  sample: LocomoSample;
  index: number;
  where: { file: string; locate: (path: ReadonlyArray<PropertyKey>) => number | undefined };
  problems: Problem[];
  skipped: SkipTally;
}

function importSession(ctx: SampleContext, n: number): { conversation?: Conversation; turnIds: Set<string> } {
  const { sample, index, where, problems, skipped } = ctx;
  const raw = sample.conversation[`session_${n}`];
  const id = `${sample.sample_id}/session_${n}`;
  if (!Array.isArray(raw)) {
    problems.push({
      file: where.file,
      line: where.locate([index, "conversation", `session_${n}`]),
      path: `[${index}].conversation.session_${n}`,
      message: "expected a list of turns",
    });
    return { turnIds: new Set() };
  }
  if (raw.length === 0) {
    skipped.add("session with no turns", id);
    return { turnIds: new Set() };
  }
  const dateText = sample.conversation[`session_${n}_date_time`];
  const ts = typeof dateText === "string" ? parseLocomoDate(dateText) : undefined;
  if (ts === undefined)
    skipped.add(
      "session date not understood (turns kept without a timestamp)",
      `${id}: ${JSON.stringify(dateText ?? null)}`,
    );
  const turns: Turn[] = [];
  const images: Record<string, { caption?: string; url?: unknown; query?: string }> = {};
  raw.forEach((item, t) => {
    const turn = validateRecord(
      LocomoTurnSchema,
      item,
      { ...where, prefix: [index, "conversation", `session_${n}`, t] },
      problems,
    );
    if (!turn) return;
    turns.push({ id: turn.dia_id, speaker: turn.speaker, role: "user", text: turnText(turn), ...(ts ? { ts } : {}) });
    if (turn.blip_caption !== undefined || turn.img_url !== undefined) {
      images[turn.dia_id] = {
        ...(turn.blip_caption ? { caption: turn.blip_caption } : {}),
        ...(turn.img_url ? { url: turn.img_url } : {}),
        ...(turn.query ? { query: turn.query } : {}),
      };
    }
  });
  const speakers = [sample.conversation.speaker_a, sample.conversation.speaker_b];
  const conversation: Conversation = {
    id,
    scope: { namespace: scopeOf(sample) },
    turns,
    entities: entitiesNamed(speakers),
    metadata: {
      sample_id: sample.sample_id,
      session: n,
      ...(typeof dateText === "string" ? { date_time: dateText } : {}),
      ...(Object.keys(images).length > 0 ? { images } : {}),
    },
  };
  return { conversation, turnIds: new Set(turns.map((turn) => turn.id)) };
}

function importObservations(ctx: SampleContext, n: number, turnIds: Set<string>): GoldenMemory[] {
  const { sample, skipped } = ctx;
  const id = `${sample.sample_id}/session_${n}`;
  const bySpeaker = sample.observation?.[`session_${n}_observation`] ?? {};
  const memories: GoldenMemory[] = [];
  for (const [speaker, observations] of Object.entries(bySpeaker)) {
    observations.forEach(([fact, evidence], k) => {
      const where = `${id} ${speaker} #${k + 1}`;
      if (fact.trim() === "") {
        skipped.add("empty fact", where);
        return;
      }
      const cited = (Array.isArray(evidence) ? evidence : [evidence]).flatMap(splitTurnIds);
      const kept = [...new Set(cited.filter((dia) => turnIds.has(dia)))];
      for (const dia of cited.filter((d) => !turnIds.has(d)))
        skipped.add("evidence dia_id in no turn of its session (dropped)", `${where}: ${dia}`);
      if (kept.length === 0) {
        skipped.add("observation left with no evidence turn", `${where}: ${JSON.stringify(fact.slice(0, 60))}`);
        return;
      }
      memories.push({
        id: `${id}/${slugify(speaker)}-${k + 1}`,
        conversation_id: id,
        text: fact.trim(),
        subject: speaker,
        evidence: kept,
      });
    });
  }
  return memories;
}

/** The sample's namespace, which every session of it shares: its questions search this scope's store. */
const scopeOf = (sample: LocomoSample) => `locomo:${sample.sample_id}`;

/**
 * A sample's questions as queries of its scope (`<sample_id>/q<N>`, N counting from 1 in file order):
 * the question's text, its evidence dia_ids as relevant turns (split and kept as the sessions' turn
 * ids are; ids in no turn of the sample are dropped and counted), its category. A question left with
 * no evidence turn is not written (a query must say what answers it), and is counted.
 */
function importQuestions(ctx: SampleContext, turnIds: Set<string>): RetrievalQueryLine[] {
  const { sample, skipped } = ctx;
  const queries: RetrievalQueryLine[] = [];
  (sample.qa ?? []).forEach((qa, k) => {
    const id = `${sample.sample_id}/q${k + 1}`;
    const text = qa.question.trim();
    if (text === "") {
      skipped.add("question with no text", id);
      return;
    }
    const cited = (Array.isArray(qa.evidence) ? qa.evidence : qa.evidence === undefined ? [] : [qa.evidence]).flatMap(
      splitTurnIds,
    );
    const kept = [...new Set(cited.filter((dia) => turnIds.has(dia)))];
    for (const dia of cited.filter((d) => !turnIds.has(d)))
      skipped.add("question evidence dia_id in no turn of its sample (dropped)", `${id}: ${dia}`);
    // A query with nothing that answers it cannot be scored: left out, and counted.
    if (kept.length === 0) {
      skipped.add("question with no evidence turn in its sample (no query written)", id);
      return;
    }
    queries.push({
      id,
      scope: scopeOf(sample),
      text,
      relevant_turns: kept,
      ...(qa.category !== undefined && String(qa.category) !== "" ? { category: String(qa.category) } : {}),
    });
  });
  return queries;
}

/**
 * The LoCoMo benchmark's published file: each session a conversation (`<sample_id>/session_N`,
 * turn ids the dia_ids, timestamps from the session date, both speakers known entities), each
 * observation a golden memory about its speaker with its evidence turns, each question a query of
 * its sample's scope (see importQuestions).
 */
export function importLocomo(file: string): ImportResult {
  const problems: Problem[] = [];
  const text = readText(file);
  const value = parseJson(text, file, problems);
  throwIfProblems(problems);
  const [document] = jsonRecords(value, text, file);
  // The whole file is one array of samples: its paths start at the array, not at its first element.
  const where = { file, locate: document!.where.locate! };
  const samples = validateRecord(LocomoFileSchema, value, where, problems);
  throwIfProblems(problems);
  const skipped = new SkipTally();
  const conversations: Conversation[] = [];
  const golden: GoldenMemory[] = [];
  const queries: RetrievalQueryLine[] = [];
  samples!.forEach((sample, index) => {
    const ctx: SampleContext = { sample, index, where, problems, skipped };
    const sessions = sessionNumbers(sample);
    const sampleTurns = new Set<string>();
    for (const n of sessions) {
      const { conversation, turnIds } = importSession(ctx, n);
      if (conversation) conversations.push(conversation);
      for (const id of turnIds) sampleTurns.add(id);
      golden.push(...importObservations(ctx, n, turnIds));
    }
    queries.push(...importQuestions(ctx, sampleTurns));
    for (const key of Object.keys(sample.observation ?? {})) {
      const n = Number(/^session_(\d+)_observation$/.exec(key)?.[1]);
      if (!sessions.includes(n)) skipped.add("observations of a session with no turns", `${sample.sample_id}: ${key}`);
    }
  });
  throwIfProblems(problems);
  return { conversations, golden, queries, skipped: skipped.list() };
}
