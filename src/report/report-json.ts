import { createHash } from "node:crypto";
import type { BenchReport } from "../schema/report.js";

/** The last member of a sealed report.json: the SHA-256 of the file as it reads without it. */
const SEAL = /,\n {2}"checksum": "sha256:([0-9a-f]{64})"\n\}\n?$/;

function sha256(text: string): string {
  return createHash("sha256").update(text, "utf8").digest("hex");
}

/**
 * report.json as the bench writes it: the report, then its own SHA-256 as a last member. A reader
 * that finds the seal intact knows the file is exactly what the bench validated and wrote, and need
 * not validate it again; an edited or damaged file is validated in full.
 */
export function sealReportJson(report: BenchReport): string {
  const text = JSON.stringify(report, null, 2);
  return `${text.slice(0, -2)},\n  "checksum": "sha256:${sha256(text)}"\n}\n`;
}

/** The report of a sealed report.json whose seal holds, or undefined (no seal, or the file changed since). */
export function openSealedReportJson(text: string): BenchReport | undefined {
  const match = SEAL.exec(text);
  if (!match) return undefined;
  const body = `${text.slice(0, match.index)}\n}`;
  if (sha256(body) !== match[1]) return undefined;
  return JSON.parse(body) as BenchReport;
}
