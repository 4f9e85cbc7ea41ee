import { mkdirSync, readFileSync, writeFileSync } from "node:fs";
import { join } from "node:path";
import { REPO } from "../cli/helpers.js";

const SCRIPT = join(REPO, "test/fixtures/extractors/slow-extractor.sh");

interface Turn {
  id: string;
  speaker: string;
  role: string;
  text: string;
}

/** What the slow extractor answers for a conversation: a candidate per user turn of four words or more. */
function candidates(turns: readonly Turn[], configName: string) {
  return turns
    .filter((turn) => turn.role === "user" && turn.text.trim().split(/\s+/).length >= 4)
    .map((turn) => {
      const words = turn.text
        .replace(/[^\p{L}\p{N} ]+/gu, " ")
        .trim()
        .split(/\s+/);
      return {
        text: `${turn.speaker} said ${words.slice(1, 4).join(" ")}`,
        type: configName.endsWith("b") ? "event" : "fact",
        subject: turn.speaker,
        predicate: "said",
        object: words.slice(1, 4).join(" "),
        confidence: 0.7,
        evidence: [turn.id],
      };
    });
}

/**
 * Configs `names` of the slow extractor (test/fixtures/extractors/slow-extractor.sh) in `dir`, one
 * `NAME.yaml` each, with their answers to every conversation of `conversationsFile` written beside
 * them. Schema version 1, or the one `schemaVersion` gives a name.
 */
export function writeSlowExtractors(
  dir: string,
  conversationsFile: string,
  names: readonly string[],
  schemaVersion: (name: string) => number = () => 1,
): void {
  const conversations = readFileSync(conversationsFile, "utf8")
    .split("\n")
    .filter(Boolean)
    .map((line) => JSON.parse(line) as { id: string; turns: Turn[] });
  const answers = join(dir, "slow-answers");
  for (const name of names) {
    mkdirSync(join(answers, name), { recursive: true });
    for (const conversation of conversations)
      writeFileSync(
        join(answers, name, `${conversation.id}.json`),
        JSON.stringify(candidates(conversation.turns, name)),
      );
    writeFileSync(
      join(dir, `${name}.yaml`),
      `name: ${name}\nextractor:\n  provider: command\n  schema_version: ${schemaVersion(name)}\n  command: ["/bin/sh", ${JSON.stringify(SCRIPT)}, ${JSON.stringify(answers)}]\n`,
    );
  }
}
