// Step "validate": every problem, each with its JSON pointer; dangling $refs found by us.
import { describe, expect, it } from "vitest";
import { GenerateError } from "../../scripts/lib/errors.js";
import type { JsonObject } from "../../scripts/lib/json-types.js";
import { validateDocument } from "../../scripts/steps/validate.js";

const base = (): JsonObject => ({
  swagger: "2.0",
  info: { title: "t", version: "1" },
  paths: {
    "/a": {
      get: {
        operationId: "A",
        responses: { "200": { description: "ok", schema: { $ref: "#/definitions/Thing" } } },
      },
    },
  },
  definitions: { Thing: { type: "object", properties: { id: { type: "string" } } } },
});

async function problems(doc: JsonObject, isSwagger2 = true): Promise<string> {
  try {
    await validateDocument(doc, isSwagger2, "gen2 (spec/x.json)");
  } catch (error) {
    expect(error).toBeInstanceOf(GenerateError);
    expect((error as GenerateError).step).toBe("validate");
    return (error as Error).message;
  }
  throw new Error("expected validation to fail");
}

describe("validateDocument", () => {
  it("accepts a valid document", async () => {
    await expect(validateDocument(base(), true, "x")).resolves.toBeUndefined();
  });

  it("names the pointer of a dangling $ref", async () => {
    const doc = base();
    (doc["definitions"] as JsonObject)["Thing"] = { type: "object", properties: { owner: { $ref: "#/definitions/Owner" } } };
    const message = await problems(doc);
    expect(message).toContain("gen2 (spec/x.json) is not a valid Swagger 2.0 document (1 problem):");
    expect(message).toContain('#/definitions/Thing/properties/owner: $ref "#/definitions/Owner" points to nothing');
  });

  it("lists every problem, the dangling refs and the schema errors, each with its pointer", async () => {
    const doc = base();
    const paths = doc["paths"] as Record<string, Record<string, JsonObject>>;
    paths["/a"]!["get"]!["responses"] = { "200": { description: "ok", schema: { $ref: "#/definitions/Nope" } }, "404": {} };
    paths["/b"] = { post: { operationId: "B", parameters: [{ name: "q", in: "query", type: "strng" }], responses: { "200": { description: "ok" } } } };
    doc["definitions"] = { Thing: { $ref: "https://elsewhere.example/x.json" } };
    const message = await problems(doc);
    expect(message).toContain('#/paths/~1a/get/responses/200/schema: $ref "#/definitions/Nope" points to nothing');
    expect(message).toContain('#/definitions/Thing: $ref "https://elsewhere.example/x.json" is not local');
    expect(message).toMatch(/#\/paths\/~1a\/get\/responses\/404: must have required property 'description'/);
    expect(message).toMatch(/#\/paths\/~1b\/post\/parameters\/0\/type: must be equal to one of the allowed values/);
    expect(message).toMatch(/\((\d+) problems\)/);
    expect(message).not.toMatch(/: must match exactly one schema in oneOf/);
  });

  it("reports swagger-parser's semantic errors too", async () => {
    const doc = base();
    (doc["paths"] as JsonObject)["/c/{id}"] = { get: { operationId: "C", responses: { "200": { description: "ok" } } } };
    expect(await problems(doc)).toContain("/paths/c/{id}/get is missing path parameter(s) for {id}");
  });

  it("validates OpenAPI 3 documents", async () => {
    const message = await problems({ openapi: "3.0.3", info: { title: "t" }, paths: {} }, false);
    expect(message).toContain("not a valid OpenAPI 3 document");
    expect(message).toContain("#/info: must have required property 'version'");
  });
});
