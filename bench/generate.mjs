// Seeded synthetic datasets for the benchmark suite: conversations of realistic length whose user
// turns carry first-person statements the rules extractor reads, and golden memories for them.
import { mkdirSync, writeFileSync } from "node:fs";
import { join } from "node:path";
import { createRng } from "../dist/metrics/random.js";

const FIRST = [
  "Alice",
  "Marcus",
  "Priya",
  "Jonas",
  "Sofia",
  "Harold",
  "Chioma",
  "Mateo",
  "Yuki",
  "Noor",
  "Elena",
  "Tomas",
  "Amara",
  "Lars",
];
const LAST = [
  "Chen",
  "Okafor",
  "Raman",
  "Becker",
  "Silva",
  "Novak",
  "Ito",
  "Haddad",
  "Larsen",
  "Moreau",
  "Quinn",
  "Adeyemi",
];
const ORGS = [
  "Stripe",
  "Globex",
  "Initech",
  "Umbrella Health",
  "Northwind",
  "Contoso",
  "Hooli",
  "Vandelay Imports",
  "Acme Robotics",
];
const CITIES = ["Lisbon", "Leeds", "Osaka", "Toronto", "Nairobi", "Porto", "Denver", "Krakow", "Valparaiso", "Tallinn"];
const THINGS = [
  "hiking",
  "jazz",
  "bouldering",
  "pottery",
  "sourdough baking",
  "chess",
  "kayaking",
  "birdwatching",
  "sci-fi novels",
];
const FILLER = [
  "honestly it has been a long week at work and I am trying to catch up on everything",
  "sorry if this is a bit rambly, I am typing this on my phone between meetings",
  "anyway that is the background, the actual question is further down",
  "we talked about this a while ago but I never followed up on it properly",
];
const ASSISTANT = [
  "That makes sense. Could you tell me a little more about what you have tried so far, and what the constraints are?",
  "Thanks for the context. Here is one way to approach it: start small, measure what changes, then decide on the next step.",
  "Good question. The short answer is that it depends on the trade-off you care about most, so let us look at both options.",
  "Understood. I would suggest writing down the options first, then we can compare them against your priorities together.",
];
const STATEMENTS = [
  (o) => [`I work at ${o.org} as a data engineer.`, `${o.first} works at ${o.org}`],
  (o) => [`I live in ${o.city} with my partner.`, `${o.first} lives in ${o.city}`],
  (o) => [`I really love ${o.thing}.`, `${o.first} loves ${o.thing}`],
  (o) => [`I'm allergic to penicillin, so keep that in mind.`, `${o.first} is allergic to penicillin`],
  (o) => [`I'm planning to visit ${o.city2} next spring.`, `${o.first} plans to visit ${o.city2}`],
  (o) => [`My sister is called ${o.sister}.`, `${o.first} has a sister called ${o.sister}`],
  (o) => [`I usually go running before work.`, `${o.first} usually goes running before work`],
];

/**
 * Facts whose objects share all their words but a number ("pottery class 1234", "Krakow district 57"):
 * the statement of user turn `n` and its golden memory.
 */
const REPEATED = [
  (o, n) => [`I'm taking a pottery class ${n} this term.`, `${o.first} is taking pottery class ${n}`],
  (o, n) => [`I live in Krakow district ${n} with my partner.`, `${o.first} lives in Krakow district ${n}`],
  (o, n) => [`I really love the jazz club ${n} downtown.`, `${o.first} loves jazz club ${n}`],
];

/**
 * Write `conversations` conversations of `turns` turns and `golden` golden memories each into `dir`.
 * `distinct`: every turn's text is different (a long conversation then holds that many distinct texts).
 * `sharedWords`: every user turn past the golden statements states a fact whose object shares all its
 * words but a number with the facts of its kind, and each such fact is a golden memory too.
 */
export function generateDataset(
  dir,
  { conversations, turns = 10, golden = 5, seed = 42, distinct = false, sharedWords = false },
) {
  const random = createRng(seed);
  const pick = (items) => items[Math.floor(random() * items.length)];
  mkdirSync(dir, { recursive: true });
  const conversationLines = [];
  const goldenLines = [];
  for (let c = 0; c < conversations; c++) {
    const first = pick(FIRST);
    const o = {
      first,
      org: pick(ORGS),
      city: pick(CITIES),
      city2: pick(CITIES),
      thing: pick(THINGS),
      sister: pick(FIRST),
    };
    const id = `bench-${c}`;
    const statements = [...STATEMENTS]
      .sort(() => random() - 0.5)
      .slice(0, golden)
      .map((make) => make(o));
    const conversationTurns = [];
    let s = 0;
    for (let t = 0; t < turns; t++) {
      const turnId = `t${t + 1}`;
      const aside = distinct ? ` (on ${pick(THINGS)} in ${pick(CITIES)}, point ${t + 1})` : "";
      if (t % 2 === 1) {
        conversationTurns.push({
          id: turnId,
          speaker: "assistant",
          role: "assistant",
          text: `${pick(ASSISTANT)}${aside}`,
        });
        continue;
      }
      const statement = statements[s];
      // Past the golden statements, a distinct turn states something new, so a long conversation keeps yielding memories.
      const other = distinct
        ? `${pick(STATEMENTS)({ ...o, org: `${pick(ORGS)} ${t + 1}`, city: `${pick(CITIES)} ${t + 1}`, city2: `${pick(CITIES)} ${t + 1}`, thing: `${pick(THINGS)} ${t + 1}` })[0]} `
        : "";
      const repeated = !statement && sharedWords ? pick(REPEATED)(o, t + 1) : undefined;
      const text = statement
        ? `${statement[0]} ${pick(FILLER)}${aside}.`
        : repeated
          ? `${repeated[0]} ${pick(FILLER)}${aside}.`
          : `${other}${pick(FILLER)}${aside}.`;
      conversationTurns.push({ id: turnId, speaker: first, role: "user", text });
      if (statement)
        goldenLines.push(
          JSON.stringify({
            id: `${id}-g${s}`,
            conversation_id: id,
            text: statement[1],
            subject: first,
            evidence: [turnId],
          }),
        );
      if (repeated)
        goldenLines.push(
          JSON.stringify({
            id: `${id}-r${t + 1}`,
            conversation_id: id,
            text: repeated[1],
            subject: first,
            evidence: [turnId],
          }),
        );
      if (statement) s++;
    }
    // Statements that found no user turn still become golden memories on the last user turn.
    for (; s < statements.length; s++) {
      const last = conversationTurns.filter((turn) => turn.role === "user").at(-1);
      last.text += ` ${statements[s][0]}`;
      goldenLines.push(
        JSON.stringify({
          id: `${id}-g${s}`,
          conversation_id: id,
          text: statements[s][1],
          subject: first,
          evidence: [last.id],
        }),
      );
    }
    conversationLines.push(
      JSON.stringify({
        id,
        scope: { namespace: `user:${first.toLowerCase()}` },
        entities: [{ name: `${first} ${pick(LAST)}`, aliases: [first] }],
        turns: conversationTurns,
      }),
    );
  }
  writeFileSync(join(dir, "conversations.jsonl"), `${conversationLines.join("\n")}\n`);
  writeFileSync(join(dir, "golden.jsonl"), `${goldenLines.join("\n")}\n`);
  return { dataset: join(dir, "conversations.jsonl"), golden: join(dir, "golden.jsonl") };
}
