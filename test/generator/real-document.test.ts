// Issue 11's "done when": a generation from a document a real PVWA served keeps what the project knows. For
// every operation our own spec also has: the same credential-change flag, paging, version and deployment, and
// the same list envelope; and a client typed with that generation reads data.Platforms / data.value as is.
import { readFileSync, writeFileSync } from "node:fs";
import { join } from "node:path";
import { pathToFileURL } from "node:url";
import ts from "typescript";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { isObject, type JsonObject } from "../../scripts/lib/json-types.js";
import { listOperations } from "../../scripts/lib/operations-walk.js";
import { routeKey } from "../../scripts/lib/route-key.js";
import { deref } from "../../scripts/lib/json-pointer.js";
import { hasRealFixture, realFixtureJson } from "../support/real-fixture.js";
import { generate, readJson, tempDir, type TempDir } from "./harness.js";

type Meta = Record<string, unknown> & { method: string; path: string };
const ours = (await import("../../generated/gen2.operations.js")).gen2Operations as unknown as Record<string, Meta>;
const oursDoc = readJson(new URL("../../generated/gen2.openapi.json", import.meta.url).pathname) as JsonObject;
const FACTS = ["secretChange", "paging", "minVersion", "maxVersion", "deployment"] as const;

function byRoute(table: Record<string, Meta>): Map<string, Meta> {
  return new Map(Object.values(table).map((m) => [routeKey(m.method, m.path), m]));
}

/** The JSON success schema of an operation, dereferenced. */
function successSchema(doc: JsonObject, method: string, path: string): JsonObject {
  const op = listOperations(doc).find((r) => r.method === method.toLowerCase() && r.path === path)?.operation;
  const ok = deref(doc, isObject(op?.["responses"]) ? op["responses"]["200"] : undefined).value;
  const content = isObject(ok) && isObject(ok["content"]) ? ok["content"]["application/json"] : undefined;
  const schema = deref(doc, isObject(content) ? content["schema"] : undefined).value;
  return isObject(schema) ? schema : {};
}

/** "array", or the envelope's property names with the items property marked by its array-ness. */
function envelopeOf(doc: JsonObject, method: string, path: string, items: string | undefined): string {
  const schema = successSchema(doc, method, path);
  if (schema["type"] === "array") return "array";
  const props = isObject(schema["properties"]) ? schema["properties"] : {};
  const list = items === undefined ? undefined : deref(doc, props[items]).value;
  return `object, ${items} is ${isObject(list) && list["type"] === "array" ? "an array" : "not an array"}`;
}

/** Query parameter names and top-level JSON request body property names of an operation, lower-cased. */
function namesOf(doc: JsonObject, method: string, path: string): Set<string> {
  const op = listOperations(doc).find((r) => r.method === method.toLowerCase() && r.path === path)?.operation ?? {};
  const names = new Set<string>();
  for (const p of Array.isArray(op["parameters"]) ? op["parameters"] : []) {
    const param = deref(doc, p).value;
    if (isObject(param) && param["in"] === "query") names.add(`query ${String(param["name"]).toLowerCase()}`);
  }
  const body = deref(doc, op["requestBody"]).value;
  const content = isObject(body) && isObject(body["content"]) ? body["content"]["application/json"] : undefined;
  const schema = deref(doc, isObject(content) ? content["schema"] : undefined).value;
  const parts = isObject(schema) && Array.isArray(schema["allOf"]) ? schema["allOf"] : [schema];
  for (const part of parts) {
    const resolved = deref(doc, part).value;
    const props = isObject(resolved) && isObject(resolved["properties"]) ? resolved["properties"] : {};
    for (const name of Object.keys(props)) names.add(`body ${name.toLowerCase()}`);
  }
  return names;
}

// Names the real 12.x document declares that ours leaves out on purpose, with the reason.
const NAMES_LEFT_OUT: Record<string, { names: string[]; why: string }> = {
  "PATCH /Accounts/{id}": {
    names: ["body Operations"],
    why: "Swashbuckle wraps the JSON Patch in a model; the server takes the bare array of operations (docs, psPAS Set-PASAccount).",
  },
};

describe.skipIf(!hasRealFixture)("a generation from a real PVWA 12.x document", () => {
  let tmp: TempDir;
  let out: string;
  let stdout: string;
  let theirs: Record<string, Meta>;
  let theirsDoc: JsonObject;

  beforeAll(async () => {
    tmp = tempDir();
    out = join(tmp.path, "real-out");
    const run = await generate(["--spec", `gen2=${realFixtureJson}`, "--out", out, "--report", join(tmp.path, "report.md")]);
    expect(run.stderr).toBe("");
    expect(run.code).toBe(0);
    stdout = run.stdout;
    theirs = (await import(pathToFileURL(join(out, "gen2.operations.ts")).href)).gen2Operations;
    theirsDoc = readJson(join(out, "gen2.openapi.json")) as JsonObject;
  }, 120_000);
  afterAll(() => tmp.cleanup());

  it("has, for every operation our spec also has, the same safety, paging, version and deployment facts", () => {
    const mine = byRoute(ours);
    let compared = 0;
    const differences: string[] = [];
    for (const [route, meta] of byRoute(theirs)) {
      const our = mine.get(route);
      if (our === undefined) continue;
      compared++;
      for (const fact of FACTS) {
        if (JSON.stringify(meta[fact]) !== JSON.stringify(our[fact])) differences.push(`${route} ${fact}: ${JSON.stringify(meta[fact])} vs ours ${JSON.stringify(our[fact])}`);
      }
    }
    expect(differences).toEqual([]);
    expect(compared).toBeGreaterThanOrEqual(140);
    // The facts that were lost before: credential changes and paging survive.
    const theirsList = Object.values(theirs);
    expect(theirsList.filter((m) => m["secretChange"] === true).length).toBeGreaterThanOrEqual(8);
    expect(theirsList.filter((m) => m["paging"] !== undefined).length).toBeGreaterThanOrEqual(20);
  });

  it("is covered by our spec: every operation it has, ours has", () => {
    const mine = byRoute(ours);
    // A route with a parameter where ours spells each value out (POST /Auth/{type}/Logon) counts as covered.
    const coveredBySpelledOut = (route: string) => {
      const pattern = new RegExp(`^${route.split("{}").map((part) => part.replace(/[.*+?^$()|[\]\\]/g, "\\$&")).join("[^/{}]+")}$`);
      return [...mine.keys()].some((r) => pattern.test(r));
    };
    const missing = [...byRoute(theirs).keys()].filter((route) => !mine.has(route) && !coveredBySpelledOut(route));
    expect(missing).toEqual([]);
  });

  it("uses the names ours uses: every query parameter and body property it declares is in ours (letter case aside)", () => {
    const mine = byRoute(ours);
    const differences: string[] = [];
    for (const [route, meta] of byRoute(theirs)) {
      const our = mine.get(route);
      if (our === undefined) continue;
      const oursNames = namesOf(oursDoc, our.method, our.path);
      const leftOut = new Set((NAMES_LEFT_OUT[`${our.method} ${our.path}`]?.names ?? []).map((n) => n.toLowerCase()));
      for (const name of namesOf(theirsDoc, meta.method, meta.path)) {
        if (!oursNames.has(name) && !leftOut.has(name)) differences.push(`${our.method} ${our.path}: ${name}`);
      }
    }
    expect(differences).toEqual([]);
  });

  it("has the list envelope our generation has wherever the server sends one", () => {
    const mine = byRoute(ours);
    const differences: string[] = [];
    let lists = 0;
    for (const [route, meta] of byRoute(theirs)) {
      const our = mine.get(route);
      if (our === undefined || meta.method !== "GET") continue;
      const items = isObject(our["paging"]) ? String(our["paging"]["items"]) : undefined;
      const expected = envelopeOf(oursDoc, our.method, our.path, items);
      if (items === undefined && expected !== "array") continue;
      lists++;
      const actual = envelopeOf(theirsDoc, meta.method, meta.path, items);
      if (actual !== expected) differences.push(`${route}: ${actual}, ours ${expected}`);
    }
    expect(differences).toEqual([]);
    expect(lists).toBeGreaterThanOrEqual(25);
  });

  it("says what it knew: every operation matched, and which knowledge rows this document lacks", () => {
    expect(stdout).toMatch(/knowledge matched (\d+) of \1 operations/);
    expect(stdout).toMatch(/\d+ knowledge row\(s\) found no operation \(absent here, or named differently\): .*GET \/Accounts\/\{id\}\/Activities/);
    expect(stdout).toContain('GET /Platforms: response 200 corrected to an envelope with "Platforms"');
    const report = readFileSync(join(tmp.path, "report.md"), "utf8");
    expect(report).toContain("# What the project's knowledge covered");
    expect(report).toMatch(/## gen2\n\nKnowledge matched (\d+) of \1 operations\./);
    expect(report).toMatch(/### Knowledge rows that found no operation \(\d+\)\n\n(- `[A-Z]+ \/[^`]*`\n)+/);
    expect(report).toContain('- `GET /Safes: response 200 corrected to an envelope with "value"`');
  });

  it("types a client so that data.Platforms and data.value are read without a cast (and a wrong name is an error)", () => {
    const program = join(tmp.path, "usage.ts");
    writeFileSync(join(tmp.path, "package.json"), JSON.stringify({ type: "module" }));
    const src = new URL("../../src/index.js", import.meta.url).pathname;
    writeFileSync(
      program,
      `import { createCyberArkClient, staticToken } from ${JSON.stringify(src)};\n` +
        `import { api } from "./real-out/index.js";\n` +
        `const client = createCyberArkClient({ deployment: { type: "self-hosted", url: "https://127.0.0.1" }, auth: staticToken({ token: "t" }), api });\n` +
        `export async function platforms() { const { data } = await client.gen2.GET("/Platforms"); return data.Platforms?.length; }\n` +
        `export async function safes() { const { data } = await client.gen2.GET("/Safes"); return [data.value?.length, data.count, data.nextLink]; }\n` +
        `export async function wrong() { const { data } = await client.gen2.GET("/Platforms"); return data.NoSuchProperty; }\n`,
    );
    const options = { ...ts.parseJsonConfigFileContent({ compilerOptions: readJson(new URL("../../tsconfig.json", import.meta.url).pathname)["compilerOptions"] }, ts.sys, tmp.path).options, noEmit: true };
    const diagnostics = ts.getPreEmitDiagnostics(ts.createProgram([program], options));
    const messages = diagnostics.map((d) => `${d.file ? ts.getLineAndCharacterOfPosition(d.file, d.start ?? 0).line + 1 : "?"}: ${ts.flattenDiagnosticMessageText(d.messageText, "\n")}`);
    // Only the deliberate mistake on line 6 fails: it proves the check reads the generated types.
    expect(messages).toEqual([expect.stringMatching(/^6: Property .NoSuchProperty. does not exist/)]);
  }, 60_000);
});
