// Absurdly deep documents: turned away at the parse step with the document and the place named, and a
// step that still runs out of stack is reported by step and document, never as the engine's bare words.
import { existsSync, readFileSync, readdirSync, writeFileSync } from "node:fs";
import { join } from "node:path";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { GenerateError } from "../../scripts/lib/errors.js";
import { MAX_JSON_DEPTH } from "../../scripts/lib/json-depth.js";
import { rangeErrorAsGenerateError } from "../../scripts/lib/range-error.js";
import { parseSource } from "../../scripts/steps/parse.js";
import { fixture, fixtureSpecs, generate, snapshotTree, tempDir, type TempDir } from "./harness.js";

type Any = Record<string, any>; // eslint-disable-line @typescript-eslint/no-explicit-any

/** The gen2 fixture with one definition nested `levels` schema levels deep, built as text
 * (JSON.stringify overflows on values this deep). Each schema level is two JSON levels. */
function withDeepSchema(levels: number): string {
  const doc = JSON.parse(readFileSync(fixture("gen2.swagger.json"), "utf8")) as Any;
  doc.definitions.Deep = "__DEEP__";
  const nested = '{"type":"object","properties":{"inner":'.repeat(levels) + '{"type":"string"}' + "}}".repeat(levels);
  return JSON.stringify(doc).replace('"__DEEP__"', nested);
}

/** The gen2 fixture with a chain of `length` definitions, each referring to the next: shallow as JSON,
 * deep for anything that follows $refs recursively. */
function withRefChain(length: number): string {
  const doc = JSON.parse(readFileSync(fixture("gen2.swagger.json"), "utf8")) as Any;
  for (let i = 0; i < length; i++) {
    doc.definitions[`Chain${i}`] =
      i === length - 1 ? { type: "string" } : { type: "object", properties: { next: { $ref: `#/definitions/Chain${i + 1}` } } };
  }
  doc.paths["/API/Accounts"].get.responses["200"].schema = { $ref: "#/definitions/Chain0" };
  return JSON.stringify(doc);
}

const STACK_WORDS = /Maximum call stack size exceeded/;

describe("parse step nesting limit", () => {
  it("names the document and the JSON pointer where the limit is exceeded", () => {
    let caught: unknown;
    try {
      parseSource({ bytes: Buffer.from(withDeepSchema(1000)), label: "spec/deep.json" });
    } catch (error) {
      caught = error;
    }
    expect(caught).toBeInstanceOf(GenerateError);
    const e = caught as GenerateError;
    expect(e.step).toBe("parse");
    expect(e.message).toMatch(/^spec\/deep\.json is a document nested too deeply: more than 256 levels /);
    expect(e.message).toContain(`more than ${MAX_JSON_DEPTH} levels`);
    expect(e.message).toMatch(/ at #\/definitions\/Deep\/properties\/inner\/properties\/inner\/.*…\/properties\/inner\. /);
  });

  it("accepts a document just under the limit", () => {
    // Root (1) + definitions (2) + schema levels of two JSON levels each, plus the innermost schema.
    const levels = Math.floor((MAX_JSON_DEPTH - 3) / 2);
    expect(parseSource({ bytes: Buffer.from(withDeepSchema(levels)), label: "spec/ok.json" }).isSwagger2).toBe(true);
  });
});

describe("RangeError from a step", () => {
  it("becomes a GenerateError naming step and document without the engine's message", () => {
    const overflow = rangeErrorAsGenerateError("convert", "gen2 (spec/x.json)", new RangeError("Maximum call stack size exceeded"));
    expect(overflow.step).toBe("convert");
    expect(overflow.message).toMatch(/^gen2 \(spec\/x\.json\) could not be processed: the step ran out of stack space/);
    expect(overflow.message).not.toMatch(STACK_WORDS);
    const large = rangeErrorAsGenerateError("write", "gen1 (spec/y.json)", new RangeError("Invalid string length"));
    expect(large.message).toBe("gen1 (spec/y.json) could not be processed: the document is too large for this step (Invalid string length).");
  });
});

describe("end to end, with a previous generation in --out", () => {
  let tmp: TempDir;
  let out: string;

  beforeAll(async () => {
    tmp = tempDir();
    out = join(tmp.path, "generated");
    const first = await generate([...fixtureSpecs(), "--out", out, "--quiet"]);
    expect(first.stderr).toBe("");
  }, 60_000);
  afterAll(() => tmp.cleanup());

  const leftovers = () => readdirSync(tmp.path).filter((n) => n.startsWith(".generated."));

  it("a schema nested 1,000 levels deep fails at parse, clearly, and leaves --out identical", async () => {
    const spec = join(tmp.path, "deep.swagger.json");
    writeFileSync(spec, withDeepSchema(1000));
    const before = snapshotTree(out);
    const run = await generate([...fixtureSpecs(spec), "--out", out, "--quiet"]);
    expect(run.code).toBe(1);
    expect(run.stderr).toMatch(/^generate failed at step parse: \S*deep\.swagger\.json is a document nested too deeply: more than 256 levels .* at #\/definitions\/Deep\/properties\/inner\//);
    expect(run.stderr).not.toMatch(STACK_WORDS);
    expect(run.stderr.split("\n").filter(Boolean)).toHaveLength(1);
    expect(snapshotTree(out)).toEqual(before);
    expect(leftovers()).toEqual([]);
  });

  it("a $ref chain that overflows the validator's stack is reported by step and document; --out identical", async () => {
    const spec = join(tmp.path, "chain.swagger.json");
    writeFileSync(spec, withRefChain(5000));
    const before = snapshotTree(out);
    const run = await generate([...fixtureSpecs(spec), "--out", out, "--quiet"]);
    expect(run.code).toBe(1);
    expect(run.stderr).toMatch(/^generate failed at step [a-z]+: gen2 \(\S*chain\.swagger\.json\) could not be processed: the step ran out of stack space/);
    expect(run.stderr).not.toMatch(STACK_WORDS);
    expect(snapshotTree(out)).toEqual(before);
    expect(existsSync(join(out, "index.ts"))).toBe(true);
    expect(leftovers()).toEqual([]);
  });
});
