// A document of 500+ operations (the fixture's paths cloned under renamed prefixes) generates and type-checks.
import { readFileSync, writeFileSync } from "node:fs";
import { join } from "node:path";
import { afterAll, describe, expect, it } from "vitest";
import { fixture, fixtureSpecs, generate, tempDir } from "./harness.js";

type Doc = { paths: Record<string, Record<string, { operationId?: string }>> };

function scaled(copies: number): { doc: Doc; operations: number } {
  const source = JSON.parse(readFileSync(fixture("gen2.swagger.json"), "utf8")) as Doc;
  const paths: Doc["paths"] = {};
  let operations = 0;
  for (let i = 0; i < copies; i++) {
    for (const [path, item] of Object.entries(source.paths)) {
      // /API/Accounts/{id} -> /API/Copy7Accounts/{id}: same prefix handling, distinct paths.
      const renamed = path.replace(/^\/(api)\//i, `/$1/Copy${i}`);
      const clone = structuredClone(item);
      for (const op of Object.values(clone)) {
        if (op.operationId) op.operationId = `${op.operationId}_c${i}`;
        operations++;
      }
      paths[renamed] = clone;
    }
  }
  return { doc: { ...source, paths }, operations };
}

describe("a large document", () => {
  const tmp = tempDir();
  afterAll(() => tmp.cleanup());

  it("generates and type-checks 500+ operations", async () => {
    const { doc, operations } = scaled(60);
    expect(operations).toBeGreaterThanOrEqual(500);
    const file = join(tmp.path, "large.swagger.json");
    writeFileSync(file, JSON.stringify(doc));
    const out = join(tmp.path, "out");
    const run = await generate([...fixtureSpecs(file), "--out", out]);
    expect(run.stderr).toBe("");
    expect(run.code).toBe(0);
    expect(run.stdout).toMatch(/^✔ type-check 7 files/m);
    const table = readFileSync(join(out, "gen2.operations.ts"), "utf8");
    expect(table.match(/^ {2}"[A-Z]+ \//gm)).toHaveLength(operations);
    expect(table).toContain('"GET /Copy59Accounts/{id}"');
  }, 60_000);
});
