// --report is written before --out is swapped: a report that cannot be written fails the run with --out
// exactly as it was, and a report placed inside --out survives the swap.
import { mkdirSync, readFileSync, readdirSync, writeFileSync } from "node:fs";
import { join } from "node:path";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { fixture, fixtureSpecs, generate, snapshotTree, tempDir, type TempDir } from "./harness.js";

let tmp: TempDir;
let out: string;
let changed: string;

beforeAll(async () => {
  tmp = tempDir();
  out = join(tmp.path, "generated");
  const first = await generate([...fixtureSpecs(), "--out", out, "--quiet"]);
  expect(first.stderr).toBe("");
  // A valid change, so a run that swapped would visibly change --out.
  const doc = JSON.parse(readFileSync(fixture("gen2.swagger.json"), "utf8")) as { info: { description?: string } };
  doc.info.description = `changed for the report test (${tmp.path})`;
  changed = join(tmp.path, "changed.swagger.json");
  writeFileSync(changed, JSON.stringify(doc));
}, 60_000);
afterAll(() => tmp.cleanup());

describe("--report", () => {
  it("naming a folder fails at step report and leaves an existing --out byte-for-byte identical", async () => {
    const folder = join(tmp.path, "report-is-a-folder");
    mkdirSync(folder);
    const before = snapshotTree(out);
    const run = await generate([...fixtureSpecs(changed), "--out", out, "--report", folder, "--quiet"]);
    expect(run.code).toBe(1);
    expect(run.stderr).toMatch(/^generate failed at step report: /);
    expect(snapshotTree(out)).toEqual(before);
    expect(readdirSync(tmp.path).filter((n) => n.startsWith(".generated."))).toEqual([]);
  });

  it("inside --out is written into the new generation, so the swap keeps it", async () => {
    const report = join(out, "reports", "changes.md");
    const run = await generate([...fixtureSpecs(changed), "--out", out, "--report", report, "--quiet"]);
    expect(run.stderr).toBe("");
    expect(run.code).toBe(0);
    expect(readFileSync(join(out, "gen2.openapi.json"), "utf8")).toContain("changed for the report test");
    expect(readFileSync(report, "utf8").startsWith("# API change report\n")).toBe(true);
  });
});
