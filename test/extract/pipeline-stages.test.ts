import { describe, expect, it } from "vitest";
import { dedupeCandidates } from "../../src/extract/dedupe.js";
import { normalizePredicate, predicateMap, scaleConfidence } from "../../src/extract/normalize.js";
import { isSmallTalk, prefilterTurns } from "../../src/extract/prefilter.js";
import { EntityTable } from "../../src/extract/resolve-refs.js";
import { modelVersionHash, uuidV5 } from "../../src/extract/uuid-v5.js";
import type { Candidate } from "../../src/schema/candidate.js";
import { makeCandidate } from "../fixtures/candidate.js";
import { DedupeSchema, PrefilterSchema } from "../../src/schema/extractor-config.js";

const candidate = (overrides: Partial<Candidate>): Candidate =>
  makeCandidate({ text: "Alice works at Stripe", object: "Stripe", confidence: 0.7, entities: [], ...overrides });

describe("prefilter", () => {
  it.each(["hi!", "thanks 🙏", "ok cool", "Good morning!", "sounds good, thanks", "lol"])(
    "treats %s as small talk",
    (text) => {
      expect(isSmallTalk(text)).toBe(true);
    },
  );
  it.each(["hi, I work at Stripe", "thanks, my sister is Ann", "I live in Leeds"])("keeps %s", (text) => {
    expect(isSmallTalk(text)).toBe(false);
  });
  it("drops short, empty, system and small-talk turns and counts them", () => {
    const turns = [
      { id: "t1", speaker: "system", role: "system" as const, text: "You are a helpful assistant." },
      { id: "t2", speaker: "A", role: "user" as const, text: "hey" },
      { id: "t3", speaker: "A", role: "user" as const, text: "   " },
      { id: "t4", speaker: "A", role: "user" as const, text: "thank you so much" },
      { id: "t5", speaker: "A", role: "user" as const, text: "I live in Leeds" },
    ];
    const result = prefilterTurns(turns, PrefilterSchema.parse({}));
    expect(result.kept.map((t) => t.id)).toEqual(["t5"]);
    expect(result.dropped).toBe(4);
    expect(prefilterTurns(turns, PrefilterSchema.parse({ enabled: false })).dropped).toBe(0);
  });
});

describe("resolve_refs cascade", () => {
  const table = () =>
    new EntityTable([
      { id: "ent-alice", name: "Alice Chen", aliases: ["Alice"] },
      { id: "ent-priya", name: "Priya Raman", aliases: [] },
      { name: "Stripe", aliases: [] },
    ]);
  it.each([
    ["Alice Chen", "exact", "ent-alice"],
    ["alice chen", "exact", "ent-alice"],
    ["Alice", "alias", "ent-alice"],
    ["Dr. Priya Raman", "fuzzy", "ent-priya"],
    ["Priya Ramen", "fuzzy", "ent-priya"],
    ["Stripe", "exact", "ent-stripe"],
  ])("%s resolves by %s", (mention, stage, id) => {
    expect(table().resolve(mention)).toEqual({ mention, id, stage });
  });
  it("falls back to a UUID v5 of the raw string, and every repeat of an unknown name is a fallback too", () => {
    const entities = table();
    const first = entities.resolve("Bob");
    expect(first).toEqual({ mention: "Bob", id: uuidV5("Bob"), stage: "fallback" });
    expect(entities.resolve("Bob")).toEqual({ mention: "Bob", id: first.id, stage: "fallback" });
  });

  it.each([
    ["Andrew Smithson", "a shared surname does not rescue a different first name"],
    ["Audry Smithson", "a typo is forgiven only after an identical first name"],
    ["A. Smithson", "initials resolve only through aliases"],
    ["Smithson", "a surname alone is not the person"],
    ["Priya", "a first name alone resolves only through an alias"],
    ["priya-raman", "an identifier (slug) is not a name"],
  ])("%s does not resolve: %s", (mention) => {
    const entities = new EntityTable([
      { id: "ent-audrey", name: "Audrey Smithson", aliases: [] },
      { id: "ent-priya", name: "Priya Raman", aliases: [] },
    ]);
    expect(entities.resolve(mention).stage).toBe("fallback");
  });

  it.each([
    ["Ms. Caroline", "fuzzy"],
    ["Dr. Audrey Smithson", "fuzzy"],
    ["AUDREY SMITHSON", "exact"],
    ["Audrey Smithsonn", "fuzzy"],
    ["Caroline", "alias"],
  ])("%s resolves by %s: titles, case and a surname typo are what resolution is for", (mention, stage) => {
    const entities = new EntityTable([
      { id: "ent-audrey", name: "Audrey Smithson", aliases: [] },
      { id: "ent-caroline", name: "Caroline Wu", aliases: ["Caroline"] },
    ]);
    expect(entities.resolve(mention).stage).toBe(stage);
    expect(entities.resolve(mention).id).not.toMatch(/^[0-9a-f]{8}-/);
  });
  it("computes RFC 4122 version 5 UUIDs", () => {
    // The RFC's DNS namespace example: uuid5(NAMESPACE_DNS, "python.org").
    expect(uuidV5("python.org", "6ba7b810-9dad-11d1-80b4-00c04fd430c8")).toBe("886313e1-3b8a-5372-9b90-0c9aee199e5d");
    expect(modelVersionHash("claude-haiku-4-5")).toMatch(/^[0-9a-f]{16}$/);
    expect(modelVersionHash("claude-haiku-4-5")).toBe(modelVersionHash("claude-haiku-4-5"));
  });
});

describe("dedupe", () => {
  it("collapses the same fact and near-identical texts, merging evidence and keeping the higher confidence", () => {
    const result = dedupeCandidates(
      [
        candidate({ evidence: ["t1"], confidence: 0.6 }),
        candidate({ evidence: ["t5"], confidence: 0.9, text: "Alice works at Stripe!" }),
        candidate({ predicate: "lives_in", object: "Leeds", text: "Alice lives in Leeds" }),
      ],
      DedupeSchema.parse({}),
    );
    expect(result.collapsed).toBe(1);
    expect(result.kept).toHaveLength(2);
    expect(result.kept[0]).toMatchObject({ evidence: ["t1", "t5"], confidence: 0.9 });
  });
  it("keeps everything when disabled", () => {
    const result = dedupeCandidates([candidate({}), candidate({})], DedupeSchema.parse({ enabled: false }));
    expect(result).toMatchObject({ collapsed: 0 });
    expect(result.kept).toHaveLength(2);
  });
});

describe("predicate normalization and confidence scaling", () => {
  it("maps raw predicates to canonical ones only when enabled", () => {
    const mappings = [{ from: ["worksAt", "works_for"], to: "works_at" }];
    const map = predicateMap({ enabled: true, mappings });
    expect(normalizePredicate("worksAt", map)).toBe("works_at");
    expect(normalizePredicate("lives_in", map)).toBe("lives_in");
    expect(normalizePredicate("worksAt", predicateMap({ enabled: false, mappings }))).toBe("worksAt");
  });
  it("scales confidence and clamps it to [0, 1]", () => {
    expect(scaleConfidence(0.85, { enabled: true, factor: 0.92 })).toBe(0.782);
    expect(scaleConfidence(0.9, { enabled: true, factor: 1.5 })).toBe(1);
    expect(scaleConfidence(0.85, { enabled: false, factor: 0.5 })).toBe(0.85);
  });
});
