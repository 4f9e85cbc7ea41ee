import { labelKey } from "../../metrics/agreement.js";
import type { Conversation } from "../../schema/conversation.js";
import type { HumanLabel, MemoryFields, Proposal, ReviewAction } from "../../schema/curation.js";
import { GoldenMemorySchema, type GoldenMemory } from "../../schema/golden.js";
import { nearDuplicateOf } from "../check-golden.js";

/** What a review session edits; each part is saved to its own file. */
export interface ReviewData {
  golden: GoldenMemory[];
  proposals: Proposal[];
  labels: HumanLabel[];
}

/** A change the page asked for that cannot be made (unknown id, evidence turn not in the conversation, empty text). */
export class ReviewActionError extends Error {
  constructor(message: string) {
    super(message);
    this.name = "ReviewActionError";
  }
}

const OPTIONAL_TEXT_FIELDS = ["type", "subject", "predicate", "object"] as const;

/** Apply edited fields to a memory: blank optional fields are removed, evidence must name turns of the conversation. */
function withFields<T extends { text: string; evidence: string[] }>(
  memory: T,
  fields: MemoryFields,
  conversation: Conversation,
): T {
  const next: Record<string, unknown> = { ...memory };
  if (fields.text !== undefined) next.text = fields.text.trim();
  for (const key of OPTIONAL_TEXT_FIELDS) {
    const value = fields[key]?.trim();
    if (value === undefined) continue;
    if (value === "") delete next[key];
    else next[key] = value;
  }
  if (fields.evidence !== undefined) {
    const turnIds = new Set(conversation.turns.map((t) => t.id));
    const unknown = fields.evidence.filter((id) => !turnIds.has(id));
    if (unknown.length > 0)
      throw new ReviewActionError(
        `no turn ${unknown.map((id) => `"${id}"`).join(", ")} in conversation "${conversation.id}"`,
      );
    next.evidence = [...new Set(fields.evidence)];
  }
  if (fields.alternatives !== undefined) {
    const alternatives = fields.alternatives.map((a) => a.trim()).filter((a) => a !== "");
    if (alternatives.length > 0) next.alternatives = alternatives;
    else delete next.alternatives;
  }
  if (String(next.text ?? "") === "") throw new ReviewActionError("a memory needs text");
  return next as T;
}

/** A golden memory as `run` will read it; a reviewer's change that would not load is refused. */
function checkedGolden(memory: GoldenMemory): GoldenMemory {
  const parsed = GoldenMemorySchema.safeParse(memory);
  if (!parsed.success) {
    const issue = parsed.error.issues[0]!;
    throw new ReviewActionError(`${issue.path.join(".") || "memory"}: ${issue.message}`);
  }
  return parsed.data;
}

/** The next free golden id of a conversation: `<conversation>/g<n>`. */
function nextGoldenId(golden: GoldenMemory[], conversationId: string): string {
  const used = new Set(golden.map((m) => m.id));
  let n = golden.filter((m) => m.conversation_id === conversationId).length + 1;
  while (used.has(`${conversationId}/g${n}`)) n++;
  return `${conversationId}/g${n}`;
}

function find<T extends { id: string }>(items: T[], id: string, what: string): T {
  const item = items.find((i) => i.id === id);
  if (!item) throw new ReviewActionError(`no ${what} "${id}"`);
  return item;
}

function conversationOf(conversations: Map<string, Conversation>, id: string): Conversation {
  const conversation = conversations.get(id);
  if (!conversation) throw new ReviewActionError(`no conversation "${id}"`);
  return conversation;
}

function replace<T extends { id: string }>(items: T[], next: T): T[] {
  return items.map((item) => (item.id === next.id ? next : item));
}

type LabelAction = Extract<ReviewAction, { op: "label" }>;

/** What a label action rates: a proposal's conversation and text as extracted, or the conversation and text it names. */
export function labelTarget(
  data: ReviewData,
  action: LabelAction,
): { conversation_id: string; text: string; proposal_id?: string } {
  if (action.proposal_id !== undefined) {
    const proposal = find(data.proposals, action.proposal_id, "proposal");
    return {
      conversation_id: proposal.conversation_id,
      text: proposal.extracted_text ?? proposal.text,
      proposal_id: proposal.id,
    };
  }
  if (action.conversation_id === undefined || action.text === undefined)
    throw new ReviewActionError("a label names a proposal_id, or a conversation_id and a text");
  return { conversation_id: action.conversation_id, text: action.text };
}

function applyLabel(labels: HumanLabel[], action: LabelAction, target: ReturnType<typeof labelTarget>): HumanLabel[] {
  const key = labelKey(target.conversation_id, target.text);
  const existing = labels.find((l) => labelKey(l.conversation_id, l.text) === key);
  const next: HumanLabel = { ...(existing ?? { conversation_id: target.conversation_id, text: target.text.trim() }) };
  if (target.proposal_id !== undefined) next.proposal_id = target.proposal_id;
  if (action.usefulness === null) delete next.usefulness;
  else if (action.usefulness !== undefined) next.usefulness = action.usefulness;
  if (action.junk === null) delete next.junk;
  else if (action.junk !== undefined) next.junk = action.junk;
  if (action.junk_category === null || next.junk === false) delete next.junk_category;
  else if (action.junk_category !== undefined) {
    next.junk_category = action.junk_category;
    next.junk = true;
  }
  const others = labels.filter((l) => l !== existing);
  const empty = next.usefulness === undefined && next.junk === undefined;
  return empty ? others : existing ? labels.map((l) => (l === existing ? next : l)) : [...labels, next];
}

/** The golden memory of its conversation an open proposal repeats, as the page marks it "≈ already golden". */
export function goldenRepeatedBy(
  data: ReviewData,
  proposal: Proposal,
): { memory: GoldenMemory; similarity: number } | undefined {
  return nearDuplicateOf(
    proposal.text,
    data.golden.filter((m) => m.conversation_id === proposal.conversation_id),
  );
}

/** One reviewer action on the session's data. Pure: returns new data, never mutates. Undo is the session's job. */
export function applyReviewAction(
  data: ReviewData,
  action: Exclude<ReviewAction, { op: "undo" }>,
  conversations: Map<string, Conversation>,
): ReviewData {
  switch (action.op) {
    case "accept": {
      const proposal = find(data.proposals, action.proposal_id, "proposal");
      // Accepting again changes nothing: the proposal is golden once.
      if (proposal.status === "accepted") return data;
      // A golden memory this very proposal already became (files written by an older version, cut
      // between its two saves) is linked again rather than copied.
      const same = data.golden.find(
        (m) =>
          m.conversation_id === proposal.conversation_id &&
          m.text === proposal.text &&
          m.evidence.join("\u0000") === proposal.evidence.join("\u0000"),
      );
      if (same)
        return { ...data, proposals: replace(data.proposals, { ...proposal, status: "accepted", golden_id: same.id }) };
      const repeated = goldenRepeatedBy(data, proposal);
      if (repeated && action.confirm_near_duplicate !== true) {
        throw new ReviewActionError(
          `proposal "${proposal.id}" repeats golden memory "${repeated.memory.id}" (similarity ${repeated.similarity.toFixed(2)}): accept it with confirm_near_duplicate: true, or reject it`,
        );
      }
      const memory: GoldenMemory = {
        id: nextGoldenId(data.golden, proposal.conversation_id),
        conversation_id: proposal.conversation_id,
        text: proposal.text,
        evidence: proposal.evidence,
      };
      for (const key of OPTIONAL_TEXT_FIELDS) if (proposal[key]) memory[key] = proposal[key];
      const golden = checkedGolden(memory);
      return {
        ...data,
        golden: [...data.golden, golden],
        proposals: replace(data.proposals, { ...proposal, status: "accepted", golden_id: golden.id }),
      };
    }
    case "reject": {
      const proposal = find(data.proposals, action.proposal_id, "proposal");
      if (proposal.status === "accepted")
        throw new ReviewActionError(`proposal "${proposal.id}" is accepted: delete its golden memory instead`);
      return { ...data, proposals: replace(data.proposals, { ...proposal, status: "rejected" }) };
    }
    case "edit_proposal": {
      const proposal = find(data.proposals, action.proposal_id, "proposal");
      const edited = withFields(proposal, action.fields, conversationOf(conversations, proposal.conversation_id));
      // The extractor's own text stays the proposal's identity for labels and runs.
      if (edited.text !== proposal.text && edited.extracted_text === undefined) edited.extracted_text = proposal.text;
      if (edited.extracted_text === edited.text) delete edited.extracted_text;
      return { ...data, proposals: replace(data.proposals, edited) };
    }
    case "edit_golden": {
      const memory = find(data.golden, action.golden_id, "golden memory");
      const edited = checkedGolden(
        withFields(memory, action.fields, conversationOf(conversations, memory.conversation_id)),
      );
      return { ...data, golden: replace(data.golden, edited) };
    }
    case "delete_golden": {
      find(data.golden, action.golden_id, "golden memory");
      const proposals = data.proposals.map((p): Proposal => {
        if (p.golden_id !== action.golden_id) return p;
        const { golden_id: _dropped, ...rest } = p;
        return { ...rest, status: "proposed" };
      });
      return { ...data, golden: data.golden.filter((m) => m.id !== action.golden_id), proposals };
    }
    case "add_golden": {
      const conversation = conversationOf(conversations, action.conversation_id);
      const blank: GoldenMemory = {
        id: nextGoldenId(data.golden, conversation.id),
        conversation_id: conversation.id,
        text: "",
        evidence: [],
      };
      const memory = checkedGolden(withFields(blank, action.fields, conversation));
      return { ...data, golden: [...data.golden, memory] };
    }
    case "label": {
      const target = labelTarget(data, action);
      conversationOf(conversations, target.conversation_id);
      return { ...data, labels: applyLabel(data.labels, action, target) };
    }
  }
}
