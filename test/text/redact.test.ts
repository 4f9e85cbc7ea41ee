import { describe, expect, it } from "vitest";
import { redact, redactValue, registerSecret } from "../../src/text/redact.js";

describe("redact", () => {
  it("hides a key the run read wherever it appears, whatever its variable was called", () => {
    registerSecret("gateway.value.2f9e8d7c");
    expect(redact("HTTP 401 (invalid key gateway.value.2f9e8d7c; retry with gateway.value.2f9e8d7c)")).toBe(
      "HTTP 401 (invalid key [redacted]; retry with [redacted])",
    );
  });

  it("hides the common shapes of keys it never read", () => {
    const shaped = [
      "sk-ant-api03-Zq8XbLw2Vt5RkPn7Yd3Hf6Jm9Cs1Gx4Ue0Oa",
      "sk-proj-4fK9sL2mQ8wE1rT6yU3iO0pA7dF5gH2jK",
      "ghp_0123456789abcdefghijABCDEFGHIJ012345",
      "AIzaSyA1b2C3d4E5f6G7h8I9j0K1l2M3n4O5p6Q",
      "AKIAIOSFODNN7EXAMPLE",
      "hf_aBcDeFgHiJkLmNoPqRsTuVwXyZ0123456789",
    ];
    for (const key of shaped) expect(redact(`key=${key}.`), key).toBe("key=[redacted].");
    expect(redact("Authorization: Bearer eyJhbGciOiJIUzI1NiJ9.eyJzdWIiOiIxIn0.abc")).toBe(
      "Authorization: Bearer [redacted]",
    );
  });

  it("leaves ordinary text alone: short values, words that merely contain a prefix", () => {
    registerSecret("short");
    expect(redact("a short task-based desk-top plan")).toBe("a short task-based desk-top plan");
  });

  it("redacts inside JSON without breaking it, and returns the value itself when nothing needed hiding", () => {
    registerSecret('with"quote\\and.slash-99');
    const value = {
      message: 'refused: with"quote\\and.slash-99',
      nested: ["sk-ant-api03-Zq8XbLw2Vt5RkPn7Yd3Hf6Jm9Cs1Gx4Ue0Oa"],
    };
    expect(redactValue(value)).toEqual({ message: "refused: [redacted]", nested: ["[redacted]"] });
    const clean = { message: "nothing to hide" };
    expect(redactValue(clean)).toBe(clean);
  });
});
