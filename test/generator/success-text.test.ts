// The operations table's successText: an operation whose 2xx body the document declares as text (text/* or
// application/octet-stream, a string that is not format: binary, and no JSON media type) is read as a string by
// the typed client; JSON.parse would turn a password "123456" into a number. Binary files and JSON stay as they are.
import { describe, expect, it } from "vitest";
import type { JsonObject } from "../../scripts/lib/json-types.js";
import { convertToOpenApi3 } from "../../scripts/steps/convert.js";
import { extractOperations, renderOperationsModule } from "../../scripts/steps/metadata.js";
import { gen1Operations, gen2Operations, pcloudOperations } from "../../generated/index.js";

// A function, not one shared object: the converter reads a node reached twice as a YAML anchor.
const str = (): JsonObject => ({ type: "string" });
const ok = (content: JsonObject): JsonObject => ({ "200": { description: "ok", content } });

function flagged(paths: JsonObject, components: JsonObject = {}): string[] {
  const doc = { openapi: "3.0.3", info: { title: "t", version: "1" }, paths, components };
  return extractOperations(doc, "gen1")
    .filter((r) => r.successText === true)
    .map((r) => r.key);
}

const op = (operationId: string, responses: JsonObject): JsonObject => ({ get: { operationId, responses } });

describe("successText", () => {
  it("marks text and octet-stream string bodies, and nothing JSON, binary or bodiless", () => {
    const keys = flagged(
      {
        "/octet": op("Octet", ok({ "application/octet-stream": { schema: str() } })),
        "/plain": op("Plain", { ...ok({ "text/plain; charset=utf-8": { schema: str() } }), "204": { description: "none", content: {} } }),
        "/ref": op("Ref", { "200": { $ref: "#/components/responses/Password" }, "204": { description: "none" } }),
        "/nullable31": op("Nullable", ok({ "text/plain": { schema: { type: ["string", "null"] } } })),
        // JSON beside the text: the JSON wins (a JSON-quoted string is parsed to the string).
        "/both": op("Both", ok({ "application/json": { schema: str() }, "application/octet-stream": { schema: str() } })),
        "/vendorJson": op("VendorJson", ok({ "application/vnd.cyberark.api+json": { schema: str() }, "text/plain": { schema: str() } })),
        "/textJson": op("TextJson", ok({ "text/json": { schema: str() }, "text/plain": { schema: str() } })),
        // Binary files (platform exports, images): the caller passes parseAs.
        "/binary": op("Binary", ok({ "application/octet-stream": { schema: { type: "string", format: "binary" } } })),
        "/binaryRef": op("BinaryRef", ok({ "application/octet-stream": { schema: { $ref: "#/components/schemas/File" } } })),
        "/mixedBinary": op("MixedBinary", ok({ "text/plain": { schema: str() }, "image/png": { schema: { type: "string", format: "binary" } } })),
        "/object": op("Object", ok({ "text/plain": { schema: { type: "object" } } })),
        "/noSchema": op("NoSchema", ok({ "application/octet-stream": {} })),
        "/xml": op("Xml", ok({ "application/xml": { schema: str() } })),
        "/none": op("None", { "204": { description: "none" } }),
        // A JSON 201 beside a text 200: one default cannot serve both, so JSON stays.
        "/twoCodes": op("TwoCodes", { ...ok({ "text/plain": { schema: str() } }), "201": { description: "c", content: { "application/json": { schema: str() } } } }),
        "/errorOnlyText": op("ErrorOnlyText", { ...ok({ "application/json": { schema: str() } }), "400": { description: "e", content: { "text/plain": { schema: str() } } } }),
      },
      {
        responses: { Password: { description: "pw", content: { "text/plain": { schema: { $ref: "#/components/schemas/Secret" } } } } },
        schemas: { Secret: str(), File: { type: "string", format: "binary" } },
      },
    );
    expect(keys.sort()).toEqual(["GET /nullable31", "GET /octet", "GET /plain", "GET /ref"]);
  });

  it("reads a Swagger 2 operation that produces only application/octet-stream as text (its JSON errors as JSON), and renders the field only when set", async () => {
    const { doc, warnings } = await convertToOpenApi3(
      {
        swagger: "2.0",
        info: { title: "t", version: "1" },
        produces: ["application/json"],
        paths: {
          "/Credentials": {
            get: {
              operationId: "Pw",
              produces: ["application/octet-stream"],
              responses: { "200": { description: "pw", schema: str() }, "400": { description: "bad", schema: { $ref: "#/definitions/Error" } } },
            },
          },
          "/Export": { get: { operationId: "Zip", produces: ["application/octet-stream"], responses: { "200": { description: "zip", schema: { type: "string", format: "binary" } } } } },
          "/Json": { get: { operationId: "Js", responses: { "200": { description: "js", schema: str() } } } },
        },
        definitions: { Error: { type: "object", properties: { ErrorCode: str() } } },
      },
      true,
    );
    const records = extractOperations(doc, "gen1");
    // The password is bytes, its JSON error is not: Swagger 2 gives both the operation's one media type list.
    const credentials = (doc["paths"] as Record<string, { get: { responses: Record<string, { content: JsonObject }> } }>)["/Credentials"]!.get.responses;
    expect(Object.keys(credentials["200"]!.content)).toEqual(["application/octet-stream"]);
    expect(credentials["400"]!.content).toEqual({ "application/json": { schema: { $ref: "#/components/schemas/Error" } } });
    expect(warnings).toEqual([
      "#/paths/~1Credentials/get: produces no JSON media type, so the object bodies of response(s) 400 are declared as " +
        "application/json (Swagger 2 cannot give a response a type of its own)",
    ]);
    expect(records.filter((r) => r.successText).map((r) => r.key)).toEqual(["GET /Credentials"]);
    const text = renderOperationsModule("gen1", "Gen1", records, "// h\n");
    expect(text.match(/successText/g)).toHaveLength(1);
    expect(text).toMatch(/"GET \/Credentials": \{[^}]*successText: true,\n {2}\}/);
  });

  it("in the embedded spec: only the Gen 1 password retrieval, whose 200 declares application/octet-stream alone", () => {
    const marked = [gen2Operations, gen1Operations, pcloudOperations].flatMap((table) =>
      Object.entries(table as Record<string, { successText?: boolean }>)
        .filter(([, row]) => row.successText === true)
        .map(([key]) => key),
    );
    expect(marked).toEqual(["GET /PIMServices.svc/Accounts/{AccountID}/Credentials"]);
  });
});
