/**
 * Where each suggested snippet goes. Normalization and scaling are extractor settings: they go into
 * the candidate's extractor config, and a run with them pasted measures their effect. The rollout
 * block is not an extractor setting: it configures the memory system's write pipeline, which routes
 * a share of writes to the new extractor; the bench has no such field and an extractor config refuses it.
 */
export const SNIPPET_DESTINATION = {
  rollout: "goes in the memory system's write-pipeline config, not in an extractor config or the bench file",
  normalization: "paste into the candidate's extractor config",
  scaling: "paste into the candidate's extractor config",
} as const;
