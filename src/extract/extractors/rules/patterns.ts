import type { RuleCategory } from "../../../schema/extractor-config.js";

/** How firmly a statement is made; moves the confidence around the configured base. */
export type CueStrength = "strong" | "plain" | "weak";

export interface StatementPattern {
  category: RuleCategory;
  /** Matched against one sentence; the named group `object` is the memory's object. */
  pattern: RegExp;
  /** snake_case predicate, or a function of the match (e.g. the relation word). */
  predicate: string | ((match: RegExpExecArray) => string);
  /** Words that phrase the predicate in the memory text, e.g. "works at". */
  phrase: string | ((match: RegExpExecArray) => string);
  strength?: CueStrength | ((match: RegExpExecArray) => CueStrength);
  /** The object names a person or an organization: it is an entity mention to resolve. */
  objectIsEntity?: boolean;
  /** Where the object stops, beyond the sentence end: clause words such as " as ", " since ". */
  stopAt?: RegExp;
  /** A negated form ("I no longer work at"): the category yields nothing for this sentence. */
  suppresses?: boolean;
}

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

const FREQUENCY_STRENGTH = (match: RegExpExecArray): CueStrength =>
  /always|every/i.test(match[0]) ? "strong" : /often|usually|normally|typically/i.test(match[0]) ? "plain" : "weak";

/**
 * First-person statement patterns, most specific first. They run on user turns only, one sentence
 * at a time; the first pattern of a category that matches a span wins that span.
 */
/**
 * Every statement pattern starts with one of these words (a test holds them to it): a clause without
 * any of them is skipped before the patterns run.
 */
export const STATEMENT_CUE = /\b(?:I|we|my|me|every|working)\b/i;

export const STATEMENT_PATTERNS: StatementPattern[] = [
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
  // preferences
  {
    category: "preference",
    pattern: /\bI(?:'m| am) (?:a )?(?:big|huge|massive) fan of (?<object>[^.!?;]+)/i,
    predicate: "likes",
    phrase: "likes",
    strength: "strong",
  },
  {
    category: "preference",
    pattern: /\bI (?:much |really |definitely |strongly )?prefer (?<object>[^.!?;]+)/i,
    predicate: "prefers",
    phrase: "prefers",
    stopAt: / (?:because|since|when|if|but)\b/i,
  },
  {
    category: "preference",
    pattern:
      /\bI (?<neg>really |absolutely |honestly )?(?:hate|dislike|can't stand|cannot stand|can’t stand|don't like|do not like|don’t like|despise) (?<object>[^.!?;]+)/i,
    predicate: "dislikes",
    phrase: "dislikes",
    strength: (m) => (m.groups?.neg ? "strong" : "plain"),
    stopAt: / (?:because|since|when|but|so)\b/i,
  },
  {
    category: "preference",
    pattern:
      /\bI (?:(?:might|may|kind of|kinda|sort of|probably|also) )?(?<adv>really |absolutely |totally )?(?<verb>love|like|enjoy|adore) (?<object>[^.!?;]+)/i,
    predicate: "likes",
    phrase: "likes",
    strength: (m) => (m.groups?.adv || /love|adore/i.test(m.groups?.verb ?? "") ? "strong" : "plain"),
    stopAt: / (?:because|since|when|but|so|if)\b/i,
  },
  {
    category: "preference",
    pattern: /\bmy fav(?:ou?rite)? (?<what>[\w ]{2,20}?) is (?<object>[^.!?;]+)/i,
    predicate: (m) => `favorite_${(m.groups?.what ?? "").trim().replace(/\s+/g, "_").toLowerCase()}`,
    phrase: (m) => `favorite ${(m.groups?.what ?? "").trim().toLowerCase()} is`,
    strength: "strong",
  },
  // plans
  {
    category: "plan",
    pattern:
      /\b(?:I|we)(?:'m|'re| am| are) (?:planning|hoping|going) to (?<object>(?!bed\b|sleep\b|be\b|try\b|have\b|need\b|get\b)[^.!?;]+)/i,
    predicate: "plans_to",
    phrase: "plans to",
    stopAt: / (?:because|so that|but|if)\b/i,
  },
  {
    category: "plan",
    pattern:
      /\b(?:I|we)(?:'m|'re| am| are|'ll| will) (?:be )?(?<verb>flying|traveling|travelling|heading|driving|moving|going) to (?<object>(?!bed\b|sleep\b|be\b|try\b|have\b|need\b|get\b)[^.!?;]+)/i,
    predicate: "plans_to",
    phrase: (m) => `plans ${(m.groups?.verb ?? "going").toLowerCase()} to`,
    stopAt: / (?:because|so|but|for work)\b/i,
  },
  {
    category: "plan",
    pattern: /\bI plan to (?<object>[^.!?;]+)/i,
    predicate: "plans_to",
    phrase: "plans to",
    stopAt: / (?:because|so|but)\b/i,
  },
  {
    category: "plan",
    pattern: /\bI(?:'m| am) (?:starting|signing up for|taking) (?<object>(?:a |an |my )[^.!?;]+)/i,
    predicate: "plans_to",
    phrase: "is starting",
    stopAt: / (?:because|so|but)\b/i,
  },
  // habits
  {
    category: "habit",
    pattern: /\bI (?:usually|always|often|normally|typically|tend to) (?<object>(?!forget|get|feel|think)[^.!?;]+)/i,
    predicate: "habit",
    phrase: "usually",
    strength: FREQUENCY_STRENGTH,
    stopAt: / (?:because|but|so|and|since|which)\b/i,
  },
  {
    category: "habit",
    pattern:
      /\bevery (?:morning|day|night|evening|week|weekend|monday|tuesday|wednesday|thursday|friday|saturday|sunday)(?:,)? I (?<object>[^.!?;]+)/i,
    predicate: "habit",
    phrase: "routinely",
    strength: "strong",
    stopAt: / (?:because|but|so|and|since|which)\b/i,
  },
  // possessions and tools
  {
    category: "possession",
    pattern: /\bI (?:drive|ride) (?:a|an) (?<object>[^.!?;]+)/i,
    predicate: "drives",
    phrase: "drives",
    stopAt: / (?:and|but|that|which|with)\b/i,
  },
  {
    category: "possession",
    pattern: /\bI (?:use|rely on) (?<object>(?!to\b|it\b|that\b|this\b)[^.!?;]+?) (?:for|to) /i,
    predicate: "uses_tool",
    phrase: "uses",
  },
  {
    category: "possession",
    pattern:
      /\bI (?:have|own|just bought|bought|got) (?:a|an|two|three) (?<object>(?!question|quick|meeting|cold|minute|second|sec|feeling|problem|headache|lot|bit|few|doubt|call|deadline|idea|appointment)[^.!?;]+)/i,
    predicate: "owns",
    phrase: "owns",
    stopAt: / (?:and|but|that|which|with|from|for)\b/i,
  },
];

/** Phrases that mark a statement as hedged or not about the speaker's settled state. */
export const HEDGES =
  /\b(?:i think|i guess|i suppose|maybe|perhaps|might|not sure|kind of|kinda|sort of|probably|possibly|someday|one day)\b/i;

/** Sentence openers that mark a correction: the statement is stated with extra conviction. */
export const CORRECTION = /^(?:actually|correction|to be clear|sorry,? i meant|wait)\b[,:]?\s*/i;
