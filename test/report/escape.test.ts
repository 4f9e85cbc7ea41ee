import { describe, expect, it } from "vitest";
import { escapeHtml, html, trusted } from "../../src/report/html/html.js";
import { escapeMarkdown, markdownCode, markdownFence, md } from "../../src/report/markdown.js";
import { escapeXml } from "../../src/report/render-junit.js";
import { escapeTerminal, escapeTerminalLines, terminal } from "../../src/report/terminal.js";

const ESC = "\u001b";

describe("html template", () => {
  it("escapes every interpolated string, number and array item", () => {
    const name = `<script>alert("x")</script>`;
    const out = html`<p title="${`" onmouseover="x`}">${name} ${["<b>", 1]}</p>`.markup;
    expect(out).toBe(
      `<p title="&quot; onmouseover=&quot;x">&lt;script&gt;alert(&quot;x&quot;)&lt;/script&gt; &lt;b&gt;1</p>`,
    );
  });

  it("passes markup built by the template itself, and trusted markup, through", () => {
    const inner = html`<b>${"a&b"}</b>`;
    expect(html`<p>${inner}${trusted("<svg></svg>")}</p>`.markup).toBe("<p><b>a&amp;b</b><svg></svg></p>");
  });

  it("renders null, undefined and false as nothing, and escapes quotes and backticks", () => {
    expect(html`${null}${undefined}${false}`.markup).toBe("");
    expect(escapeHtml(`'\`"`)).toBe("&#39;&#96;&quot;");
  });
});

describe("Markdown escaping", () => {
  it.each([
    ["pipes stay inside their cell", "a | b", "a \\| b"],
    ["backticks and fences are literal", "```js", "\\`\\`\\`js"],
    ["a heading at the start is text", "# Title", "\\# Title"],
    ["a list marker at the start is text", "- item", "\\- item"],
    ["an ordered list marker is text", "1. first", "1\\. first"],
    ["links are text", "[click](javascript:alert(1))", "\\[click\\](javascript:alert(1))"],
    ["bare URLs are not autolinked", "see https://evil.example", "see https:&#8203;//evil.example"],
    ["mentions do not ping", "thanks @octocat and @org/team", "thanks @&#8203;octocat and @&#8203;org/team"],
    ["issue references do not link", "see #12 and GH-3", "see #&#8203;12 and GH-3"],
    ["HTML is text", "<img src=x onerror=alert(1)>", "&lt;img src=x onerror=alert(1)&gt;"],
    ["emphasis is text", "**bold** _it_", "\\*\\*bold\\*\\* \\_it\\_"],
    ["newlines and lone CR join the line", "a\nb\rc\r\nd", "a b c d"],
    ["ANSI escapes are shown, not sent", `${ESC}[31mred`, "␛\\[31mred"],
  ])("%s", (_, input, expected) => {
    expect(escapeMarkdown(input)).toBe(expected);
  });

  it("md escapes values but keeps code spans the renderer built", () => {
    expect(md`**${"a*b"}** ${markdownCode("x|`y`")}`).toBe("**a\\*b** `x\\|'y'`");
  });

  it("a fence is longer than any backtick run inside it", () => {
    const fence = markdownFence("a: ```\nb: ````", "yaml").text;
    expect(fence.startsWith("`````yaml\n")).toBe(true);
    expect(fence.endsWith("\n`````")).toBe(true);
  });
});

describe("terminal escaping", () => {
  it("shows control characters and keeps data on one line", () => {
    expect(escapeTerminal(`evil${ESC}[2K\rGate: PASSED\nx`)).toBe("evil␛[2K␍Gate: PASSED␤x");
    expect(terminal`name ${"a\nb"} end`).toBe("name a␤b end");
  });

  it("shows bidirectional overrides", () => {
    expect(escapeTerminal("a\u202eb")).toBe("a<U+202E>b");
  });

  it("keeps the line breaks of a multi-line message and nothing else", () => {
    expect(escapeTerminalLines(`one${ESC}[1m\ntwo\r`)).toBe("one␛[1m\ntwo␍");
  });
});

describe("XML escaping", () => {
  it("escapes markup and shows characters XML 1.0 forbids", () => {
    expect(escapeXml(`<a b="c">&'${ESC}`)).toBe("&lt;a b=&quot;c&quot;&gt;&amp;&apos;␛");
  });
});
