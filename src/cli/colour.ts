import { PLAIN, type SummaryStyle } from "../report/style.js";

/**
 * Whether to colour the output: FORCE_COLOR (non-empty, not "0") forces it; NO_COLOR (any non-empty
 * value, no-color.org) turns it off; otherwise only on a terminal outside CI.
 */
export function colourEnabled(env: NodeJS.ProcessEnv, isTTY: boolean): boolean {
  if (env.FORCE_COLOR !== undefined && env.FORCE_COLOR !== "" && env.FORCE_COLOR !== "0" && env.FORCE_COLOR !== "false")
    return true;
  if (env.NO_COLOR !== undefined && env.NO_COLOR !== "") return false;
  if (env.FORCE_COLOR === "0" || env.FORCE_COLOR === "false") return false;
  if (env.CI !== undefined && env.CI !== "" && env.CI !== "false") return false;
  if (env.TERM === "dumb") return false;
  return isTTY;
}

const sgr = (open: number, close: number) => (text: string) => `\u001b[${open}m${text}\u001b[${close}m`;

export const COLOURS: SummaryStyle = { good: sgr(32, 39), bad: sgr(31, 39), warn: sgr(33, 39), strong: sgr(1, 22) };

export function summaryStyle(env: NodeJS.ProcessEnv, isTTY: boolean): SummaryStyle {
  return colourEnabled(env, isTTY) ? COLOURS : PLAIN;
}
