import type { Turn } from "../schema/conversation.js";
import type { ExtractorConfig } from "../schema/extractor-config.js";

const SMALL_TALK_WORD =
  "hi|hello|hey|hiya|yo|thanks|thank you|thx|ty|ok|okay|k|cool|great|nice|awesome|got it|gotcha|sure|yes|yeah|yep|no|nope|" +
  "bye|goodbye|see you|good (?:morning|night|evening|afternoon)|sounds good|perfect|lol|haha|hmm|right|alright|will do|np|no problem|cheers|" +
  "so much|very much|a lot|again|man|mate|buddy";
const SMALL_TALK = new RegExp(`^(?:(?:${SMALL_TALK_WORD})\\b[\\s,.!?:;)(-]*)+$`, "u");

/** True for a turn that is only a greeting or an acknowledgement. */
export function isSmallTalk(text: string): boolean {
  const plain = text
    .toLowerCase()
    .replace(/\p{Extended_Pictographic}|\p{Emoji_Modifier}|\u200d|\ufe0f/gu, "")
    .trim();
  return plain === "" || SMALL_TALK.test(plain);
}

export interface PrefilterResult {
  kept: Turn[];
  dropped: number;
}

/** Extractors that bring their own pipeline: they get the turns as written unless the config turns the pre-filter on. */
const OWN_PIPELINE = new Set(["command", "replay", "http"]);

/** Whether the bench's pre-filter runs for this config: as configured, else by extractor kind. */
export function prefilterEnabled(config: Pick<ExtractorConfig, "prefilter" | "extractor">): boolean {
  return config.prefilter.enabled ?? !OWN_PIPELINE.has(config.extractor.provider);
}

/** Drop turns that carry nothing to remember: empty, too short, a dropped role, or small talk. */
export function prefilterTurns(
  turns: Turn[],
  settings: ExtractorConfig["prefilter"],
  enabled: boolean = settings.enabled ?? true,
): PrefilterResult {
  if (!enabled) return { kept: turns, dropped: 0 };
  const kept = turns.filter((turn) => {
    const text = turn.text.trim();
    if (text.length === 0 || text.length < settings.min_chars) return false;
    if (turn.role && settings.drop_roles.includes(turn.role)) return false;
    return !(settings.drop_small_talk && isSmallTalk(text));
  });
  return { kept, dropped: turns.length - kept.length };
}
