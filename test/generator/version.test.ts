// --version prints the package version, here and from the installed generator package's layout (bin/ + dist/generator/).
import { execFile } from "node:child_process";
import { cpSync, mkdirSync, writeFileSync } from "node:fs";
import { join } from "node:path";
import { promisify } from "node:util";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { packageVersion } from "../../scripts/lib/package-version.js";
import { repoRoot } from "../../scripts/lib/repo-paths.js";
import { generate, readJson, tempDir, type TempDir } from "./harness.js";

const exec = promisify(execFile);
const TSX = join(repoRoot, "node_modules/.bin/tsx");

let tmp: TempDir;
/** An installed package's layout with a version of its own, so a hit proves the lookup found this one. */
let installed: string;

beforeAll(() => {
  tmp = tempDir("version-");
  installed = join(tmp.path, "node_modules", "cyberark-pam-generator");
  mkdirSync(installed, { recursive: true });
  writeFileSync(join(installed, "package.json"), JSON.stringify({ name: "cyberark-pam-generator", version: "9.8.7-test" }));
  cpSync(join(repoRoot, "packages/generator/bin"), join(installed, "bin"), { recursive: true });
  // The build compiles scripts/ to dist/generator/; tsx runs the same modules from source.
  cpSync(join(repoRoot, "scripts"), join(installed, "dist/generator"), { recursive: true });
  // Like dist/cjs/package.json: a package.json of the build, without the package's name, on the way up.
  writeFileSync(join(installed, "dist/package.json"), JSON.stringify({ type: "module" }));
});
afterAll(() => tmp.cleanup());

describe("--version", () => {
  it("prints this repository's package version, the one both packages carry", async () => {
    const run = await generate(["--version"]);
    const version = readJson<{ version: string }>(join(repoRoot, "package.json")).version;
    expect(run).toEqual({ code: 0, stdout: `${version}\n`, stderr: "" });
    for (const pkg of ["client", "generator"]) expect(readJson<{ version: string }>(join(repoRoot, "packages", pkg, "package.json")).version).toBe(version);
  });

  it("finds the package.json of the package above dist/generator/lib, skipping the build's own", async () => {
    expect(await packageVersion(join(installed, "dist/generator/lib"))).toBe("9.8.7-test");
  });

  it("answers through the installed command, as --version and as generate --version", async () => {
    const bin = join(installed, "bin/cyberark-pam-generator.mjs");
    for (const args of [["--version"], ["generate", "--version"]]) {
      const { stdout } = await exec(TSX, [bin, ...args], { cwd: tmp.path });
      expect(stdout, args.join(" ")).toBe("9.8.7-test\n");
    }
  }, 30_000);
});
