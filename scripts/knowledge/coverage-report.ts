// What the run knew about each document, for the console and for --report.
import type { KnowledgeCoverage } from "./apply-knowledge.js";

const UNKNOWN_RULE = "no knowledge: retried only as its HTTP method allows, no paging, no version or deployment";

export function describeCoverage(c: KnowledgeCoverage): string[] {
  const lines = [`knowledge matched ${c.matched} of ${c.operations} operations`];
  if (c.unknown.length > 0) lines.push(`${c.unknown.length} operation(s) with ${UNKNOWN_RULE}: ${c.unknown.join(", ")}`);
  if (c.unusedRows.length > 0) {
    lines.push(`${c.unusedRows.length} knowledge row(s) found no operation (absent here, or named differently): ${c.unusedRows.join(", ")}`);
  }
  for (const correction of c.corrections) lines.push(correction);
  return lines;
}

const code = (text: string): string => `\`${text.replace(/`/g, "'")}\``;

export function renderCoverageMarkdown(coverages: readonly KnowledgeCoverage[]): string {
  const out = ["", "# What the project's knowledge covered", ""];
  for (const c of coverages) {
    out.push(`## ${c.document}`, "", `Knowledge matched ${c.matched} of ${c.operations} operations.`, "");
    const list = (title: string, items: readonly string[]) => {
      if (items.length === 0) return;
      out.push(`### ${title} (${items.length})`, "", ...items.map((i) => `- ${code(i)}`), "");
    };
    list(`Operations with ${UNKNOWN_RULE}`, c.unknown);
    list("Knowledge rows that found no operation", c.unusedRows);
    list("Corrections", c.corrections);
  }
  return out.join("\n");
}
