// The README's contract-test recipe imports the package by name, as a user's test does. In a clone the
// name is the client workspace (packages/client), whose exports point at a build a fresh clone does not have
// ("Failed to resolve entry for package"); vitest.config.ts resolves the name to the sources instead. Importing by name must give
// the very module src/index.ts is, whether or not a build exists.
import { readFileSync } from "node:fs";
import { join } from "node:path";
import { describe, expect, it } from "vitest";
import { repoRoot } from "../../scripts/lib/repo-paths.js";
import * as sources from "../../src/index.js";
import { codeBlocks } from "../support/markdown.js";

const PACKAGE_NAME = (JSON.parse(readFileSync(join(repoRoot, "packages/client/package.json"), "utf8")) as { name: string }).name;

/** The TypeScript blocks of the README's "Contract-test your automation" section. */
function recipeBlocks(): string[] {
  const readme = readFileSync(join(repoRoot, "README.md"), "utf8");
  const start = readme.indexOf("## Contract-test your automation");
  const end = readme.indexOf("\n## ", start + 1);
  const section = readme.slice(start, end < 0 ? undefined : end);
  return codeBlocks(section, "ts");
}

describe("README: the contract-test recipe in a fresh clone", () => {
  it("imports the client by the package's name", () => {
    const imports = recipeBlocks().flatMap((block) => [...block.matchAll(/from "([^"]+)"/g)].map((m) => m[1]));
    expect(imports).toContain(PACKAGE_NAME);
  });

  it("that name resolves to the sources, not to a build", async () => {
    // A variable, so the type checker does not resolve the name (its types live in dist/ too).
    const name: string = PACKAGE_NAME;
    const byName = (await import(name)) as typeof sources;
    expect(byName.createCyberArkClient).toBe(sources.createCyberArkClient);
    expect(byName.NotFoundError).toBe(sources.NotFoundError);
  });
});
