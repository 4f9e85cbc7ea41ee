import type { CueStrength, StatementPattern } from "./statement-pattern.js";

const FREQUENCY_STRENGTH = (match: RegExpExecArray): CueStrength =>
  /always|every/i.test(match[0]) ? "strong" : /often|usually|normally|typically/i.test(match[0]) ? "plain" : "weak";

/** What the speaker likes, plans, does as a habit, and owns or uses. */
export const LIFESTYLE_PATTERNS: StatementPattern[] = [
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
