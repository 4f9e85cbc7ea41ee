import type { StatementPattern } from "./statement-pattern.js";

const PROFESSIONS =
  "engineer|developer|programmer|nurse|teacher|designer|manager|chef|cook|student|doctor|physician|surgeon|lawyer|" +
  "writer|consultant|analyst|scientist|researcher|accountant|architect|pharmacist|paramedic|therapist|electrician|" +
  "plumber|carpenter|mechanic|barista|baker|owner|founder|ceo|cto|freelancer|illustrator|photographer|editor|" +
  "journalist|professor|lecturer|librarian|veterinarian|vet|dentist|firefighter|pilot|driver|retiree|intern|" +
  "product manager|data scientist|phd student|grad student|sre|devops engineer";

const RELATIONS =
  "wife|husband|partner|fianc[eé]e?|sister|brother|mom|mother|dad|father|son|daughter|boyfriend|girlfriend|" +
  "manager|boss|coworker|co-worker|colleague|friend|best friend|roommate|grandma|grandmother|grandpa|grandfather|" +
  "aunt|uncle|cousin|niece|nephew|dog|cat|puppy|kitten|therapist|doctor|mentor|neighbou?r";

const RELATION_PREDICATE: Record<string, string> = {
  mom: "mother",
  dad: "father",
  boss: "manager",
  "co-worker": "coworker",
  colleague: "coworker",
  "best friend": "friend",
  grandma: "grandmother",
  grandpa: "grandfather",
  dog: "pet",
  cat: "pet",
  puppy: "pet",
  kitten: "pet",
  neighbor: "neighbour",
  fiance: "fiance",
  fiancé: "fiance",
  fiancée: "fiance",
  fiancee: "fiance",
};

const CONDITIONS =
  "asthma|diabetes|type [12] diabetes|migraines|adhd|celiac disease|eczema|high blood pressure|hypertension|" +
  "arthritis|anxiety|depression|insomnia|a nut allergy|a peanut allergy|sleep apnea|tinnitus|ibs|lupus|epilepsy";

// A capitalized name of one or two words; "O'Brien" is a name, "Chioma's" is a possessive.
const NAME = "(?<object>[A-Z][\\p{L}-]*(?:['’][A-Z][\\p{L}-]+)?(?: [A-Z][\\p{L}-]*(?:['’][A-Z][\\p{L}-]+)?)?)";

function relationOf(match: RegExpExecArray): string {
  const word = (match.groups?.relation ?? "").toLowerCase();
  return RELATION_PREDICATE[word] ?? word.replace(/\s+/g, "_");
}

/** Who the speaker is: identity, work, location, family and other relations, health. */
export const PROFILE_PATTERNS: StatementPattern[] = [
  // identity
  {
    category: "identity",
    pattern: new RegExp(`\\b[Mm]y name is ${NAME}`, "u"),
    predicate: "name",
    phrase: "is named",
    strength: "strong",
  },
  {
    category: "identity",
    pattern: new RegExp(`\\b(?:[Cc]all me|I go by) ${NAME}`, "u"),
    predicate: "goes_by",
    phrase: "goes by",
  },
  {
    category: "identity",
    pattern:
      /\bI(?:'m| am) (?<object>\d{1,3})(?: years old| yo)?(?=[\s.,!?]|$)(?! ?(?:%|am|pm|minutes|mins|hours|percent|k\b))/i,
    predicate: "age",
    phrase: "is aged",
  },
  { category: "identity", pattern: /\bI speak (?<object>[^.!?;]+)/i, predicate: "speaks", phrase: "speaks" },
  // work
  {
    category: "work",
    pattern: /\bI (?:no longer|don't|do not|used to) work (?:at|for) /i,
    predicate: "",
    phrase: "",
    suppresses: true,
  },
  {
    category: "work",
    pattern: /\bI (?:currently |now |still )?(?:work|am working|'m working) (?:at|for) (?<object>[^.!?;]+)/i,
    predicate: "works_at",
    phrase: "works at",
    objectIsEntity: true,
    stopAt: / (?:as|since|in|on|doing|where|for the past|for \d)\b/i,
  },
  {
    category: "work",
    pattern: /\bI(?:'ve| have) been working (?:at|for) (?<object>[^.!?;]+)/i,
    predicate: "works_at",
    phrase: "works at",
    objectIsEntity: true,
    stopAt: / (?:as|since|in|for the past|for \d|for (?:a|about|almost|over|nearly))\b/i,
  },
  {
    category: "work",
    pattern: /\bI (?:just |recently )?(?:started|joined) (?:a new job |working )?(?:at|with) (?<object>[^.!?;]+)/i,
    predicate: "works_at",
    phrase: "works at",
    objectIsEntity: true,
    stopAt: / (?:as|since|in|last|this|on)\b/i,
  },
  {
    category: "work",
    pattern: new RegExp(`\\bI(?:'m| am) (?:a|an) (?<object>(?:[\\w-]+ ){0,3}(?:${PROFESSIONS}))\\b`, "i"),
    predicate: "job_title",
    phrase: "works as",
  },
  {
    category: "work",
    pattern: new RegExp(
      `\\bI(?:'ve been| have been|'m| am)? ?(?:work|working) (?:at|for) [^.!?;]*? as (?:a|an) (?<object>(?:[\\w-]+ ){0,3}(?:${PROFESSIONS}))\\b`,
      "i",
    ),
    predicate: "job_title",
    phrase: "works as",
  },
  {
    category: "work",
    pattern: new RegExp(`\\bworking as (?:a|an) (?<object>(?:[\\w-]+ ){0,3}(?:${PROFESSIONS}))\\b`, "i"),
    predicate: "job_title",
    phrase: "works as",
  },
  // location
  {
    category: "location",
    pattern: /\bI (?:no longer|don't|do not|used to) live in /i,
    predicate: "",
    phrase: "",
    suppresses: true,
  },
  {
    category: "location",
    pattern: /\bI (?:currently |now |still )?live in (?<object>[^.!?;]+)/i,
    predicate: "lives_in",
    phrase: "lives in",
    stopAt: / (?:with|since|for|near|and|but)\b/i,
  },
  {
    category: "location",
    pattern: /\bI(?:'m| am) (?:currently |now )?based (?:in|out of) (?<object>[^.!?;]+)/i,
    predicate: "lives_in",
    phrase: "lives in",
    stopAt: / (?:with|since|for|and|but)\b/i,
  },
  {
    category: "location",
    pattern: /\b(?:I|we) (?:just |recently |finally )?moved to (?<object>[^.!?;]+)/i,
    predicate: "moved_to",
    phrase: "moved to",
    stopAt: / (?:last|in|this|a few|two|three|with|for|because)\b/i,
  },
  {
    category: "location",
    pattern: /\bI grew up in (?<object>[^.!?;]+)/i,
    predicate: "grew_up_in",
    phrase: "grew up in",
    stopAt: / (?:but|and|until|before)\b/i,
  },
  {
    category: "location",
    pattern: /\bI(?:'m| am) (?:originally )?from (?<object>[^.!?;]+)/i,
    predicate: "from",
    phrase: "is from",
    stopAt: / (?:but|and|originally)\b/i,
  },
  // family and other relations
  {
    category: "family",
    pattern: new RegExp(
      `\\b[Mm]y (?<relation>${RELATIONS})(?:,| is named| is called| named| called|'s name is)? ${NAME}`,
      "u",
    ),
    predicate: (m) => `has_${relationOf(m)}`,
    phrase: (m) => `has ${relationOf(m).replace(/_/g, " ")}`,
    objectIsEntity: true,
  },
  // health
  {
    category: "health",
    pattern: /\bI(?:'m| am) (?:severely |very |mildly )?allergic to (?<object>[^.!?;]+)/i,
    predicate: "allergic_to",
    phrase: "is allergic to",
    strength: "strong",
    stopAt: / (?:so|which|but|and I)\b/i,
  },
  {
    category: "health",
    pattern: new RegExp(`\\bI (?:have|suffer from|was diagnosed with|live with) (?<object>${CONDITIONS})\\b`, "i"),
    predicate: "has_condition",
    phrase: "has",
  },
  {
    category: "health",
    pattern:
      /\bI(?:'m| am) (?:a |strictly |fully )?(?<object>vegetarian|vegan|pescatarian|gluten[- ]free|lactose[- ]intolerant|celiac|sober)\b/i,
    predicate: "diet",
    phrase: "is",
  },
  {
    category: "health",
    pattern:
      /\bI (?:don't|do not|never) (?<object>drink(?: alcohol| coffee)?|smoke|eat (?:meat|pork|beef|dairy|gluten|fish|sugar))\b/i,
    predicate: "avoids",
    phrase: "does not",
  },
];
