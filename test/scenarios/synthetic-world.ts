import { createRng } from "../../src/metrics/random.js";
import type { RawCandidateInput } from "../../src/schema/candidate.js";
import type { Conversation } from "../../src/schema/conversation.js";
import type { GoldenMemory } from "../../src/schema/golden.js";

/**
 * A seeded synthetic world whose truth is known by construction: conversations of first-person
 * statements, one golden memory per statement, and a baseline extractor's candidates derived from
 * the golden memories (a known share found, a known share of junk). Upgrade scenarios transform the
 * baseline's candidates by a known rule, so every metric has a true value to be checked against.
 */

const FIRST = [
  "Alice",
  "Marcus",
  "Priya",
  "Jonas",
  "Sofia",
  "Harold",
  "Chioma",
  "Mateo",
  "Yuki",
  "Noor",
  "Elena",
  "Tomas",
];
const LAST = ["Chen", "Okafor", "Raman", "Becker", "Silva", "Novak", "Ito", "Haddad", "Larsen", "Moreau"];
const ORGS = ["Stripe", "Globex", "Initech", "Umbrella Health", "Northwind", "Contoso", "Hooli", "Vandelay Imports"];
const CITIES = ["Lisbon", "Leeds", "Osaka", "Toronto", "Nairobi", "Porto", "Denver", "Krakow"];
const ACTIVITIES = ["hiking", "jazz", "bouldering", "pottery", "sourdough baking", "chess", "kayaking", "birdwatching"];
const PETS = ["Biscuit", "Miso", "Pepper", "Ziggy", "Luna", "Otis"];
const ALLERGENS = ["penicillin", "peanuts", "shellfish", "pollen", "latex"];

interface Statement {
  said: (object: string) => string;
  fact: (subject: string, object: string) => string;
  type: "fact" | "preference" | "event" | "relation";
  predicate: string;
  objects: string[];
}

const STATEMENTS: Statement[] = [
  {
    said: (o) => `I work at ${o} these days.`,
    fact: (s, o) => `${s} works at ${o}`,
    type: "fact",
    predicate: "works_at",
    objects: ORGS,
  },
  {
    said: (o) => `I live in ${o} now.`,
    fact: (s, o) => `${s} lives in ${o}`,
    type: "fact",
    predicate: "lives_in",
    objects: CITIES,
  },
  {
    said: (o) => `I really love ${o}.`,
    fact: (s, o) => `${s} loves ${o}`,
    type: "preference",
    predicate: "likes",
    objects: ACTIVITIES,
  },
  {
    said: (o) => `My dog is called ${o}.`,
    fact: (s, o) => `${s} has a dog called ${o}`,
    type: "relation",
    predicate: "has_dog",
    objects: PETS,
  },
  {
    said: (o) => `I'm allergic to ${o}.`,
    fact: (s, o) => `${s} is allergic to ${o}`,
    type: "fact",
    predicate: "allergic_to",
    objects: ALLERGENS,
  },
  {
    said: (o) => `I'm flying to ${o} next month.`,
    fact: (s, o) => `${s} is flying to ${o} next month`,
    type: "event",
    predicate: "travels_to",
    objects: CITIES,
  },
];

/** One candidate of the baseline, with what it truly is. */
export interface TruthCandidate {
  raw: RawCandidateInput;
  junk: boolean;
  /** The golden memory it carries, if any. */
  golden?: string;
}

export interface World {
  conversations: Conversation[];
  golden: GoldenMemory[];
  baseline: Map<string, TruthCandidate[]>;
}

export interface WorldOptions {
  conversations: number;
  /** Share of golden memories the baseline finds. */
  recall: number;
  /** Share of the baseline's candidates that are junk. */
  junkRate: number;
}

const pick = <T>(rng: () => number, items: readonly T[]): T => items[Math.floor(rng() * items.length)]!;

/** A junk candidate the heuristic judge recognizes: a memory about the assistant, from an assistant turn. */
export function junkCandidate(turnId: string, n: number): RawCandidateInput {
  const topics = [
    "checking the logs",
    "restarting the container",
    "a shorter summary",
    "the docs page",
    "a quick retry",
  ];
  return {
    text: `The assistant suggested ${topics[n % topics.length]} (${n})`,
    type: "fact",
    subject: "assistant",
    predicate: "suggested",
    object: `${topics[n % topics.length]} ${n}`,
    confidence: 0.55,
    evidence: [turnId],
  };
}

const SMALL_TALK = [
  "thanks",
  "hello",
  "coffee break",
  "quick question",
  "great chat",
  "ok thanks",
  "fine thanks",
  "hello again",
];

/**
 * A junk candidate about the user that the heuristic judge recognizes as small talk. Its subject
 * resolves like a real memory's, so adding it changes the junk rate and nothing else.
 */
export function smallTalkCandidate(subject: string, turnId: string, n: number): RawCandidateInput {
  const object = SMALL_TALK[n % SMALL_TALK.length]!;
  return {
    text: `${subject} said ${object} (note ${n})`,
    type: "fact",
    subject,
    predicate: `said_${n}`,
    object,
    confidence: 0.55,
    evidence: [turnId],
  };
}

export function generateWorld(seed: number, options: WorldOptions): World {
  const rng = createRng(seed);
  const conversations: Conversation[] = [];
  const golden: GoldenMemory[] = [];
  const baseline = new Map<string, TruthCandidate[]>();
  let junkCount = 0;
  for (let c = 0; c < options.conversations; c++) {
    const id = `conv-${seed}-${c}`;
    const first = pick(rng, FIRST);
    const name = `${first} ${pick(rng, LAST)}`;
    const statements = [...STATEMENTS].sort(() => rng() - 0.5).slice(0, 3 + Math.floor(rng() * 4));
    const turns: Conversation["turns"] = [];
    const candidates: TruthCandidate[] = [];
    statements.forEach((statement, i) => {
      const object = pick(rng, statement.objects);
      const userTurn = `t${2 * i + 1}`;
      const assistantTurn = `t${2 * i + 2}`;
      turns.push({ id: userTurn, speaker: first, role: "user", text: statement.said(object) });
      turns.push({
        id: assistantTurn,
        speaker: "assistant",
        role: "assistant",
        text: `Noted. Maybe try ${pick(rng, ["checking the logs", "a shorter summary", "the docs page"])}?`,
      });
      const goldenId = `${id}-g${i}`;
      const text = statement.fact(first, object);
      golden.push({
        id: goldenId,
        conversation_id: id,
        text,
        type: statement.type,
        subject: first,
        predicate: statement.predicate,
        object,
        evidence: [userTurn],
      });
      if (rng() < options.recall) {
        candidates.push({
          raw: {
            text,
            type: statement.type,
            subject: first,
            predicate: statement.predicate,
            object,
            confidence: 0.6 + Math.round(rng() * 20) / 100,
            evidence: [userTurn],
          },
          junk: false,
          golden: goldenId,
        });
      }
      // Junk at the configured share of all candidates: p / (1 − p) junk per good candidate on average.
      if (rng() < (options.junkRate / (1 - options.junkRate)) * options.recall) {
        candidates.push({ raw: junkCandidate(assistantTurn, junkCount++), junk: true });
      }
    });
    conversations.push({
      id,
      scope: { namespace: `user:${first.toLowerCase()}` },
      turns,
      entities: [{ id: `ent-${c}`, name, aliases: [first] }],
    });
    baseline.set(id, candidates);
  }
  return { conversations, golden, baseline };
}

/** Every candidate of a side, flattened. */
export function allOf(candidates: Map<string, TruthCandidate[]>): TruthCandidate[] {
  return [...candidates.values()].flat();
}
