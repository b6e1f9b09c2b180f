// The fenced code blocks of a Markdown document, for tests that run what a README says as it is written.

/** Every ```language block of `markdown` (from `from` on, when given), in order, without its fences. */
export function codeBlocks(markdown: string, language: string, from = 0): string[] {
  const fence = new RegExp("^```" + language + "\\n([\\s\\S]*?)^```$", "gm");
  return [...markdown.slice(from).matchAll(fence)].map((m) => m[1] ?? "");
}

/** The first ```language block after the text `heading`. */
export function codeBlockAfter(markdown: string, heading: string, language: string): string {
  const at = markdown.indexOf(heading);
  if (at < 0) throw new Error(`"${heading}" is not in the document`);
  const block = codeBlocks(markdown, language, at)[0];
  if (block === undefined) throw new Error(`no ${language} block after "${heading}"`);
  return block;
}
