/** How terminal text marks good, bad and headline text; plain (no colour) unless the caller passes colours. */
export interface SummaryStyle {
  good: (text: string) => string;
  bad: (text: string) => string;
  warn: (text: string) => string;
  strong: (text: string) => string;
}

const identity = (text: string) => text;
export const PLAIN: SummaryStyle = { good: identity, bad: identity, warn: identity, strong: identity };
