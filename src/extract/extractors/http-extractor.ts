import { UsageError } from "../../errors.js";
import { formatProblem } from "../../errors.js";
import { issuesToProblems } from "../../load/validate-record.js";
import type { SampleError } from "../../schema/dry-run.js";
import type { HttpExtractor } from "../../schema/extractor-config.js";
import { emptyUsage, type ExtractOutput, type ExtractStageFactory } from "../extract-stage.js";
import { ExtractorOutputSchema } from "../../schema/candidate.js";
import { redact, registerSecret } from "../../text/redact.js";

/** An answer that is not valid JSON is asked for once more. */
const ATTEMPTS = 2;

/**
 * Header values from the environment; a missing variable is bad usage, found before any work starts.
 * `what` names the endpoint in that message (`the http extractor at URL`).
 */
export function headersFromEnv(
  headers: HttpExtractor["headers"],
  env: NodeJS.ProcessEnv,
  what: string,
): Record<string, string> {
  const missing = Object.values(headers)
    .map((h) => h.env)
    .filter((name) => !env[name]);
  if (missing.length > 0) throw new UsageError(`${what} needs ${[...new Set(missing)].join(", ")} set (header values)`);
  // Header values are credentials: hidden wherever the endpoint's answers or errors repeat them.
  for (const header of Object.values(headers)) registerSecret(env[header.env]);
  return Object.fromEntries(Object.entries(headers).map(([name, h]) => [name, env[h.env]!]));
}

type Posted = { body: string } | { error: SampleError };

async function post(url: string, headers: Record<string, string>, payload: string, timeoutMs: number): Promise<Posted> {
  let response: Response;
  try {
    response = await fetch(url, {
      method: "POST",
      headers: { "content-type": "application/json", accept: "application/json", ...headers },
      body: payload,
      signal: AbortSignal.timeout(timeoutMs),
    });
  } catch (error) {
    const name = (error as Error).name;
    if (name === "TimeoutError" || name === "AbortError")
      return { error: { kind: "timeout", message: `POST ${url} did not answer within ${timeoutMs} ms` } };
    return {
      error: {
        kind: "http_error",
        message: redact(
          `POST ${url} failed: ${((error as Error).cause as Error | undefined)?.message ?? (error as Error).message}`,
        ),
      },
    };
  }
  const body = await response.text();
  if (!response.ok)
    return {
      error: {
        kind: "http_error",
        message: redact(`POST ${url} answered HTTP ${response.status} ${response.statusText}`.trim()),
      },
    };
  return { body };
}

/**
 * The user's own dry-run endpoint: `POST {conversation, config}` JSON, candidates JSON back (a bare
 * array or `{candidates, usage?}`), validated. Header values come from named environment variables
 * and are never written anywhere.
 */
export const createHttpExtractor: ExtractStageFactory<HttpExtractor> = async (extractor, context) => {
  const headers = headersFromEnv(
    extractor.headers,
    context.env ?? process.env,
    `the http extractor at ${extractor.url}`,
  );
  return {
    async extract({ conversation, turns }): Promise<ExtractOutput> {
      const payload = JSON.stringify({ conversation: { ...conversation, turns }, config: context.config });
      const failed = (error: SampleError, calls: number): ExtractOutput => ({
        candidates: [],
        calls,
        jsonFailures: 0,
        usage: emptyUsage(),
        error,
      });
      let parsed: unknown;
      for (let attempt = 1; ; attempt++) {
        const result = await post(extractor.url, headers, payload, extractor.timeout_ms);
        if ("error" in result) return failed(result.error, 1);
        try {
          parsed = JSON.parse(result.body);
          break;
        } catch {
          if (attempt === ATTEMPTS) return { candidates: [], calls: 1, jsonFailures: 1, usage: emptyUsage() };
        }
      }
      const validated = ExtractorOutputSchema.safeParse(parsed);
      if (!validated.success) {
        const problems = issuesToProblems(validated.error.issues, parsed, { file: "response" });
        return failed(
          {
            kind: "invalid_output",
            message: `${extractor.url} answered candidates that do not validate: ${problems.slice(0, 3).map(formatProblem).join("; ")}`,
          },
          1,
        );
      }
      const output = validated.data;
      return Array.isArray(output)
        ? { candidates: output, calls: 1, jsonFailures: 0, usage: emptyUsage() }
        : { candidates: output.candidates, calls: 1, jsonFailures: 0, usage: output.usage ?? emptyUsage() };
    },
  };
};
