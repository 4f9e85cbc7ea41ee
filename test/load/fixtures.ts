import { join } from "node:path";
import { fileURLToPath } from "node:url";
import { InputError } from "../../src/errors.js";

/** test/fixtures/bad: small input files with exactly one defect each. */
export const BAD = fileURLToPath(new URL("../fixtures/bad", import.meta.url));
/** test/fixtures/good: inputs that load. */
export const GOOD = fileURLToPath(new URL("../fixtures/good", import.meta.url));

export const bad = (name: string): string => join(BAD, name);
export const good = (name: string): string => join(GOOD, name);

/** Run a loader that must reject its input; returns the InputError (any other outcome fails the test). */
export async function inputErrorOf(run: () => unknown): Promise<InputError> {
  try {
    await run();
  } catch (error) {
    if (error instanceof InputError) return error;
    throw error;
  }
  throw new Error("expected an InputError, but the input was accepted");
}
