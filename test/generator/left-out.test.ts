// Paths outside a document's base URL are left out of the client: a few are a warning that --quiet does not
// hide, most of the operations (or all) an error, since the client would quietly lack most of the API.
import { writeFileSync } from "node:fs";
import { join } from "node:path";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { DOCUMENTS } from "../../scripts/lib/documents.js";
import { GenerateError } from "../../scripts/lib/errors.js";
import { rebaseDocument } from "../../scripts/steps/rebase.js";
import { fixture, fixtureSpecs, generate, readJson, tempDir, type TempDir } from "./harness.js";

type Doc = { paths: Record<string, unknown> };

let tmp: TempDir;
beforeAll(() => {
  tmp = tempDir("left-out-");
});
afterAll(() => tmp.cleanup());

/** The gen2 fixture (basePath /PasswordVault, 9 operations) plus `count` GET paths outside /PasswordVault/API. */
function gen2WithOutsidePaths(count: number): string {
  const doc = readJson<Doc>(fixture("gen2.swagger.json"));
  for (let i = 0; i < count; i++) doc.paths[`/Elsewhere/${i}`] = { get: { responses: { "200": { description: "ok" } } } };
  const file = join(tmp.path, `gen2-outside-${count}.json`);
  writeFileSync(file, JSON.stringify(doc));
  return file;
}

describe("paths outside the base URL", () => {
  it("are a warning on stderr that --quiet keeps, and the run succeeds", async () => {
    const run = await generate([...fixtureSpecs(gen2WithOutsidePaths(2)), "--out", join(tmp.path, "few"), "--quiet"]);
    expect(run.code).toBe(0);
    expect(run.stdout).toBe("");
    expect(run.stderr).toBe("warning: gen2: left out 2 path(s) outside /PasswordVault/API: /Elsewhere/0, /Elsewhere/1\n");
  });

  it("fail the run at step rebase when they hold most of the operations", async () => {
    const out = join(tmp.path, "most");
    const run = await generate([...fixtureSpecs(gen2WithOutsidePaths(10)), "--out", out, "--quiet"]);
    expect(run.code).toBe(1);
    expect(run.stderr).toMatch(/^generate failed at step rebase: gen2: 10 of the 19 operations lie outside \/PasswordVault\/API/);
    expect(run.stderr).toContain("is this the right document for gen2?");
  });
});

describe("rebaseDocument's limit", () => {
  const gen2 = DOCUMENTS.find((d) => d.name === "gen2")!;
  const doc = (inside: number, outside: number) => {
    const get = { get: { responses: {} } };
    const paths: Record<string, unknown> = {};
    for (let i = 0; i < inside; i++) paths[`/API/In${i}`] = get;
    for (let i = 0; i < outside; i++) paths[`/Out${i}`] = get;
    return { openapi: "3.0.0", servers: [{ url: "/PasswordVault" }], paths };
  };

  it("accepts losing half of the operations and refuses losing more than half", () => {
    expect(rebaseDocument(doc(2, 2), gen2).leftOut).toEqual(["/Out0", "/Out1"]);
    expect(() => rebaseDocument(doc(2, 3), gen2)).toThrow(GenerateError);
    expect(() => rebaseDocument(doc(2, 3), gen2)).toThrow("3 of the 5 operations lie outside /PasswordVault/API");
  });
});
