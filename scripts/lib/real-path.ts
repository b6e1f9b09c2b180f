// Real (symlink-free) locations, also for paths that do not exist yet, so that folder comparisons
// cannot be fooled by a symlink or a "..": a link to src/ compares as src/.
import { realpath } from "node:fs/promises";
import { basename, dirname, isAbsolute, join, relative, resolve, sep } from "node:path";

/** The real path of the nearest existing ancestor, with the not-yet-existing rest appended. */
export async function realPathOf(path: string): Promise<string> {
  const missing: string[] = [];
  let existing = resolve(path);
  for (;;) {
    try {
      return join(await realpath(existing), ...missing);
    } catch (error) {
      const code = (error as { code?: string }).code;
      const parent = dirname(existing);
      if ((code !== "ENOENT" && code !== "ENOTDIR") || parent === existing) throw error;
      missing.unshift(basename(existing));
      existing = parent;
    }
  }
}

/** `child` relative to `folder` when it is the folder itself or lies below it, else undefined. */
export function pathInside(folder: string, child: string): string | undefined {
  const rel = relative(folder, child);
  if (rel === ".." || rel.startsWith(`..${sep}`) || isAbsolute(rel)) return undefined;
  return rel;
}
