// Locations relative to the repository, so defaults work whatever the caller's working directory is, and
// paths as the user reads them: relative to the project the generator runs in.
import { basename, dirname, join, sep } from "node:path";
import { fileURLToPath } from "node:url";
import { pathInside, realPathOf } from "./real-path.js";

export const repoRoot = fileURLToPath(new URL("../../", import.meta.url));

/** Path relative to `base` (the project: pass the working folder) with forward slashes when below it, else the absolute path. */
export function displayPath(absolutePath: string, base: string): string {
  const rel = pathInside(base, absolutePath);
  if (rel === undefined || rel === "") return absolutePath;
  return rel.split(sep).join("/");
}

/**
 * How generated headers name an input file: relative to the project (the working folder), so a copy of the
 * project elsewhere generates the same bytes. A file outside the project keeps its absolute path.
 */
export async function sourceLabel(file: string, projectDir: string): Promise<{ label: string; outsideProject: boolean }> {
  const [folder, project] = await Promise.all([realPathOf(dirname(file)), realPathOf(projectDir)]);
  const rel = pathInside(project, join(folder, basename(file)));
  return rel === undefined ? { label: file, outsideProject: true } : { label: rel.split(sep).join("/"), outsideProject: false };
}
