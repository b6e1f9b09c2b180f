// Locations relative to the repository, so defaults work whatever the caller's working directory is.
import { isAbsolute, relative, sep } from "node:path";
import { fileURLToPath } from "node:url";

export const repoRoot = fileURLToPath(new URL("../../", import.meta.url));

/** Repository-relative path with forward slashes when inside the repo, else the absolute path. */
export function displayPath(absolutePath: string): string {
  const rel = relative(repoRoot, absolutePath);
  if (rel === "" || rel.startsWith("..") || isAbsolute(rel)) return absolutePath;
  return rel.split(sep).join("/");
}
