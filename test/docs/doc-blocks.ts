/**
 * The fenced blocks of a Markdown page, with what their info string says about them:
 * ```sh (run), ```sh no-run, ```sh serve, ```sh exit=1, ```yaml bench file=support.yaml, …
 */
export interface DocBlock {
  file: string;
  /** 1-based line of the opening fence. */
  line: number;
  lang: string;
  tags: string[];
  attrs: Record<string, string>;
  text: string;
}

export function docBlocks(markdown: string, file: string): DocBlock[] {
  const blocks: DocBlock[] = [];
  const lines = markdown.split("\n");
  for (let i = 0; i < lines.length; i++) {
    const open = /^(\s*)(`{3,})(.*)$/.exec(lines[i]!);
    if (!open) continue;
    const [, indent, fence, info] = open;
    const body: string[] = [];
    let j = i + 1;
    for (; j < lines.length && !new RegExp(`^\\s*${fence}\\s*$`).test(lines[j]!); j++)
      body.push(lines[j]!.slice(indent!.length));
    const words = info!.trim().split(/\s+/).filter(Boolean);
    const attrs: Record<string, string> = {};
    const tags: string[] = [];
    for (const word of words.slice(1)) {
      const eq = word.indexOf("=");
      if (eq > 0) attrs[word.slice(0, eq)] = word.slice(eq + 1);
      else tags.push(word);
    }
    blocks.push({ file, line: i + 1, lang: words[0] ?? "", tags, attrs, text: `${body.join("\n")}\n` });
    i = j;
  }
  return blocks;
}

/** GitHub's anchor for a heading: lower case, punctuation dropped, spaces to hyphens. */
export function headingAnchor(heading: string): string {
  return heading
    .trim()
    .toLowerCase()
    .replace(/[^\p{L}\p{N}\s_-]/gu, "")
    .replace(/\s/g, "-");
}

/** The anchors a page's headings define (repeats numbered as GitHub does). */
export function pageAnchors(markdown: string): Set<string> {
  const anchors = new Set<string>();
  const seen = new Map<string, number>();
  let inFence = false;
  for (const line of markdown.split("\n")) {
    if (/^\s*```/.test(line)) inFence = !inFence;
    const heading = !inFence && /^#{1,6}\s+(.*)$/.exec(line);
    if (!heading) continue;
    const base = headingAnchor(heading[1]!);
    const n = seen.get(base) ?? 0;
    seen.set(base, n + 1);
    anchors.add(n === 0 ? base : `${base}-${n}`);
  }
  return anchors;
}

/** Relative links of a page (not images' external addresses, not http links), outside code. */
export function relativeLinks(markdown: string): { target: string; line: number }[] {
  const links: { target: string; line: number }[] = [];
  let inFence = false;
  markdown.split("\n").forEach((line, index) => {
    if (/^\s*```/.test(line)) inFence = !inFence;
    if (inFence) return;
    for (const match of line.matchAll(/\]\(([^)\s]+)\)/g)) {
      const target = match[1]!;
      if (!/^[a-z]+:/i.test(target)) links.push({ target, line: index + 1 });
    }
  });
  return links;
}
