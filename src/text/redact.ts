/**
 * One redaction for every string that leaves the process: the terminal, the run log, every report,
 * the step summary, the cache. It hides the key values the run read (each provider's key variable or
 * `api_key_env`, the header variables of the `http` extractor: registered as they are read), the
 * values of the environment's secret-looking variables, and the common shapes of API keys, wherever
 * they occur, even in a server's error message that echoes them.
 */

/** Environment variable names that hold secrets: API keys, tokens, passwords. */
const SECRET_NAME = /KEY|TOKEN|SECRET|PASSWORD|PASSWD|CREDENTIAL|AUTH/i;
/** Shorter values are too likely to occur by chance to be worth hiding (and too weak to be keys). */
const MIN_SECRET_LENGTH = 8;

export const REDACTED = "[redacted]";

/**
 * The shapes of widely used keys, hidden even when the run never read them: Anthropic and OpenAI
 * keys, GitHub, Google, Slack, AWS access key ids, Hugging Face and Groq tokens, and any bearer token.
 */
const KEY_SHAPES = [
  String.raw`\bsk-[A-Za-z0-9][A-Za-z0-9_-]{19,}`,
  String.raw`\b(?:ghp|gho|ghu|ghs|ghr)_[A-Za-z0-9]{30,}`,
  String.raw`\bgithub_pat_[A-Za-z0-9_]{30,}`,
  String.raw`\bAIza[0-9A-Za-z_-]{35}`,
  String.raw`\bxox[abprs]-[A-Za-z0-9-]{10,}`,
  String.raw`\b(?:AKIA|ASIA)[0-9A-Z]{16}\b`,
  String.raw`\bhf_[A-Za-z0-9]{30,}`,
  String.raw`\bgsk_[A-Za-z0-9]{20,}`,
  // The word is kept (its group): `Bearer [redacted]`. No lookbehind: it would cost a look at every position.
  String.raw`\b(Bearer\s{1,8})[A-Za-z0-9._~+/-]{16,}=*`,
];

/** Key values the run read, as it read them. */
const known = new Set<string>();
let envScanned = false;
let pattern: RegExp | undefined;

function escapeRegExp(text: string): string {
  return text.replace(/[.*+?^${}()|[\]\\/-]/g, "\\$&");
}

/** The values of an environment's secret-looking variables, longest first. */
export function secretValues(env: NodeJS.ProcessEnv = process.env): string[] {
  return [
    ...new Set(
      Object.entries(env).flatMap(([name, value]) =>
        value && SECRET_NAME.test(name) && value.length >= MIN_SECRET_LENGTH ? [value] : [],
      ),
    ),
  ].sort((a, b) => b.length - a.length);
}

/** Hide this value from now on wherever it appears (a key the run read). Values under 8 characters are left alone. */
export function registerSecret(value: string | undefined): void {
  if (!value || value.length < MIN_SECRET_LENGTH || known.has(value)) return;
  known.add(value);
  // As it reads inside JSON too (the run log, report.json), should it hold a quote or a backslash.
  known.add(JSON.stringify(value).slice(1, -1));
  pattern = undefined;
}

/** Hide the values of an environment's secret-looking variables (the process's own are always hidden). */
export function registerSecretsFrom(env: NodeJS.ProcessEnv): void {
  for (const value of secretValues(env)) registerSecret(value);
}

function currentPattern(): RegExp {
  if (!envScanned) {
    envScanned = true;
    registerSecretsFrom(process.env);
  }
  // Longest values first: one that contains another is hidden whole.
  pattern ??= new RegExp(
    [...[...known].sort((a, b) => b.length - a.length).map(escapeRegExp), ...KEY_SHAPES].join("|"),
    "g",
  );
  return pattern;
}

/** Text with every known key value and every key-shaped string replaced by `[redacted]`. */
export function redact(text: string): string {
  const re = currentPattern();
  re.lastIndex = 0;
  return re.test(text)
    ? text.replace(re, (_match, bearer: string | undefined) => (bearer ? `${bearer}${REDACTED}` : REDACTED))
    : text;
}

/**
 * A JSON value with every string redacted: the value itself when nothing needed hiding, else a copy.
 * Used on whole reports before they are rendered, so a renderer that shortens a text can never cut a
 * key in half and print the half it kept.
 */
export function redactValue<T>(value: T): T {
  const json = JSON.stringify(value);
  if (json === undefined) return value;
  const clean = redact(json);
  return clean === json ? value : (JSON.parse(clean) as T);
}
