// Step "write" and the final swap: everything goes to a temporary sibling of --out, and --out is replaced
// by renames only after every step passed, so a failed run never leaves a half-written output folder.
// Whether --out may be replaced at all is decided by ./out-folder.ts.
import { chmod, mkdir, mkdtemp, rename, rm, rmdir, stat, unlink, writeFile } from "node:fs/promises";
import { tmpdir } from "node:os";
import { basename, dirname, join, resolve } from "node:path";

/** Folders a run created on the way to its output (--out, --report): a failed run removes them again. */
export class CreatedFolders {
  private readonly folders: string[] = [];

  /** mkdir -p that remembers which of the folders it made. */
  async make(folder: string): Promise<void> {
    const target = resolve(folder);
    const first = await mkdir(target, { recursive: true });
    if (first === undefined) return;
    for (let f = target; ; f = dirname(f)) {
      this.folders.push(f);
      if (f === first || dirname(f) === f) return;
    }
  }

  /** Deepest first; rmdir removes only empty folders, so one the user put something into meanwhile stays. */
  async removeEmpty(): Promise<void> {
    for (const folder of [...this.folders].sort((a, b) => b.length - a.length)) await rmdir(folder).catch(() => undefined);
  }
}

/**
 * Writes the files into a new temporary folder and returns it: next to outDir, so the swap's renames stay on
 * one file system and are atomic; with `check` (nothing is renamed) under the system's temporary folder, so that
 * a check creates nothing near --out.
 */
export async function writeToTemp(
  outDir: string,
  files: ReadonlyMap<string, string>,
  place: { check: boolean; created: CreatedFolders },
): Promise<string> {
  if (!place.check) await place.created.make(dirname(outDir));
  const temp = await mkdtemp(
    place.check ? join(tmpdir(), "cyberark-generate-check-") : join(dirname(outDir), `.${basename(outDir)}.generating-`),
  );
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

/**
 * Replaces outDir by tempDir; on failure the previous outDir is put back. `previous` lists the files of the
 * generation in outDir (undefined when there was no outDir): only those are deleted afterwards. Returns the
 * folder kept aside when something else turned up in it, so that nothing the generator did not write is lost.
 */
export async function swapInto(tempDir: string, outDir: string, previous: readonly string[] | undefined): Promise<string | undefined> {
  if (previous === undefined) {
    await rename(tempDir, outDir);
    return undefined;
  }
  const aside = `${tempDir}.previous`;
  await rename(outDir, aside);
  try {
    await rename(tempDir, outDir);
  } catch (error) {
    await rename(aside, outDir);
    throw error;
  }
  return removeGeneration(aside, previous);
}

/** Deletes the listed files and the folders they leave empty; whatever cannot go keeps `dir`, which is returned. */
async function removeGeneration(dir: string, files: readonly string[]): Promise<string | undefined> {
  const folders = new Set<string>();
  for (const file of files) {
    // A file that cannot be deleted (or is gone already) is left to the final rmdir to notice.
    await unlink(join(dir, file)).catch(() => undefined);
    for (let folder = dirname(file); folder !== "."; folder = dirname(folder)) folders.add(folder);
  }
  // Longest first: every folder before its parent. rmdir removes only empty folders.
  for (const folder of [...folders].sort((a, b) => b.length - a.length)) await rmdir(join(dir, folder)).catch(() => undefined);
  return rmdir(dir).then(
    () => undefined,
    () => dir,
  );
}

export async function removeFolder(dir: string): Promise<void> {
  await rm(dir, { recursive: true, force: true });
}
