// Each repair on its own, and the repaired fixture passing validation.
import { readFileSync } from "node:fs";
import { describe, expect, it } from "vitest";
import type { JsonObject } from "../../scripts/lib/json-types.js";
import { duplicateOperationIds } from "../../scripts/repairs/duplicate-operation-ids.js";
import { emptyResponses } from "../../scripts/repairs/empty-responses.js";
import { jsonPatchValue } from "../../scripts/repairs/json-patch-value.js";
import { missingOperationIds } from "../../scripts/repairs/missing-operation-ids.js";
import { undeclaredPathParams } from "../../scripts/repairs/undeclared-path-params.js";
import { applyRepairs } from "../../scripts/steps/repairs.js";
import { validateDocument } from "../../scripts/steps/validate.js";
import { fixture } from "./harness.js";

const ok = { "200": { description: "ok" } };
const swagger = (paths: JsonObject, definitions: JsonObject = {}): JsonObject => ({
  swagger: "2.0",
  info: { title: "t", version: "1" },
  paths,
  definitions,
});
// eslint-disable-next-line @typescript-eslint/no-explicit-any
const at = (doc: JsonObject, ...keys: string[]): any => keys.reduce<any>((node, k) => node[k], doc);

describe("duplicate-operation-ids", () => {
  const paths = () => ({
    "/b": { get: { operationId: "X", responses: ok }, post: { operationId: "X", responses: ok } },
    "/a": { get: { operationId: "X", responses: ok } },
    "/c": { get: { operationId: "X_2", responses: ok } },
  });

  it("keeps the first holder and gives later ones the lowest free suffix, logging each", () => {
    const doc = swagger(paths());
    const notes = duplicateOperationIds.apply(doc, true);
    expect(at(doc, "paths", "/a", "get", "operationId")).toBe("X");
    expect(at(doc, "paths", "/b", "get", "operationId")).toBe("X_3"); // X_2 is taken by /c
    expect(at(doc, "paths", "/b", "post", "operationId")).toBe("X_4");
    expect(at(doc, "paths", "/c", "get", "operationId")).toBe("X_2");
    expect(notes).toEqual([
      'GET /b: operationId "X" was already used; renamed to "X_3"',
      'POST /b: operationId "X" was already used; renamed to "X_4"',
    ]);
  });

  it("does not depend on the order of keys in the document", () => {
    const a = swagger(paths());
    const reversed = swagger(Object.fromEntries(Object.entries(paths()).reverse()));
    duplicateOperationIds.apply(a, true);
    duplicateOperationIds.apply(reversed, true);
    for (const p of ["/a", "/b", "/c"]) expect(at(reversed, "paths", p)).toEqual(at(a, "paths", p));
  });

  it("changes nothing when ids are unique", () => {
    expect(duplicateOperationIds.apply(swagger({ "/a": { get: { operationId: "A", responses: ok } } }), true)).toEqual([]);
  });
});

describe("missing-operation-ids", () => {
  it("derives an id from method and path", () => {
    const doc = swagger({ "/Safes/{safeUrlId}/Members/": { get: { responses: ok } } });
    expect(missingOperationIds.apply(doc, true)).toEqual(['GET /Safes/{safeUrlId}/Members/: had no operationId; named it "get_Safes_safeUrlId_Members"']);
    expect(at(doc, "paths", "/Safes/{safeUrlId}/Members/", "get", "operationId")).toBe("get_Safes_safeUrlId_Members");
  });
});

describe("empty-responses", () => {
  it("adds a default response where none is listed, leaves others alone", () => {
    const doc = swagger({ "/a": { delete: { operationId: "D", responses: {} }, get: { operationId: "G", responses: ok } } });
    expect(emptyResponses.apply(doc, true)).toEqual(['DELETE /a: no responses listed; added a "default" response']);
    expect(Object.keys(at(doc, "paths", "/a", "delete", "responses"))).toEqual(["default"]);
    expect(at(doc, "paths", "/a", "get", "responses")).toEqual(ok);
  });
});

describe("json-patch-value", () => {
  it("loosens an untyped-object value in a patch-operation definition only", () => {
    const doc = swagger(
      {},
      {
        Operation: { type: "object", properties: { op: { type: "string" }, path: { type: "string" }, value: { type: "object", description: "v" } } },
        Shaped: { type: "object", properties: { op: { type: "string" }, path: { type: "string" }, value: { type: "object", properties: { a: { type: "string" } } } } },
        NotPatch: { type: "object", properties: { value: { type: "object" } } },
      },
    );
    expect(jsonPatchValue.apply(doc, true)).toEqual([
      '#/definitions/Operation/properties/value: "type: object" removed, the patch value may be any JSON value',
    ]);
    expect(at(doc, "definitions", "Operation", "properties", "value")).toEqual({ description: "v" });
    expect(at(doc, "definitions", "Shaped", "properties", "value", "type")).toBe("object");
    expect(at(doc, "definitions", "NotPatch", "properties", "value")).toEqual({ type: "object" });
  });

  it("also finds inline patch schemas in a body parameter", () => {
    const doc = swagger({
      "/a": {
        patch: {
          operationId: "P",
          parameters: [{ in: "body", name: "body", schema: { type: "array", items: { type: "object", properties: { op: {}, path: {}, value: { type: "object" } } } } }],
          responses: ok,
        },
      },
    });
    expect(jsonPatchValue.apply(doc, true)).toHaveLength(1);
  });
});

describe("undeclared-path-params", () => {
  it("declares missing template parameters as strings, Swagger 2.0 form", () => {
    const doc = swagger(
      {
        "/a/{x}/b/{y}/c/{z}": {
          parameters: [{ name: "x", in: "path", required: true, type: "string" }],
          get: { operationId: "G", parameters: [{ $ref: "#/parameters/Y" }], responses: ok },
        },
      },
    );
    doc["parameters"] = { Y: { name: "y", in: "path", required: true, type: "integer" } };
    expect(undeclaredPathParams.apply(doc, true)).toEqual(['GET /a/{x}/b/{y}/c/{z}: declared path parameter(s) "z" as string']);
    expect(at(doc, "paths", "/a/{x}/b/{y}/c/{z}", "get", "parameters")).toEqual([
      { $ref: "#/parameters/Y" },
      { name: "z", in: "path", required: true, type: "string" },
    ]);
  });

  it("uses a schema in OpenAPI 3 form", () => {
    const doc: JsonObject = { openapi: "3.0.3", info: { title: "t", version: "1" }, paths: { "/u/{id}": { delete: { responses: ok } } } };
    undeclaredPathParams.apply(doc, false);
    expect(at(doc, "paths", "/u/{id}", "delete", "parameters")).toEqual([{ name: "id", in: "path", required: true, schema: { type: "string" } }]);
  });
});

describe("all repairs together", () => {
  it("turn the defective fixture into a valid Swagger 2.0 document", async () => {
    const doc = JSON.parse(readFileSync(fixture("gen2.swagger.json"), "utf8")) as JsonObject;
    await expect(validateDocument(structuredClone(doc), true, "fixture")).rejects.toThrow(/not a valid Swagger 2.0 document/);
    const outcomes = applyRepairs(doc, true);
    expect(outcomes.map((o) => o.name)).toEqual(["duplicate-operation-ids", "empty-responses", "json-patch-value", "undeclared-path-params"]);
    await expect(validateDocument(doc, true, "fixture")).resolves.toBeUndefined();
  });
});
