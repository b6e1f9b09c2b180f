// Step "report": the Markdown change report, written before --out is swapped so that a report that cannot
// be written fails the run while --out still holds the previous generation.
import { mkdir, writeFile } from "node:fs/promises";
import { dirname, isAbsolute, join, relative, sep } from "node:path";

/**
 * Where the report goes. A report inside --out is written into the new generation's temporary folder:
 * written into the current --out it would vanish when the swap replaces that folder.
 */
export function reportTarget(reportFile: string, outDir: string, pendingOutDir: string | undefined): string {
  if (pendingOutDir === undefined) return reportFile;
  const inside = relative(outDir, reportFile);
  if (inside === "" || inside === ".." || inside.startsWith(`..${sep}`) || isAbsolute(inside)) return reportFile;
  return join(pendingOutDir, inside);
}

export async function writeReport(file: string, markdown: string): Promise<void> {
  await mkdir(dirname(file), { recursive: true });
  await writeFile(file, markdown, "utf8");
}
