// Steps convert, rebase, typescript, metadata and type-check on their own.
import { mkdirSync, writeFileSync } from "node:fs";
import { join } from "node:path";
import { afterAll, describe, expect, it } from "vitest";
import { DOCUMENTS, type DocumentDefinition } from "../../scripts/lib/documents.js";
import { GenerateError } from "../../scripts/lib/errors.js";
import type { JsonObject } from "../../scripts/lib/json-types.js";
import { convertToOpenApi3 } from "../../scripts/steps/convert.js";
import { extractOperations, renderOperationsModule } from "../../scripts/steps/metadata.js";
import { declaredBasePath, rebaseDocument } from "../../scripts/steps/rebase.js";
import { typeCheck } from "../../scripts/steps/type-check.js";
import { generateTypes, rootTypeProblems } from "../../scripts/steps/typescript.js";
import { tempDir } from "./harness.js";

const def = (name: string): DocumentDefinition => DOCUMENTS.find((d) => d.name === name)!;
const ok = { "200": { description: "ok" } };
const oas3 = (paths: JsonObject, server?: string, schemas: JsonObject = {}): JsonObject => ({
  openapi: "3.0.3",
  info: { title: "t", version: "1" },
  ...(server === undefined ? {} : { servers: [{ url: server }] }),
  paths,
  components: { schemas },
});

function stepError(run: () => unknown): GenerateError {
  try {
    run();
  } catch (error) {
    expect(error).toBeInstanceOf(GenerateError);
    return error as GenerateError;
  }
  throw new Error("expected a GenerateError");
}

describe("convert", () => {
  it("turns Swagger 2.0 into OpenAPI 3.0 keeping operationIds, x-nullable and vendor extensions", async () => {
    const { doc } = await convertToOpenApi3(
      {
        swagger: "2.0",
        info: { title: "t", version: "1" },
        basePath: "/PasswordVault",
        paths: { "/API/a": { get: { operationId: "A", "x-cyberark-min-version": "10.4", responses: { "200": { description: "ok", schema: { type: "string", "x-nullable": true } } } } } },
      },
      true,
    );
    expect(String(doc["openapi"])).toMatch(/^3\.0\./);
    const get = ((doc["paths"] as JsonObject)["/API/a"] as JsonObject)["get"] as JsonObject;
    expect(get["operationId"]).toBe("A");
    expect(get["x-cyberark-min-version"]).toBe("10.4");
    expect(JSON.stringify(get["responses"])).toContain('"nullable":true');
  });

  it("passes OpenAPI 3 through untouched", async () => {
    const input = oas3({ "/a": { get: { responses: ok } } });
    const { doc } = await convertToOpenApi3(input, false);
    expect(doc).toEqual(input);
    expect(doc).not.toBe(input);
  });
});

describe("rebase", () => {
  it("strips /API and /api (any case) from gen2 paths and sets the client's server URL", () => {
    const { doc, leftOut } = rebaseDocument(
      oas3({ "/API/Accounts/{id}": {}, "/api/Safes": {}, "/Api/Users/": {}, "/WebServices/x": {} }, "https://host/PasswordVault"),
      def("gen2"),
    );
    expect(doc["servers"]).toEqual([{ url: "/PasswordVault/API" }]);
    expect(Object.keys(doc["paths"] as object).sort()).toEqual(["/Accounts/{id}", "/Safes", "/Users/"]);
    expect(leftOut).toEqual(["/WebServices/x"]);
  });

  it("fails when two paths collide after stripping", () => {
    const e = stepError(() => rebaseDocument(oas3({ "/API/Accounts": {}, "/api/Accounts": {} }, "/PasswordVault"), def("gen2")));
    expect(e.step).toBe("rebase");
    expect(e.message).toContain('"/API/Accounts" and "/api/Accounts" both become "/Accounts"');
  });

  it("fails when no path lies under the base URL (wrong document)", () => {
    const e = stepError(() => rebaseDocument(oas3({ "/PIMServices.svc/Safes": {} }, "/PasswordVault/WebServices"), def("gen2")));
    expect(e.message).toContain("none of the 1 paths lies under /PasswordVault/API");
  });

  it("keeps gen1 and pcloud paths, and assumes the usual base path when none is declared", () => {
    const gen1 = rebaseDocument(oas3({ "/PIMServices.svc/Safes": {} }, "//pvwa/PasswordVault/WebServices/"), def("gen1"));
    expect(Object.keys(gen1.doc["paths"] as object)).toEqual(["/PIMServices.svc/Safes"]);
    const bare = rebaseDocument(oas3({ "/API/Users": {} }), def("gen2"));
    expect(Object.keys(bare.doc["paths"] as object)).toEqual(["/Users"]);
    const pcloud = rebaseDocument(oas3({ "/LiveSessions": {} }, "/api"), def("pcloud"));
    expect(pcloud.doc["servers"]).toEqual([{ url: "/api" }]);
  });

  it("reads the base path from absolute, protocol-relative and relative server URLs", () => {
    expect(declaredBasePath(oas3({}, "https://h.example:8443/PasswordVault/"))).toBe("/PasswordVault");
    expect(declaredBasePath(oas3({}, "//h/PasswordVault"))).toBe("/PasswordVault");
    expect(declaredBasePath(oas3({}, "/"))).toBe("");
    expect(declaredBasePath(oas3({}))).toBe("");
  });
});

describe("typescript", () => {
  it("emits alphabetised paths and short root types", async () => {
    const { source, unprefixedRootTypes } = await generateTypes(
      oas3({ "/b": { get: { operationId: "B", responses: ok } }, "/a": { get: { operationId: "A", responses: ok } } }, undefined, {
        Safe: { type: "object", properties: { z: { type: "string" }, a: { type: "string", enum: ["x", "y"] } } },
      }),
    );
    expect(unprefixedRootTypes).toBe(true);
    expect(source.indexOf('"/a"')).toBeLessThan(source.indexOf('"/b"'));
    expect(source).toContain("export type Safe = components['schemas']['Safe'];");
    expect(source).toContain('a?: "x" | "y";');
    expect(source).not.toMatch(/\benum\s+\w+\s*\{/); // no TS enums
  });

  it("falls back to prefixed root types when short names would collide", async () => {
    const doc = oas3({}, undefined, { "Foo-Bar": { type: "string" }, FooBar: { type: "integer" } });
    const { source, unprefixedRootTypes } = await generateTypes(doc);
    expect(unprefixedRootTypes).toBe(false);
    expect(rootTypeProblems(source, doc)).toEqual([]);
    expect(source).toContain("components['schemas']['Foo-Bar']");
    expect(source).toContain("components['schemas']['FooBar']");
  });
});

describe("metadata", () => {
  const doc = oas3({
    "/Accounts": {
      get: { operationId: "Accounts_List", "x-cyberark-min-version": "11.4", "x-cyberark-paging": { style: "nextLink", items: "value", maxLimit: 1000 }, responses: ok },
      post: { operationId: "Accounts_Add", "x-cyberark-deployment": "privilege-cloud", responses: ok },
    },
    "/Accounts/{id}/Password/Update": { post: { operationId: "Accounts_SetPw", "x-cyberark-secret-change": true, "x-cyberark-max-version": "13.2", "x-cyberark-unconfirmed": "shape", responses: ok } },
  });

  it("reads the vendor extensions, with defaults, in a stable order", () => {
    expect(extractOperations(doc, "gen2")).toEqual([
      { key: "GET /Accounts", operationId: "Accounts_List", method: "GET", path: "/Accounts", minVersion: "11.4", deployment: "both", secretChange: false, paging: { style: "nextLink", items: "value", maxLimit: 1000 } },
      { key: "POST /Accounts", operationId: "Accounts_Add", method: "POST", path: "/Accounts", deployment: "privilege-cloud", secretChange: false },
      { key: "POST /Accounts/{id}/Password/Update", operationId: "Accounts_SetPw", method: "POST", path: "/Accounts/{id}/Password/Update", maxVersion: "13.2", deployment: "both", secretChange: true, unconfirmed: "shape" },
    ]);
  });

  it("lists every invalid extension with its pointer", () => {
    const bad = oas3({
      "/a": {
        get: {
          operationId: "A",
          "x-cyberark-min-version": 14.1,
          "x-cyberark-deployment": "cloud",
          "x-cyberark-secret-change": "yes",
          "x-cyberark-paging": { style: "pages", items: "value", extra: 1 },
          responses: ok,
        },
      },
    });
    const e = stepError(() => extractOperations(bad, "gen2"));
    expect(e.step).toBe("metadata");
    expect(e.message).toContain("(4)");
    expect(e.message).toContain('#/paths/~1a/get/x-cyberark-min-version: must be a version string like "14.2", got 14.1');
    expect(e.message).toContain("#/paths/~1a/get/x-cyberark-deployment: must be one of both, self-hosted, privilege-cloud");
    expect(e.message).toContain("#/paths/~1a/get/x-cyberark-secret-change: must be true or false");
    expect(e.message).toContain('style must be one of nextLink, offset, unpaged; unknown key "extra"');
  });

  it("renders an `as const` table checked against OperationMeta", () => {
    const text = renderOperationsModule("gen2", "Gen2", extractOperations(doc, "gen2"), "// h\n");
    expect(text).toContain('export const gen2Operations = {\n  "GET /Accounts": {\n    operationId: "Accounts_List",');
    expect(text).toContain("} as const satisfies Readonly<Record<string, OperationMeta>>;");
    expect(text).toContain("export type Gen2OperationKey = keyof typeof gen2Operations;");
    // The method and the retry options decide retries; secretChange is the only per-operation veto.
    expect(text).toContain("    secretChange: true,");
    expect(text).not.toContain("idempotent");
  });
});

describe("type-check", () => {
  const tmp = tempDir();
  afterAll(() => tmp.cleanup());

  it("passes compiling code and reports errors with file and line otherwise", () => {
    const dir = join(tmp.path, "tc");
    mkdirSync(dir);
    writeFileSync(join(dir, "good.ts"), "export const a: number = 1;\n");
    expect(() => typeCheck(dir, ["good.ts"])).not.toThrow();
    writeFileSync(join(dir, "bad.ts"), 'import { a } from "./good.js";\nexport const b: string = a;\n');
    const e = stepError(() => typeCheck(dir, ["good.ts", "bad.ts"]));
    expect(e.step).toBe("type-check");
    expect(e.message).toContain("does not compile (1 error)");
    expect(e.message).toMatch(/bad\.ts\(2,14\): error TS2322/);
  });
});
