import { RunError } from "../errors.js";
import type { RetrySettings } from "../schema/bench-config.js";
import type { ModelClient } from "./model-client.js";
import { ProviderError, type CompletionRequest } from "./provider.js";
import { withRetries } from "./retry.js";

/** A model could not be called at all before the run started: nothing was paid for beyond one small request. */
export class PreflightError extends RunError {}

/** The preflight's system prompt: a server can tell the check from the run's own calls by it. */
export const PREFLIGHT_SYSTEM =
  'This request checks that the model can be called. Answer with the JSON object {"ok": true}.';

/** What to check for a refusal the preflight met. */
function hint(error: unknown): string {
  if (!(error instanceof ProviderError)) return "";
  if (error.kind === "connection") return "; check base_url and that the server is running";
  if (error.status === 401) return "; check the API key variable (api_key_env)";
  if (error.status === 403) return "; check the API key's permissions";
  if (error.status === 404) return "; check the model name: it may be misspelled or retired";
  if (error.status === 400 && error.param)
    return `; the API refuses \`${error.param}\` for this model: change or remove the setting that sends it`;
  return "";
}

function roles(clients: ModelClient[]): string {
  const names = [...new Set(clients.map((c) => (c.scope === "judge" ? "judge" : c.scope)))];
  return names.join(", ");
}

/**
 * One small request to a model, built as the run's own calls are (its token field, temperature,
 * effort, thinking and structured output), so what the API would refuse on every call is refused
 * here first. Transient failures are retried as any call is; the answer's content does not matter.
 */
export async function runPreflight(clients: ModelClient[], retries: RetrySettings): Promise<void> {
  const client = clients[0]!;
  const { settings } = client;
  const request: CompletionRequest = {
    system: PREFLIGHT_SYSTEM,
    messages: [{ role: "user", content: "Check." }],
    max_tokens: settings.max_tokens,
    format: {
      name: "check",
      schema: {
        type: "object",
        properties: { ok: { type: "boolean" } },
        required: ["ok"],
        additionalProperties: false,
      },
    },
  };
  if (typeof settings.temperature === "number") request.temperature = settings.temperature;
  try {
    const answer = await withRetries(() => {
      client.countPreflight(undefined);
      return client.send(request);
    }, retries);
    client.countPreflight(answer);
  } catch (error) {
    if (error instanceof RunError) throw error;
    const message = error instanceof Error ? error.message : String(error);
    throw new PreflightError(
      `cannot call ${settings.provider} ${settings.model} at ${client.endpoint} (used by ${roles(clients)}): ${message}${hint(error)}`,
    );
  }
}
