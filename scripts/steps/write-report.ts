// Step "report": the Markdown change report, written before --out is swapped so that a report that cannot
// be written fails the run while --out still holds the previous generation. A report inside --out goes into
// the new generation's temporary folder instead (see assertOutLocation): in the current --out the swap would drop it.
import { mkdir, writeFile } from "node:fs/promises";
import { dirname } from "node:path";

export async function writeReport(file: string, markdown: string): Promise<void> {
  await mkdir(dirname(file), { recursive: true });
  await writeFile(file, markdown, "utf8");
}
