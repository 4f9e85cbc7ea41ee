import MiniSearch from "minisearch";
import { describe, expect, it } from "vitest";
import { createRng } from "../../src/metrics/random.js";
import { createBm25Retriever } from "../../src/retrieval/retrievers/bm25.js";
import { COMMON_WORD_SHARE, FIELDS, tokenize } from "../../src/retrieval/retrievers/bm25-index.js";
import { Bm25SettingsSchema } from "../../src/schema/retrieval-settings.js";
import {
  excludedBy,
  type RetrievalQuery,
  type SimulatedStore,
  type StoredMemory,
} from "../../src/schema/retrieval-store.js";

/** MiniSearch itself, with the same words left out of a query: the reference the index must rank exactly like. */
const references = new WeakMap<SimulatedStore, { index: MiniSearch<StoredMemory>; holding: Map<string, number> }>();

function reference(store: SimulatedStore, query: RetrievalQuery, k: number, boost: Record<string, number>): string[] {
  let built = references.get(store);
  if (!built) {
    const index = new MiniSearch<StoredMemory>({
      fields: [...FIELDS],
      idField: "id",
      tokenize,
      searchOptions: { tokenize },
    });
    index.addAll(store.memories as StoredMemory[]);
    const holding = new Map<string, number>();
    for (const memory of store.memories)
      for (const word of new Set(FIELDS.flatMap((f) => tokenize(memory[f]))))
        holding.set(word, (holding.get(word) ?? 0) + 1);
    references.set(store, (built = { index, holding }));
  }
  const { index, holding } = built;
  const words = tokenize(query.text);
  const kept = words.filter((word) => (holding.get(word) ?? 0) <= store.memories.length * COMMON_WORD_SHARE);
  const byId = new Map(store.memories.map((m) => [m.id, m]));
  return index
    .search((kept.length > 0 ? kept : words).join(" "), {
      boost,
      filter: (r) => excludedBy(byId.get(String(r.id))!, query.filters) === undefined,
    })
    .slice(0, k)
    .map((r) => String(r.id));
}

const WORDS = [
  "alice",
  "Lisbon",
  "works",
  "at",
  "in",
  "lives",
  "Stripe",
  "jazz",
  "loves",
  "the",
  "plans",
  "visit",
  "Porto",
  "sister",
  "runs",
];
const PREDICATES = ["worksAt", "works_at", "livesIn", "lives_in", "loves", "plansToVisit"];
const SUBJECTS = ["Alice", "alice", "Bob", "alice-chen"];

function randomStore(seed: number, size: number): SimulatedStore {
  const random = createRng(seed);
  const pick = <T>(items: readonly T[]): T => items[Math.floor(random() * items.length)]!;
  const phrase = (max: number) => Array.from({ length: 1 + Math.floor(random() * max) }, () => pick(WORDS)).join(" ");
  const memories: StoredMemory[] = Array.from({ length: size }, (_, i) => ({
    id: `m${i}`,
    conversation_id: `c${i % 7}`,
    scope: "s",
    version: random() < 0.5 ? "baseline" : "candidate",
    type: pick(["fact", "preference", "event"]),
    subject: pick(SUBJECTS),
    ...(random() < 0.3 ? { subject_entity: "alice-chen" } : {}),
    predicate: pick(PREDICATES),
    object: random() < 0.1 ? "" : phrase(3),
    text: phrase(8),
    confidence: Math.round(random() * 100) / 100,
    evidence: [],
  }));
  return { scope: "s", strategy: "baseline", memories };
}

function randomQuery(random: () => number, i: number): RetrievalQuery {
  const pick = <T>(items: readonly T[]): T => items[Math.floor(random() * items.length)]!;
  const text = Array.from({ length: 1 + Math.floor(random() * 6) }, () => pick([...WORDS, "unknown"])).join(" ");
  const roll = random();
  const filters =
    roll < 0.25
      ? { subject: pick(SUBJECTS), predicate: pick(PREDICATES) }
      : roll < 0.4
        ? { predicate: pick(PREDICATES), min_confidence: 0.3 }
        : roll < 0.5
          ? { type: pick(["fact", "preference"]) }
          : undefined;
  return { id: `q${i}`, scope: "s", text, ...(filters ? { filters } : {}) };
}

describe("the BM25 retriever", () => {
  it("ranks exactly as MiniSearch does, filters, ties and repeated query words included", async () => {
    const random = createRng(11);
    let compared = 0;
    for (const [seed, size] of [
      [1, 12],
      [2, 60],
      [3, 250],
    ] as const) {
      const store = randomStore(seed, size);
      for (const boost of [
        { text: 1, subject: 1, predicate: 1, object: 1 },
        { text: 2, subject: 0.5, predicate: 3, object: 1 },
      ]) {
        const retriever = await createBm25Retriever(Bm25SettingsSchema.parse({ kind: "bm25", boost }));
        for (let i = 0; i < 150; i++) {
          const query = randomQuery(random, i);
          for (const k of [1, 5, 40]) {
            expect(
              await retriever.search(store, query, k),
              `${query.text} ${JSON.stringify(query.filters)} k=${k}`,
            ).toEqual(reference(store, query, k, boost));
            compared++;
          }
        }
      }
    }
    expect(compared).toBe(2_700);
  });

  it("reads a memory's words once per scope, and ranks a store the same after another store of the scope was searched", async () => {
    const store = randomStore(4, 80);
    const other: SimulatedStore = { ...store, strategy: "coexist", memories: store.memories.slice(20) };
    const retriever = await createBm25Retriever(Bm25SettingsSchema.parse({ kind: "bm25" }));
    const query: RetrievalQuery = { id: "q", scope: "s", text: "lives in Lisbon" };
    const before = await retriever.search(store, query, 10);
    expect(await retriever.search(other, query, 10)).toEqual(
      reference(other, query, 10, { text: 1, subject: 1, predicate: 1, object: 1 }),
    );
    expect(await retriever.search({ ...store }, query, 10)).toEqual(before);
  });

  it("leaves a field whose boost is 0 out of the score", async () => {
    const memories = randomStore(5, 30).memories.map((m, i) => ({
      ...m,
      text: i === 3 ? "jazz" : "plans",
      object: "",
      predicate: i === 7 ? "jazz" : "loves",
    }));
    const store: SimulatedStore = { scope: "s", strategy: "baseline", memories };
    const retriever = await createBm25Retriever(Bm25SettingsSchema.parse({ kind: "bm25", boost: { predicate: 0 } }));
    expect(await retriever.search(store, { id: "q", scope: "s", text: "jazz" }, 5)).toEqual(["m3"]);
  });
});
