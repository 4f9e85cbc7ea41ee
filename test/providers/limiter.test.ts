import { afterEach, describe, expect, it, vi } from "vitest";
import { ProviderLimiter } from "../../src/providers/limiter.js";

afterEach(() => {
  vi.useRealTimers();
});

const answer = (output: number) => async () => ({ usage: { output_tokens: output } });
/** The clocks the minute windows wait on; an answer's turn of the event loop (setImmediate) stays real. */
const fakeClocks = () =>
  vi.useFakeTimers({ toFake: ["setTimeout", "clearTimeout", "setInterval", "clearInterval", "Date"] });

describe("ProviderLimiter", () => {
  it("keeps at most `concurrency` requests in flight", async () => {
    const limiter = new ProviderLimiter({ concurrency: 2 });
    let inFlight = 0;
    let peak = 0;
    const slow = async () => {
      inFlight++;
      peak = Math.max(peak, inFlight);
      await new Promise((resolve) => setTimeout(resolve, 5));
      inFlight--;
      return { usage: { output_tokens: 1 } };
    };
    await Promise.all(Array.from({ length: 6 }, () => limiter.run(10, slow)));
    expect(peak).toBe(2);
  });

  it("sends the request waiting for a slot before the answer that freed it goes back to its caller", async () => {
    const limiter = new ProviderLimiter({ concurrency: 1 });
    const order: string[] = [];
    const first = limiter.run(1, answer(0)).then(() => order.push("first answer read"));
    const second = limiter.run(1, async () => {
      order.push("second request sent");
      return { usage: { output_tokens: 0 } };
    });
    await Promise.all([first, second]);
    expect(order).toEqual(["second request sent", "first answer read"]);
  });

  it("holds a request until the last minute's tokens leave room for it", async () => {
    fakeClocks();
    const limiter = new ProviderLimiter({ concurrency: 4, tokens_per_minute: 1000 });
    await limiter.run(600, answer(300)); // 900 tokens in the window
    let started = false;
    const next = limiter.run(200, async () => {
      started = true;
      return { usage: { output_tokens: 0 } };
    });
    await vi.advanceTimersByTimeAsync(59_000);
    expect(started).toBe(false);
    await vi.advanceTimersByTimeAsync(2_000);
    await next;
    expect(started).toBe(true);
  });

  it("starts at most requests_per_minute requests a minute", async () => {
    fakeClocks();
    const limiter = new ProviderLimiter({ concurrency: 10, requests_per_minute: 2 });
    let started = 0;
    const all = Array.from({ length: 3 }, () =>
      limiter.run(1, async () => {
        started++;
        return { usage: { output_tokens: 0 } };
      }),
    );
    await vi.advanceTimersByTimeAsync(10);
    expect(started).toBe(2);
    await vi.advanceTimersByTimeAsync(60_000);
    await Promise.all(all);
    expect(started).toBe(3);
  });
});
