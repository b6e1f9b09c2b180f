// Step "write" and the final swap: everything goes to a temporary sibling of --out, and --out is replaced
// by renames only after every step passed, so a failed run never leaves a half-written output folder.
import { chmod, mkdir, mkdtemp, rename, rm, stat, writeFile } from "node:fs/promises";
import { basename, dirname, join } from "node:path";
import { GenerateError } from "../lib/errors.js";

export async function assertUsableOutDir(outDir: string): Promise<boolean> {
  try {
    const info = await stat(outDir);
    if (!info.isDirectory()) throw new GenerateError("write", `--out ${outDir} exists and is not a folder.`);
    return true;
  } catch (error) {
    if ((error as { code?: string }).code === "ENOENT") return false;
    throw error;
  }
}

/** Writes the files into a new temporary folder next to outDir and returns that folder. */
export async function writeToTemp(outDir: string, files: ReadonlyMap<string, string>): Promise<string> {
  await mkdir(dirname(outDir), { recursive: true });
  // Same parent as --out: renames stay on one file system and are atomic.
  const temp = await mkdtemp(join(dirname(outDir), `.${basename(outDir)}.generating-`));
  try {
    // mkdtemp makes a private (0700) folder; the output keeps the previous folder's mode, else 0755.
    const previousMode = await stat(outDir).then((s) => s.mode & 0o777, () => 0o755);
    await chmod(temp, previousMode);
    for (const [name, text] of [...files].sort(([a], [b]) => (a < b ? -1 : 1))) {
      await writeFile(join(temp, name), text, "utf8");
    }
  } catch (error) {
    await removeFolder(temp);
    throw error;
  }
  return temp;
}

/** Replaces outDir by tempDir; on failure the previous outDir is put back. */
export async function swapInto(tempDir: string, outDir: string): Promise<void> {
  const hadPrevious = await assertUsableOutDir(outDir);
  if (!hadPrevious) {
    await rename(tempDir, outDir);
    return;
  }
  const previous = `${tempDir}.previous`;
  await rename(outDir, previous);
  try {
    await rename(tempDir, outDir);
  } catch (error) {
    await rename(previous, outDir);
    throw error;
  }
  await removeFolder(previous);
}

export async function removeFolder(dir: string): Promise<void> {
  await rm(dir, { recursive: true, force: true });
}
