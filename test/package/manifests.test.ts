// The two package manifests against the code each package ships: every package the client's src/ imports is a
// dependency of cyberark-pam-client (and nothing else is), every package the generator's scripts/ import is a
// dependency of cyberark-pam-generator. A missing one would only show up in a user's project.
import { readFileSync, readdirSync } from "node:fs";
import { join, relative } from "node:path";
import { describe, expect, it } from "vitest";
import { repoRoot } from "../../scripts/lib/repo-paths.js";

function sources(dir: string): string[] {
  return readdirSync(join(repoRoot, dir), { withFileTypes: true, recursive: true })
    .filter((e) => e.isFile() && e.name.endsWith(".ts"))
    .map((e) => join(e.parentPath, e.name));
}

/** Packages imported (statically, dynamically, or type-only) by the files, by package name. */
function importedPackages(files: string[]): Map<string, string> {
  const found = new Map<string, string>();
  for (const file of files) {
    const text = readFileSync(file, "utf8");
    const statements = [...text.matchAll(/^(?:import|export)\b[^;]*?\bfrom\s+"([^"]+)"/gms), ...text.matchAll(/\bimport\(\s*"([^"]+)"\s*\)/g)];
    for (const m of statements) {
      const spec = m[1]!;
      if (spec.startsWith("node:") || spec.startsWith(".")) continue;
      const name = spec.startsWith("@") ? spec.split("/").slice(0, 2).join("/") : spec.split("/")[0]!;
      if (!found.has(name)) found.set(name, relative(repoRoot, file));
    }
  }
  return found;
}

const manifest = (pkg: string): { dependencies?: Record<string, string> } =>
  JSON.parse(readFileSync(join(repoRoot, "packages", pkg, "package.json"), "utf8"));

describe("package manifests", () => {
  it("the client depends on exactly what src/ imports", () => {
    const imported = importedPackages(sources("src"));
    expect([...imported.keys()].sort()).toEqual(Object.keys(manifest("client").dependencies ?? {}).sort());
  });

  it("the generator depends on everything scripts/ imports (the build script aside)", () => {
    const files = sources("scripts").filter((f) => !f.endsWith("build-packages.ts"));
    const deps = Object.keys(manifest("generator").dependencies ?? {});
    const missing = [...importedPackages(files)].filter(([name]) => !deps.includes(name)).map(([name, file]) => `${name} (${file})`);
    expect(missing).toEqual([]);
  });
});
