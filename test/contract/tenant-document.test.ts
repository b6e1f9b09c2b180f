// The merged "tenant" document: each base's paths under its base path, components kept apart,
// security carried onto operations, so one Prism can stand in for a whole tenant origin.
import { describe, expect, it } from "vitest";
import { basePaths } from "../../generated/index.js";
import { BASE_PATHS } from "../../scripts/mock/documents.js";
import { declaredBasePath, mergeTenantDocument, mountDocument, type ApiDocument } from "../../scripts/mock/tenant-document.js";

const gen2: ApiDocument = {
  openapi: "3.0.3",
  security: [{ token: [] }],
  components: {
    securitySchemes: { token: { type: "apiKey", in: "header", name: "Authorization" } },
    schemas: {
      Account: { type: "object", properties: { platform: { $ref: "#/components/schemas/Platform" } } },
      Platform: { type: "object", discriminator: { propertyName: "kind", mapping: { a: "#/components/schemas/Account" } } },
    },
  },
  paths: {
    "/Accounts/{id}": {
      get: { responses: { "200": { description: "ok", content: { "application/json": { schema: { $ref: "#/components/schemas/Account" } } } } } },
    },
    "/auth/CyberArk/Logon": { post: { security: [], responses: { "200": { description: "token" } } } },
  },
};
const gen1: ApiDocument = {
  openapi: "3.0.3",
  components: { schemas: { Account: { type: "string" } } },
  paths: { "/PIMServices.svc/Account": { post: { responses: { "201": { description: "created" } } } } },
};

describe("base paths", () => {
  it("mounts each document where the generator says its paths are rooted", () => {
    expect(BASE_PATHS).toEqual(basePaths);
  });
});

describe("mergeTenantDocument", () => {
  const merged = mergeTenantDocument([
    { area: "gen2", basePath: "/PasswordVault/API", doc: gen2 },
    { area: "gen1", basePath: "/PasswordVault/WebServices/", doc: gen1 },
  ]);

  it("mounts each document's paths under its base path", () => {
    expect(Object.keys(merged.paths ?? {}).sort()).toEqual([
      "/PasswordVault/API/Accounts/{id}",
      "/PasswordVault/API/auth/CyberArk/Logon",
      "/PasswordVault/WebServices/PIMServices.svc/Account",
    ]);
  });

  it("keeps same-named components apart and rewrites every reference", () => {
    const schemas = merged.components?.["schemas"] as Record<string, unknown>;
    expect(Object.keys(schemas).sort()).toEqual(["gen1_Account", "gen2_Account", "gen2_Platform"]);
    expect(JSON.stringify(merged.paths)).toContain('"#/components/schemas/gen2_Account"');
    expect(JSON.stringify(schemas["gen2_Account"])).toContain('"#/components/schemas/gen2_Platform"');
    expect(JSON.stringify(schemas["gen2_Platform"])).toContain('"a":"#/components/schemas/gen2_Account"');
    expect(JSON.stringify(merged)).not.toMatch(/"#\/components\/schemas\/(Account|Platform)"/);
  });

  it("moves document-level security onto operations, keeping explicit opt-outs", () => {
    const get = merged.paths?.["/PasswordVault/API/Accounts/{id}"]?.["get"] as { security?: unknown };
    const logon = merged.paths?.["/PasswordVault/API/auth/CyberArk/Logon"]?.["post"] as { security?: unknown };
    const gen1Op = merged.paths?.["/PasswordVault/WebServices/PIMServices.svc/Account"]?.["post"] as { security?: unknown };
    expect(get.security).toEqual([{ gen2_token: [] }]);
    expect(logon.security).toEqual([]);
    expect(gen1Op.security).toBeUndefined();
    expect(Object.keys(merged.components?.["securitySchemes"] ?? {})).toEqual(["gen2_token"]);
    expect(merged.security).toBeUndefined();
  });

  it("refuses two documents claiming the same path", () => {
    expect(() =>
      mergeTenantDocument([
        { area: "a", basePath: "/x", doc: gen1 },
        { area: "b", basePath: "/x", doc: gen1 },
      ]),
    ).toThrow(/appears in two documents/);
  });
});

describe("mountDocument / declaredBasePath", () => {
  it("reads a Swagger basePath and an OpenAPI server path (absolute, relative or protocol-relative)", () => {
    expect(declaredBasePath({ swagger: "2.0", basePath: "/PasswordVault/API/" })).toBe("/PasswordVault/API");
    expect(declaredBasePath({ openapi: "3.0.3", servers: [{ url: "https://h.example/api" }] })).toBe("/api");
    expect(declaredBasePath({ openapi: "3.0.3", servers: [{ url: "//h.example/PasswordVault/WebServices" }] })).toBe("/PasswordVault/WebServices");
    expect(declaredBasePath({ openapi: "3.0.3", servers: [{ url: "/api" }] })).toBe("/api");
    expect(declaredBasePath({ openapi: "3.0.3" })).toBe("");
  });

  it("prefixes every path and leaves the original untouched", () => {
    const mounted = mountDocument(gen1, "/PasswordVault/WebServices");
    expect(Object.keys(mounted.paths ?? {})).toEqual(["/PasswordVault/WebServices/PIMServices.svc/Account"]);
    expect(mounted.servers).toEqual([{ url: "/" }]);
    expect(Object.keys(gen1.paths ?? {})).toEqual(["/PIMServices.svc/Account"]);
  });
});
