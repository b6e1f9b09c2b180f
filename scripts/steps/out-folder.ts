// Where --out may be, and whether the folder there may be replaced. The swap replaces --out as a whole, so the
// generator refuses a folder that holds anything it did not write, and one that holds the project or an input.
import { lstat, readdir, readFile, readlink } from "node:fs/promises";
import { basename, dirname, join, sep } from "node:path";
import type { GenerateOptions } from "../lib/cli-options.js";
import { GenerateError } from "../lib/errors.js";
import { carriesGeneratedMark, GENERATED_FILE_NAMES, MANIFEST_FILE, parseManifest } from "../lib/generation-manifest.js";
import { pathInside, realPathOf } from "../lib/real-path.js";
import { displayPath } from "../lib/repo-paths.js";

const SHOWN = 5;

function few(entries: readonly string[]): string {
  const shown = entries.slice(0, SHOWN).join(", ");
  return entries.length > SHOWN ? `${shown} and ${entries.length - SHOWN} more` : shown;
}

const refuse = (message: string) => new GenerateError("out", message);

/** The local files a run reads, with the option that names each (for messages). */
export function inputFiles(options: GenerateOptions): { option: string; file: string }[] {
  const inputs: { option: string; file: string }[] = [];
  for (const [name, source] of Object.entries(options.sources)) {
    if (source.kind === "file") inputs.push({ option: `--spec ${name}`, file: source.path });
  }
  for (const [name, files] of Object.entries(options.overlays)) {
    for (const file of files) inputs.push({ option: `--overlay ${name}`, file });
  }
  if (options.caFile !== undefined) inputs.push({ option: "--ca", file: options.caFile });
  return inputs;
}

/**
 * Refuses an --out that is the working folder or above it, or that holds an input (compared as real paths, so a
 * symlink cannot hide either). Returns where --report lies inside --out, if it does: it then becomes a file of
 * the new generation, which --check (writing nothing into --out) cannot take.
 */
export async function assertOutLocation(options: GenerateOptions, outLabel: string): Promise<{ reportInOut?: string }> {
  const realOut = await realPathOf(options.outDir);
  if (pathInside(realOut, await realPathOf(options.cwd)) !== undefined) {
    throw refuse(
      `--out ${outLabel} is the working folder or a folder above it: replacing it would delete the project. ` +
        "Give the output a folder of its own, e.g. --out generated.",
    );
  }
  for (const { option, file } of inputFiles(options)) {
    // The folder holding the input's name: replacing it would remove the input (or the link to it).
    if (pathInside(realOut, await realPathOf(dirname(file))) !== undefined) {
      throw refuse(
        `--out ${outLabel} holds the input ${option} ${displayPath(file, options.cwd)}: replacing the folder would ` +
          "delete it. Give an output folder that does not contain the inputs.",
      );
    }
  }
  if (options.reportFile === undefined) return {};
  const realReport = join(await realPathOf(dirname(options.reportFile)), basename(options.reportFile));
  const inside = pathInside(realOut, realReport)?.split(sep).join("/");
  if (inside === undefined) return {};
  const reportLabel = displayPath(options.reportFile, options.cwd);
  if (inside === "" || inside === MANIFEST_FILE || GENERATED_FILE_NAMES.has(inside)) {
    throw refuse(`--report ${reportLabel} would take the place of --out ${outLabel} or of a file generated into it.`);
  }
  if (options.check) {
    throw refuse(`--report ${reportLabel} lies inside --out ${outLabel}, which --check must not write to: write the report elsewhere.`);
  }
  return { reportInOut: inside };
}

export type OutFolder =
  | { exists: false }
  | {
      exists: true;
      /** Files of a previous generation: the only ones replacing the folder may delete. */
      owned: string[];
      /** Everything else; a folder is shown as "name/". */
      foreign: string[];
      /** Whether the folder holds a generation at all (a manifest, or files with the generator's mark). */
      generation: boolean;
    };

/** What --out holds now. A symbolic link or a file there is refused: the swap would replace the link itself. */
export async function inspectOutFolder(outDir: string, outLabel: string): Promise<OutFolder> {
  let info;
  try {
    info = await lstat(outDir);
  } catch (error) {
    if ((error as { code?: string }).code === "ENOENT") return { exists: false };
    throw error;
  }
  if (info.isSymbolicLink()) {
    throw refuse(`--out ${outLabel} is a symbolic link (to ${await readlink(outDir)}): give the folder itself, not a link to it.`);
  }
  if (!info.isDirectory()) throw refuse(`--out ${outLabel} exists and is not a folder.`);
  const top = await readdir(outDir, { withFileTypes: true });
  if (top.some((e) => e.name === MANIFEST_FILE && e.isFile())) return byManifest(outDir, outLabel);

  // No manifest: a generation from before manifests, or not a generation at all.
  const owned: string[] = [];
  const foreign: string[] = [];
  for (const entry of top) {
    const name = entry.name;
    const mine = entry.isFile() && GENERATED_FILE_NAMES.has(name) && carriesGeneratedMark(name, await readFile(join(outDir, name), "utf8"));
    if (mine) owned.push(name);
    else foreign.push(entry.isDirectory() ? `${name}/` : name);
  }
  return { exists: true, owned, foreign: foreign.sort(), generation: owned.length > 0 };
}

/** "a/b/c.md" -> ["a", "a/b"]. */
export function parentFolders(file: string): string[] {
  const parts = file.split("/").slice(0, -1);
  return parts.map((_, i) => parts.slice(0, i + 1).join("/"));
}

// Listed files that are missing do not matter: nothing of the user's is at stake, and the run writes them anew.
async function byManifest(outDir: string, outLabel: string): Promise<OutFolder> {
  const manifest = parseManifest(await readFile(join(outDir, MANIFEST_FILE), "utf8"));
  if ("invalid" in manifest) {
    throw refuse(
      `--out ${outLabel} holds a ${MANIFEST_FILE} that is not the generator's (${manifest.invalid}), so it is not ` +
        "known as a previous generation and will not be replaced: choose another --out.",
    );
  }
  const listed = new Set(manifest.files);
  const listedFolders = new Set(manifest.files.flatMap(parentFolders));
  const owned = [MANIFEST_FILE];
  const foreign: string[] = [];
  const walk = async (folder: string): Promise<void> => {
    for (const entry of await readdir(join(outDir, folder), { withFileTypes: true })) {
      const rel = folder === "" ? entry.name : `${folder}/${entry.name}`;
      if (rel === MANIFEST_FILE) continue;
      // Symbolic links and other special entries are never the generator's, whatever their name.
      if (entry.isDirectory()) {
        if (listedFolders.has(rel)) await walk(rel);
        else foreign.push(`${rel}/`);
      } else if (entry.isFile() && listed.has(rel)) owned.push(rel);
      else foreign.push(rel);
    }
  };
  await walk("");
  return { exists: true, owned, foreign: foreign.sort(), generation: true };
}

/** The files a swap may delete; throws when --out holds anything else. */
export function replaceableFiles(folder: OutFolder, outLabel: string): string[] {
  if (!folder.exists) return [];
  if (folder.foreign.length === 0) return folder.owned;
  throw refuse(
    folder.generation
      ? `--out ${outLabel} holds a previous generation and also files the generator did not write: ` +
          `${few(folder.foreign)}. Replacing the folder would delete them: move them out of ${outLabel} or choose another --out.`
      : `--out ${outLabel} is not empty and is not a previous generation (no ${MANIFEST_FILE}): it holds ` +
          `${few(folder.foreign)}. The generator replaces its output folder as a whole, so it writes only to a new or ` +
          "empty folder or one it generated before: choose another --out.",
  );
}
