import { mkdtempSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { ModelRuntime, type ModelRuntimeOptions } from "../../src/providers/model-runtime.js";

export const FAKE_KEY = "fake.test.key.0123456789abcdef";

/** A model runtime for tests: cache off unless asked, fast retries, the fake key for both providers, no preflight unless asked. */
export function testRuntime(extra: Partial<ModelRuntimeOptions> = {}): ModelRuntime {
  return new ModelRuntime({
    cache: { mode: "off", dir: join(mkdtempSync(join(tmpdir(), "eb-cache-")), "cache") },
    rateLimits: {},
    retries: { max_retries: 2, base_delay_ms: 1, max_delay_ms: 20 },
    pricing: {},
    env: { ANTHROPIC_API_KEY: FAKE_KEY, OPENAI_API_KEY: FAKE_KEY },
    preflight: false,
    ...extra,
  });
}
