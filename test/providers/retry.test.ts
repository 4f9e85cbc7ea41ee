import { describe, expect, it } from "vitest";
import { retryAfterMs } from "../../src/providers/classify-error.js";
import { ProviderError } from "../../src/providers/provider.js";
import { retryDelay, withRetries } from "../../src/providers/retry.js";

const settings = { max_retries: 3, base_delay_ms: 100, max_delay_ms: 1000 };

describe("retryDelay", () => {
  it("doubles from the base with jitter over the upper half, capped", () => {
    const error = new ProviderError("server", "x", 500);
    expect(retryDelay(error, 1, settings, () => 0)).toBe(50);
    expect(retryDelay(error, 1, settings, () => 0.999999)).toBe(100);
    expect(retryDelay(error, 3, settings, () => 0.999999)).toBe(400);
    expect(retryDelay(error, 6, settings, () => 0.999999)).toBe(1000);
  });

  it("honours retry-after, up to max_delay_ms", () => {
    expect(retryDelay(new ProviderError("rate_limited", "x", 429, 700), 1, settings)).toBe(700);
    expect(retryDelay(new ProviderError("rate_limited", "x", 429, 5000), 1, settings)).toBe(1000);
  });
});

describe("retryAfterMs", () => {
  const headers = (values: Record<string, string>) => new Headers(values);
  it("reads retry-after-ms, retry-after in seconds and as an HTTP date", () => {
    expect(retryAfterMs(headers({ "retry-after-ms": "250" }))).toBe(250);
    expect(retryAfterMs(headers({ "retry-after": "2" }))).toBe(2000);
    expect(retryAfterMs(headers({ "retry-after": "Thu, 01 Jan 1970 00:00:03 GMT" }), 1000)).toBe(2000);
    expect(retryAfterMs(headers({}))).toBeUndefined();
  });
});

describe("withRetries", () => {
  it("retries retryable errors, waits as computed, and gives up after max_retries", async () => {
    const waits: number[] = [];
    let calls = 0;
    const failing = () => {
      calls++;
      return Promise.reject(new ProviderError("overloaded", "busy", 529));
    };
    await expect(
      withRetries(failing, settings, { sleep: async (ms) => void waits.push(ms), random: () => 0 }),
    ).rejects.toThrow("busy");
    expect(calls).toBe(4);
    expect(waits).toEqual([50, 100, 200]);
  });

  it("does not retry a client error", async () => {
    let calls = 0;
    await expect(
      withRetries(
        () => {
          calls++;
          return Promise.reject(new ProviderError("client", "bad request", 400));
        },
        settings,
        {
          sleep: async () => {},
        },
      ),
    ).rejects.toThrow();
    expect(calls).toBe(1);
  });
});
