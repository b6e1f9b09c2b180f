// Names every JavaScript object already has (__proto__, constructor, hasOwnProperty, toString, valueOf) and
// "prototype", used by a document for schemas, properties, parameters, paths, operationIds and security
// schemes: the generation succeeds, type-checks, and its types carry exactly those names.
import { readFileSync, writeFileSync } from "node:fs";
import { join } from "node:path";
import fc from "fast-check";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { escapeReservedNames, unescapeReservedNames, unescapeReservedText } from "../../scripts/lib/reserved-names.js";
import { sortDocument, stableStringify } from "../../scripts/lib/stable-json.js";
import { fixtureSpecs, generate, readJson, tempDir, type TempDir } from "./harness.js";

const NAMES = ["__proto__", "constructor", "prototype", "hasOwnProperty", "toString", "valueOf"];
const ROOT_TYPES = new Map([
  ["__proto__", "Proto"],
  ["constructor", "Constructor"],
  ["prototype", "Prototype"],
  ["hasOwnProperty", "HasOwnProperty"],
  ["toString", "ToString"],
  ["valueOf", "ValueOf"],
]);

// Built with Object.fromEntries: assigning obj["__proto__"] would set the prototype instead of adding a key.
const each = <T>(make: (name: string) => T): Record<string, T> => Object.fromEntries(NAMES.map((n) => [n, make(n)]));

function schema(refBase: string, n: string): unknown {
  return { type: "object", required: NAMES, properties: { ...each(() => ({ type: "string" })), next: { $ref: `${refBase}${n}` } } };
}

function swaggerDocument(): string {
  const paths = Object.fromEntries(
    NAMES.map((n) => [
      `/API/${n}/{${n}}`,
      {
        get: {
          operationId: n,
          parameters: [
            { name: n, in: "path", required: true, type: "string" },
            { name: n, in: "query", type: "string" },
          ],
          responses: { "200": { description: "ok", schema: { $ref: `#/definitions/${n}` } } },
          security: [Object.fromEntries([[n, []]])],
        },
        post: {
          operationId: `${n}_post`,
          parameters: [
            { name: n, in: "path", required: true, type: "string" },
            { name: "body", in: "body", required: true, schema: { $ref: `#/definitions/${n}` } },
          ],
          responses: { "204": { description: "done" } },
        },
      },
    ]),
  );
  return JSON.stringify({
    swagger: "2.0",
    info: { title: "reserved", version: "1" },
    basePath: "/PasswordVault",
    paths,
    definitions: each((n) => schema("#/definitions/", n)),
    securityDefinitions: each(() => ({ type: "apiKey", name: "Authorization", in: "header" })),
  });
}

/** The same as OpenAPI 3, where conversion is skipped and only validation and type generation meet the names. */
function openApi3Document(): string {
  const paths = Object.fromEntries(
    NAMES.map((n) => [
      `/API/${n}/{${n}}`,
      {
        get: {
          operationId: n,
          parameters: [
            { name: n, in: "path", required: true, schema: { type: "string" } },
            { name: n, in: "query", schema: { type: "string" } },
          ],
          responses: { "200": { description: "ok", content: { "application/json": { schema: { $ref: `#/components/schemas/${n}` } } } } },
        },
      },
    ]),
  );
  return JSON.stringify({
    openapi: "3.0.3",
    info: { title: "reserved", version: "1" },
    servers: [{ url: "/PasswordVault" }],
    paths,
    components: { schemas: each((n) => schema("#/components/schemas/", n)) },
  });
}

let tmp: TempDir;
beforeAll(() => {
  tmp = tempDir("reserved-names-");
});
afterAll(() => tmp.cleanup());

const escapeRe = (text: string) => text.replace(/[$()*+.?[\\\]^{|}]/g, "\\$&");

describe.each([
  ["Swagger 2.0", swaggerDocument],
  ["OpenAPI 3", openApi3Document],
])("a %s document naming things __proto__, constructor, prototype, hasOwnProperty, toString, valueOf", (kind, make) => {
  let out = "";
  let run: Awaited<ReturnType<typeof generate>>;
  beforeAll(async () => {
    const file = join(tmp.path, `${kind.replace(/\W/g, "")}.json`);
    writeFileSync(file, make());
    out = join(tmp.path, `out-${kind.replace(/\W/g, "")}`);
    run = await generate([...fixtureSpecs(file), "--out", out]);
  }, 60_000);

  it("generates, and the result type-checks", () => {
    expect(run.code, run.stderr).toBe(0);
    expect(run.stdout).toMatch(/^✔ type-check \d+ files/m);
  });

  it("keeps every name in the OpenAPI output", () => {
    const doc = readJson<{ paths: Record<string, unknown>; components: { schemas: Record<string, { properties: object; required: string[] }> } }>(
      join(out, "gen2.openapi.json"),
    );
    expect(Object.keys(doc.components.schemas).sort()).toEqual([...NAMES].sort());
    for (const n of NAMES) {
      expect(Object.keys(doc.components.schemas[n]?.properties ?? {}).sort()).toEqual([...NAMES, "next"].sort());
      expect(doc.components.schemas[n]?.required).toEqual(NAMES);
      expect(Object.keys(doc.paths)).toContain(`/${n}/{${n}}`);
    }
  });

  it("gives the types those names: schemas, root types, required properties, parameters, paths, operations", () => {
    const types = readFileSync(join(out, "gen2.ts"), "utf8");
    for (const n of NAMES) {
      expect(types).toContain(`export type ${ROOT_TYPES.get(n)} = components['schemas']['${n}'];`);
      expect(types).toMatch(new RegExp(`^ {8}${escapeRe(n)}: \\{$`, "m")); // components.schemas member
      expect(types).toMatch(new RegExp(`^ {12}${escapeRe(n)}: string;$`, "m")); // required property
      expect(types).toMatch(new RegExp(`^ {16}${escapeRe(n)}\\?: string;$`, "m")); // query parameter
      expect(types).toMatch(new RegExp(`^ {16}${escapeRe(n)}: string;$`, "m")); // path parameter
      expect(types).toContain(`"/${n}/{${n}}": {`);
      expect(types).toContain(`get: operations["${n}"];`);
      expect(types).toContain(`components["schemas"]["${n}"]`);
    }
    const operations = readFileSync(join(out, "gen2.operations.ts"), "utf8");
    for (const n of NAMES) expect(operations).toContain(`operationId: "${n}",`);
  });
});

describe("the helpers", () => {
  it("sortDocument and stableStringify keep __proto__ as a key, not a prototype", () => {
    const doc = JSON.parse('{"b":{"__proto__":{"x":1},"constructor":2},"__proto__":3}') as Record<string, unknown>;
    const sorted = sortDocument(doc);
    expect(Object.keys(sorted)).toEqual(["__proto__", "b"]);
    expect(Object.keys(sorted["b"] as object)).toEqual(["__proto__", "constructor"]);
    expect(Object.getPrototypeOf(sorted["b"])).toBe(Object.prototype);
    expect(JSON.parse(stableStringify(doc))).toEqual(doc);
  });

  it("escaping and unescaping the names gives back the document, whatever its keys and underscores", () => {
    const key = fc.oneof(fc.constantFrom(...NAMES, "__defineGetter__", "a", "_", "__", "x___y"), fc.string());
    const { tree } = fc.letrec((tie) => ({
      tree: fc.oneof({ depthSize: "small" }, fc.jsonValue({ maxDepth: 1 }), tie("object"), fc.array(tie("tree"), { maxLength: 3 })),
      object: fc
        .array(fc.tuple(key, fc.oneof(tie("tree"), fc.constantFrom(...NAMES.map((n) => `#/definitions/${n}`), "#/definitions/%5F%5Fproto%5F%5F/properties/constructor"))), { maxLength: 4 })
        .map((entries) => Object.fromEntries([...entries, ["required", NAMES.slice(0, 2)]])),
    }));
    fc.assert(
      fc.property(tree, (value) => {
        const doc = { root: value };
        const escaped = escapeReservedNames(doc);
        expect(unescapeReservedNames(escaped.doc, escaped.marker)).toEqual(doc);
        // Through JSON text, as the generated files are: compared with the document as JSON writes it (-0 is 0).
        expect(JSON.parse(unescapeReservedText(JSON.stringify(escaped.doc), escaped.marker))).toEqual(JSON.parse(JSON.stringify(doc)));
      }),
      { numRuns: 300 },
    );
  });
});
