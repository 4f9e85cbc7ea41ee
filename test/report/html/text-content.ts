/**
 * The visible text of a report.html, one block per line, for golden-file comparison: styles,
 * scripts and chart SVGs left out (charts are checked in the browser test).
 */
export function htmlTextContent(page: string): string {
  const entities: Record<string, string> = { amp: "&", lt: "<", gt: ">", quot: '"', "#39": "'", "#96": "`" };
  return page
    .replace(/<(style|script)[^>]*>[\s\S]*?<\/\1>/g, "")
    .replace(/<svg[\s\S]*?<\/svg>/g, "[chart]")
    .replace(/<\/(p|h1|h2|h3|li|tr|div|dt|dd|summary|blockquote|pre|section|header|footer|nav)>/g, "\n")
    .replace(/<\/t[dh]>/g, " | ")
    .replace(/<[^>]+>/g, "")
    .replace(/&(amp|lt|gt|quot|#39|#96);/g, (_, name: string) => entities[name]!)
    .split("\n")
    .map((line) => line.replace(/\s+/g, " ").trim())
    .filter((line) => line !== "")
    .join("\n");
}
