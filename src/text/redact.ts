/** Environment variable names that hold secrets: API keys, tokens, passwords. */
const SECRET_NAME = /KEY|TOKEN|SECRET|PASSWORD|PASSWD|CREDENTIAL|AUTH/i;
/** Shorter values are too likely to occur by chance to be worth hiding (and too weak to be keys). */
const MIN_SECRET_LENGTH = 8;

export const REDACTED = "[redacted]";

/** The values of the environment's secret-looking variables, longest first. */
export function secretValues(env: NodeJS.ProcessEnv = process.env): string[] {
  return [...new Set(Object.entries(env).flatMap(([name, value]) => (value && SECRET_NAME.test(name) && value.length >= MIN_SECRET_LENGTH ? [value] : [])))].sort(
    (a, b) => b.length - a.length,
  );
}

/** Text with every secret value replaced, before it is stored or printed. */
export function redactSecrets(text: string, secrets: readonly string[] = secretValues()): string {
  let out = text;
  for (const secret of secrets) if (out.includes(secret)) out = out.split(secret).join(REDACTED);
  return out;
}
