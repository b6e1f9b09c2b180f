// Step "check" (--check): does --out hold exactly what this run generated?
import { readdir, readFile } from "node:fs/promises";
import { join, relative, sep } from "node:path";

export interface FolderDifference {
  differing: string[];
  /** Generated now but absent from --out. */
  missing: string[];
  /** In --out but not generated now. */
  extra: string[];
}

async function listFiles(root: string): Promise<string[]> {
  const out: string[] = [];
  const walk = async (dir: string): Promise<void> => {
    let entries;
    try {
      entries = await readdir(dir, { withFileTypes: true });
    } catch (error) {
      if ((error as { code?: string }).code === "ENOENT") return;
      throw error;
    }
    for (const entry of entries) {
      const full = join(dir, entry.name);
      if (entry.isDirectory()) await walk(full);
      else out.push(relative(root, full).split(sep).join("/"));
    }
  };
  await walk(root);
  return out.sort();
}

export async function compareFolders(generatedDir: string, outDir: string): Promise<FolderDifference> {
  const fresh = await listFiles(generatedDir);
  const existing = new Set(await listFiles(outDir));
  const result: FolderDifference = { differing: [], missing: [], extra: [] };
  for (const file of fresh) {
    if (!existing.has(file)) {
      result.missing.push(file);
      continue;
    }
    existing.delete(file);
    const [a, b] = await Promise.all([readFile(join(generatedDir, file)), readFile(join(outDir, file))]);
    if (!a.equals(b)) result.differing.push(file);
  }
  result.extra.push(...[...existing].sort());
  return result;
}

export function isSame(diff: FolderDifference): boolean {
  return diff.differing.length + diff.missing.length + diff.extra.length === 0;
}

/** `command`: how the user started the generator, e.g. "npx cyberark-pam-client generate". */
export function describeDifference(diff: FolderDifference, outLabel: string, command: string): string {
  const lines = [
    ...diff.differing.map((f) => `  - ${f}: differs`),
    ...diff.missing.map((f) => `  - ${f}: missing from ${outLabel}`),
    ...diff.extra.map((f) => `  - ${f}: extra, not generated any more`),
  ];
  return (
    `${outLabel} is out of date with the specs (run ${command} with the same options, without --check, to update it):\n` +
    lines.join("\n")
  );
}
