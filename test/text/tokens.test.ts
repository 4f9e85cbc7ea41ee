import { describe, expect, it } from "vitest";
import {
  contentTokens,
  dice,
  editDistance,
  predicateKey,
  slugify,
  splitIdentifier,
  stem,
  textSimilarity,
  tokenSet,
} from "../../src/text/tokens.js";

describe("splitIdentifier and predicateKey", () => {
  it("split camelCase, acronyms and separators into words", () => {
    expect(splitIdentifier("worksAt")).toBe("works At");
    expect(splitIdentifier("HTTPServer_name-x.y")).toBe("HTTP Server name x y");
  });
  it("give one key whatever the case and separators", () => {
    for (const predicate of ["worksAt", "works_at", "Works-At", "works.at"])
      expect(predicateKey(predicate)).toBe("worksat");
    expect(predicateKey("livesIn")).not.toBe(predicateKey("worksAt"));
  });
});

describe("contentTokens", () => {
  it("drops stopwords and contractions, folds accents and case, stems what is left", () => {
    expect(contentTokens("I'm hiking in Zürich; she doesn't like the hikes!")).toEqual([
      "hike",
      "zurich",
      "like",
      "hike",
    ]);
    expect(contentTokens("worksAt Globex")).toEqual(["work", "globex"]);
  });
  it("keeps nothing of a text made of stopwords and punctuation", () => {
    expect(contentTokens("I'll be there, isn't it?")).toEqual([]);
    // Cutting "n't" from these would leave "wo", "ca", "sha" and "ai", words of nothing.
    expect(contentTokens("I won't go, can't stay, shan't call, ain’t it")).toEqual(["go", "stai", "call"]);
    expect(contentTokens("")).toEqual([]);
  });
  it("leaves words of two letters or fewer unstemmed", () => {
    expect(stem("is")).toBe("is");
    expect(stem("hiking")).toBe(stem("hikes"));
  });
});

describe("tokenSet, dice and textSimilarity", () => {
  it("memoizes a text's token set", () => {
    expect(tokenSet("Alice hikes")).toBe(tokenSet("Alice hikes"));
    expect([...tokenSet("Alice hikes")]).toEqual(["alic", "hike"]);
  });
  it("score shared tokens: 2|A∩B| / (|A|+|B|), 0 for two empty sets", () => {
    expect(dice(new Set(), new Set())).toBe(0);
    expect(dice(new Set(["a", "b"]), new Set(["b", "c"]))).toBe(0.5);
    expect(textSimilarity("Alice lives in Lisbon", "Alice lived in Lisbon")).toBe(1);
    expect(textSimilarity("Alice lives in Lisbon", "Bob works at Globex")).toBe(0);
  });
});

describe("editDistance", () => {
  it("counts an adjacent swap as one edit (optimal string alignment)", () => {
    expect(editDistance("txet", "text")).toBe(1);
    expect(editDistance("kitten", "sitting")).toBe(3);
    expect(editDistance("", "")).toBe(0);
    expect(editDistance("abc", "")).toBe(3);
    // A swapped pair is not edited again: 3, where unrestricted Damerau–Levenshtein gives 2.
    expect(editDistance("ca", "abc")).toBe(3);
  });
});

describe("slugify", () => {
  it("lowercases, folds accents, joins words with single hyphens and trims them", () => {
    expect(slugify("  Alice Chén -- & Co. ")).toBe("alice-chen-co");
    expect(slugify("---")).toBe("");
  });
});
