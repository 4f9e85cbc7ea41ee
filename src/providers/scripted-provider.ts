import {
  messageText,
  type Completion,
  type CompletionRequest,
  type Provider,
  type ProviderFactory,
} from "./provider.js";

/** An answer function for the scripted provider: text, a full completion, or a thrown ProviderError. */
export type ScriptedAnswer = (
  request: CompletionRequest,
  call: number,
) => string | Completion | Promise<string | Completion>;

const scripts = new Map<string, ScriptedAnswer>();

/** Register answers for the scripted provider's `model` (library use and tests: no network, no SDK). */
export function scriptModel(model: string, answer: ScriptedAnswer): void {
  scripts.set(model, answer);
}

/** Answers from a function registered with `scriptModel`; usage estimated from text length. */
export const createScriptedProvider: ProviderFactory = ({ settings }) => {
  let calls = 0;
  return {
    async complete(request): Promise<Completion> {
      const answer = scripts.get(settings.model);
      if (!answer) throw new Error(`no script registered for scripted model "${settings.model}"`);
      const result = await answer(request, calls++);
      if (typeof result !== "string") return result;
      const prompt = request.system.length + request.messages.reduce((sum, m) => sum + messageText(m).length, 0);
      return {
        text: result,
        usage: { input_tokens: Math.ceil(prompt / 4), output_tokens: Math.ceil(result.length / 4) },
        latency_ms: 0,
        model: settings.model,
        stop: result.trim() === "" ? "empty" : "end",
      };
    },
  } satisfies Provider;
};
