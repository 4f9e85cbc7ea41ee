import { headersFromEnv } from "../../extract/extractors/http-extractor.js";
import { modelFetch } from "../../providers/http-transport.js";
import { HttpRetrieverSettingsSchema, type HttpRetrieverSettings } from "../../schema/retrievers.js";
import type { Retriever, SimulatedStore } from "../../schema/retrieval-store.js";
import { readAnswer, RetrieverError, searchRequest, storeRequest, wireStore } from "./command.js";

export { HttpRetrieverSettingsSchema, type HttpRetrieverSettings };

/** Characters of an error answer's body quoted in its message. */
const QUOTED_BODY = 200;

export interface HttpRetrieverContext {
  /** Where header values are read from. Default: the process's environment. */
  env?: NodeJS.ProcessEnv;
}

/** POST one JSON body; the answer's body, or a RetrieverError naming what went wrong. */
async function post(
  url: string,
  headers: Record<string, string>,
  body: string,
  timeoutMs: number,
  what: string,
): Promise<string> {
  let response: Response;
  try {
    response = await modelFetch(url, {
      method: "POST",
      headers: { "content-type": "application/json", accept: "application/json", ...headers },
      body,
      signal: AbortSignal.timeout(timeoutMs),
    });
  } catch (error) {
    const name = (error as Error).name;
    if (name === "TimeoutError" || name === "AbortError")
      throw new RetrieverError("timeout", `${what}: POST ${url} did not answer within ${timeoutMs} ms`);
    const cause = ((error as Error).cause as Error | undefined)?.message ?? (error as Error).message;
    throw new RetrieverError("failed", `${what}: POST ${url} failed: ${cause}`);
  }
  const text = await response.text();
  if (!response.ok) {
    const shown = text.trim().slice(0, QUOTED_BODY);
    throw new RetrieverError(
      "failed",
      `${what}: POST ${url} answered HTTP ${response.status}${response.statusText ? ` ${response.statusText}` : ""}${shown ? `: ${shown}` : ""}`,
    );
  }
  return text;
}

/**
 * The team's own retrieval as an HTTP endpoint: the command retriever's protocol over POST, through
 * the bench's keep-alive transport. `POST {store, query, k}` answers `{"ids": [...]}` or a bare
 * array. With `store_once`, each store is posted once as `{store: {store_id, scope, memories}}` (any
 * 2xx answer), then each query as `{store: {store_id, scope}, query, k}`; a store whose load failed
 * is posted again by its next query. Header values come from environment variables (a missing one
 * is a UsageError here) and never appear in a message. A failed search throws RetrieverError.
 */
export function createHttpRetriever(settings: HttpRetrieverSettings, context: HttpRetrieverContext = {}): Retriever {
  const headers = headersFromEnv(settings.headers, context.env ?? process.env, `the http retriever at ${settings.url}`);
  const loaded = new Map<string, Promise<void>>();

  const load = (store: SimulatedStore): Promise<void> => {
    const { id } = wireStore(store);
    let done = loaded.get(id);
    if (!done) {
      done = post(settings.url, headers, storeRequest(store), settings.timeout_ms, `store ${id} (${store.scope})`).then(
        () => undefined,
      );
      loaded.set(id, done);
      done.catch(() => loaded.delete(id));
    }
    return done;
  };

  return {
    name: "http",
    async search(store, query, k) {
      const what = `query ${query.id}`;
      if (settings.store_once) await load(store);
      const held = settings.store_once ? {} : undefined;
      const body = await post(settings.url, headers, searchRequest(store, query, k, held), settings.timeout_ms, what);
      return readAnswer(body, store, k, `${what}: ${settings.url}`);
    },
  };
}
