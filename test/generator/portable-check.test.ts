// Headers name their inputs relative to the project, so --check passes in a copy of the project elsewhere
// (another clone, a CI workspace), and its message names the command as the user runs it.
import { cpSync, readFileSync, writeFileSync } from "node:fs";
import { join } from "node:path";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { MANIFEST_FILE } from "../../scripts/lib/generation-manifest.js";
import { fixture, generate, readJson, tempDir, type TempDir } from "./harness.js";
import { makeProject, PROJECT_SPECS } from "./project.js";

const NPX = { usage: ["cyberark-pam-client generate [options]"], command: "npx cyberark-pam-client generate", outDefault: "./generated" };

let tmp: TempDir;
let project: string;

beforeAll(async () => {
  tmp = tempDir("portable-check-");
  project = makeProject(join(tmp.path, "here"));
  const first = await generate([...PROJECT_SPECS, "--out", "types", "--quiet"], {}, { cwd: project });
  expect(first.stderr).toBe("");
  expect(first.code).toBe(0);
});
afterAll(() => tmp.cleanup());

describe("headers", () => {
  it("name a --spec file relative to the working folder", () => {
    expect(readFileSync(join(project, "types/gen2.ts"), "utf8").split("\n")[1]).toBe("// Source: specs/gen2.swagger.json");
    expect(readFileSync(join(project, "types/index.ts"), "utf8")).toContain("//   pcloud: specs/pcloud.swagger.json sha256:");
    expect(readJson<{ "x-generated": { source: string } }>(join(project, "types/gen1.openapi.json"))["x-generated"].source).toBe(
      "specs/gen1.swagger.json",
    );
  });

  it("keep the absolute path of a file outside the project and say so", async () => {
    const outside = fixture("gen2.swagger.json");
    const run = await generate(
      ["--spec", `gen2=${outside}`, "--spec", "gen1=specs/gen1.swagger.json", "--spec", "pcloud=specs/pcloud.swagger.json", "--out", "outside", "--quiet"],
      {},
      { cwd: project },
    );
    expect(run.stderr).toBe("");
    expect(readFileSync(join(project, "outside/gen2.ts"), "utf8").split("\n")[1]).toBe(`// Source: ${outside} (outside the project)`);
  });
});

describe("--check", () => {
  it("passes with the same relative options in a copy of the project at another location", async () => {
    const copy = join(tmp.path, "elsewhere", "there");
    cpSync(project, copy, { recursive: true });
    const run = await generate([...PROJECT_SPECS, "--out", "types", "--check"], {}, { cwd: copy });
    expect(run.stderr).toBe("");
    expect(run.code).toBe(0);
    expect(run.stdout).toContain("types is up to date");
  });

  it("names the command as the user ran it when --out is stale, and the manifest counts as a file", async () => {
    const copy = join(tmp.path, "stale");
    cpSync(project, copy, { recursive: true });
    writeFileSync(join(copy, "types", MANIFEST_FILE), '{"generator":"cyberark-pam-client","files":[]}\n');
    const run = await generate([...PROJECT_SPECS, "--out", "types", "--check", "--quiet"], {}, { cwd: copy, invocation: NPX });
    expect(run.code).toBe(1);
    expect(run.stderr).toContain(
      "types is out of date with the specs (run npx cyberark-pam-client generate with the same options, without --check, to update it):",
    );
    expect(run.stderr).toContain(`${MANIFEST_FILE}: differs`);
    expect(run.stderr).not.toContain("npm run generate");
  });
});
