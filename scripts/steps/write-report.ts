// Step "report": the Markdown change report. The generator replaces only a report it wrote: an existing --report
// must be a regular file that starts as a report, and never an input, the project's knowledge, a symbolic link or
// a special file. The report is staged next to its place before --out is swapped (a report that cannot be written
// fails the run while --out still holds the previous generation) and renamed into place only once everything else
// passed, so a failed run leaves the previous report as it was. A report inside --out goes into the new
// generation's temporary folder instead (see assertOutLocation): in the current --out the swap would drop it.
import { randomBytes } from "node:crypto";
import type { Stats } from "node:fs";
import { lstat, mkdir, open, readlink, rename, rm, writeFile } from "node:fs/promises";
import { basename, dirname, join } from "node:path";
import type { GenerateOptions } from "../lib/cli-options.js";
import { DOCUMENTS } from "../lib/documents.js";
import { asGenerateError, GenerateError } from "../lib/errors.js";
import { pathInside, realPathOf } from "../lib/real-path.js";
import { displayPath } from "../lib/repo-paths.js";
import { knowledgeFile } from "../knowledge/knowledge-file.js";
import { inputFiles } from "./out-folder.js";
import { kindOf, openRegularFile, whyNotRead } from "./read.js";
import type { CreatedFolders } from "./write-atomic.js";

/** The first line of every report (renderMarkdown in ./change-report.ts): what marks a file as a previous report. */
export const REPORT_HEADING = "# API change report\n";

const refuse = (message: string) => new GenerateError("report", message);

/** A report inside --out, written into the new generation's temporary folder. */
export async function writeReport(file: string, markdown: string): Promise<void> {
  await mkdir(dirname(file), { recursive: true });
  await writeFile(file, markdown, "utf8");
}

/** What is at `file` itself (a link is not followed), or undefined when nothing is. */
async function entryAt(file: string): Promise<Stats | undefined> {
  try {
    return await lstat(file);
  } catch (error) {
    const code = (error as { code?: string }).code;
    if (code === "ENOENT" || code === "ENOTDIR") return undefined;
    throw error;
  }
}

async function startsAsReport(file: string): Promise<boolean> {
  // Opened without blocking and judged on the handle: the file may have become a FIFO since lstat.
  const { handle } = await openRegularFile(file);
  try {
    const head = Buffer.alloc(REPORT_HEADING.length);
    const { bytesRead } = await handle.read(head, 0, head.length, 0);
    return head.subarray(0, bytesRead).toString("utf8") === REPORT_HEADING;
  } finally {
    await handle.close();
  }
}

async function assertNotInput(file: string, real: string, options: GenerateOptions): Promise<void> {
  const label = displayPath(file, options.cwd);
  for (const input of inputFiles(options)) {
    if (real === (await realPathOf(input.file))) {
      throw refuse(`--report ${label} is the input ${input.option} ${displayPath(input.file, options.cwd)}: the report would replace it.`);
    }
  }
  for (const folder of new Set(DOCUMENTS.map((d) => dirname(knowledgeFile(d.name))))) {
    if (pathInside(await realPathOf(folder), real) !== undefined) {
      throw refuse(`--report ${label} lies in the project's knowledge, ${displayPath(folder, options.cwd)}, which every run reads: write the report elsewhere.`);
    }
  }
}

async function assertReplaceable(file: string, entry: Stats, options: GenerateOptions): Promise<void> {
  const label = displayPath(file, options.cwd);
  if (entry.isSymbolicLink()) {
    throw refuse(`--report ${label} is a symbolic link (to ${await readlink(file)}): give a file of its own, not a link.`);
  }
  if (!entry.isFile()) throw refuse(`--report ${label} is ${kindOf(entry)}, not a regular file.`);
  let previous: boolean;
  try {
    previous = await startsAsReport(file);
  } catch (error) {
    throw refuse(`--report ${label} exists and cannot be read to see whether it is a previous report: ${whyNotRead(error)}.`);
  }
  if (!previous) {
    throw refuse(
      `--report ${label} exists and is not a previous report (its first line is not "${REPORT_HEADING.trimEnd()}"): ` +
        "the generator replaces only a report it wrote. Give another file.",
    );
  }
}

/**
 * Refuses a --report that would replace anything the generator did not write. Checked before any work, again
 * when the report is staged and right before it is put in place: the file system may change during the run.
 */
export async function assertReportTarget(file: string, options: GenerateOptions): Promise<void> {
  // Real paths: a symlinked folder or ".." cannot hide an input. The name itself is not resolved: a link is refused.
  await assertNotInput(file, join(await realPathOf(dirname(file)), basename(file)), options);
  const entry = await entryAt(file);
  if (entry !== undefined) await assertReplaceable(file, entry, options);
}

/** A new file of this run's own ("wx": never one that is there already, nor a link's target), removed if writing fails. */
async function writeNew(path: string, text: string): Promise<void> {
  const handle = await open(path, "wx");
  try {
    await handle.writeFile(text, "utf8");
    await handle.close();
  } catch (error) {
    await handle.close().catch(() => undefined);
    await rm(path, { force: true });
    throw error;
  }
}

export interface StagedReport {
  /** Renames the report into place; call only once everything else passed. */
  place(): Promise<void>;
  /** Removes the staged file unless it was placed. */
  discard(): Promise<void>;
}

/** Writes the report to a temporary file next to `file`, creating its folder (remembered in `created`). */
export async function stageReport(file: string, options: GenerateOptions, markdown: string, created: CreatedFolders): Promise<StagedReport> {
  await assertReportTarget(file, options);
  await created.make(dirname(file));
  const staged = join(dirname(file), `.${basename(file)}.generating-${randomBytes(6).toString("hex")}`);
  await writeNew(staged, markdown);
  let placed = false;
  return {
    place: async () => {
      try {
        await assertReportTarget(file, options);
        await rename(staged, file);
      } catch (error) {
        throw refuse(`${asGenerateError("report", error).message} Every other step had passed; only the report was not written.`);
      }
      placed = true;
    },
    discard: async () => {
      if (!placed) await rm(staged, { force: true });
    },
  };
}
