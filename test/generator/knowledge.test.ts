// The project's knowledge: its files, how operations are matched, and the corrections it makes.
import { readFileSync } from "node:fs";
import { describe, expect, it } from "vitest";
import { applyKnowledge } from "../../scripts/knowledge/apply-knowledge.js";
import { knowledgeFile, loadKnowledge, parseKnowledge } from "../../scripts/knowledge/knowledge-file.js";
import { correctEnvelopes, correctListResponse } from "../../scripts/knowledge/response-envelope.js";
import { DOCUMENTS } from "../../scripts/lib/documents.js";
import type { JsonObject } from "../../scripts/lib/json-types.js";
import { routeKey } from "../../scripts/lib/route-key.js";
import { parseSource } from "../../scripts/steps/parse.js";
import { convertToOpenApi3 } from "../../scripts/steps/convert.js";
import { rebaseDocument } from "../../scripts/steps/rebase.js";
import { applyRepairs } from "../../scripts/steps/repairs.js";

const knowledgeOf = (operations: JsonObject) => parseKnowledge("gen2", { document: "gen2", operations }, "test knowledge");

function docWith(paths: JsonObject, components: JsonObject = {}): JsonObject {
  return { openapi: "3.0.3", info: { title: "t", version: "1" }, paths, components };
}
const listOp = (schema: unknown): JsonObject => ({ responses: { "200": { description: "ok", content: { "application/json": { schema } } } } });
const schemaOf = (doc: JsonObject, path: string, method = "get") =>
  (((doc["paths"] as JsonObject)[path] as JsonObject)[method] as { responses: Record<string, { content: Record<string, { schema: unknown }> }> }).responses["200"]?.content["application/json"]?.schema;

describe("routeKey", () => {
  it("matches routes case-insensitively, whatever the path-parameter names, with or without a trailing slash", () => {
    const key = routeKey("get", "/Safes/{safeUrlId}/Members");
    for (const spelling of ["/safes/{id}/members", "/SAFES/{safeName}/Members/", "/Safes/{x}/members//"]) {
      expect(routeKey("GET", spelling)).toBe(key);
    }
    expect(routeKey("POST", "/Safes/{id}/Members")).not.toBe(key);
    expect(routeKey("GET", "/Safes/{id}/Members/{memberName}")).not.toBe(key);
    expect(routeKey("GET", "/Safes/Members")).not.toBe(key); // a literal segment is not a parameter
    expect(routeKey("GET", "/")).toBe(routeKey("GET", ""));
  });
});

describe("knowledge files", () => {
  it("are valid for every document, one file each", async () => {
    for (const d of DOCUMENTS) {
      const k = await loadKnowledge(d.name);
      expect(k.rows.size).toBeGreaterThan(0);
      expect(JSON.parse(readFileSync(knowledgeFile(d.name), "utf8")).document).toBe(d.name);
    }
  });

  it("name, for every row, where its facts come from", async () => {
    for (const d of DOCUMENTS) {
      const k = await loadKnowledge(d.name);
      const unsourced = [...k.rows].filter(([, row]) => typeof row.source !== "string").map(([key]) => `${d.name} ${key}`);
      expect(unsourced).toEqual([]);
    }
  });

  it("refuse a malformed key, an unknown field, two rows for one route and contradictory list facts, naming each", () => {
    const attempt = () =>
      knowledgeOf({
        "FETCH /Accounts": {},
        "GET Accounts": {},
        "GET /Safes": { secretChnage: true },
        "GET /Safes/{id}": {},
        "GET /safes/{safeUrlId}/": {},
        "GET /Users": { bareList: true, paging: { style: "unpaged", items: "Users" } },
        "GET /Groups": { removeParameters: ["query"] },
        "GET /Themes": { source: "", why: 3 },
        "POST /Rotate": { secretChange: "true", minVersion: 14.1, paging: { style: "pages" } },
      });
    expect(attempt).toThrow(/not a valid knowledge file/);
    const message = (() => {
      try {
        attempt();
      } catch (e) {
        return (e as Error).message;
      }
      return "";
    })();
    expect(message).toContain('"FETCH /Accounts": a key is "METHOD /route"');
    expect(message).toContain('"GET Accounts": a key is "METHOD /route"');
    expect(message).toContain('GET /Safes: unknown field "secretChnage"');
    expect(message).toContain("GET /safes/{safeUrlId}/: the same route as GET /Safes/{id}");
    expect(message).toContain("GET /Users: bareList and paging exclude each other");
    expect(message).toContain("GET /Groups: removeParameters must be");
    expect(message).toContain("GET /Themes: why must be a non-empty string");
    expect(message).toContain("GET /Themes: source must be a non-empty string");
    // Fact values are checked when the file is read, whether or not a document has the operation.
    expect(message).toContain("POST /Rotate: secretChange must be true or false");
    expect(message).toContain('POST /Rotate: minVersion must be a version string like "14.2", got 14.1');
    expect(message).toContain("POST /Rotate: paging style must be one of nextLink, offset, unpaged");
    expect(() => parseKnowledge("gen2", { document: "gen1", operations: {} }, "x")).toThrow(/"document": "gen2"/);
  });

  it("keep a row keyed by a name from Object.prototype as data", () => {
    const k = knowledgeOf({ "GET /__proto__": { secretChange: true }, "GET /constructor": { minVersion: "12.0" } });
    expect(k.rows.get("GET /__proto__")).toEqual({ secretChange: true });
    const { doc } = applyKnowledge(docWith({ "/__proto__": { get: listOp({}) }, "/constructor": { get: listOp({}) } }), k);
    const paths = doc["paths"] as Record<string, Record<string, JsonObject>>;
    expect(paths["/__proto__"]?.["get"]?.["x-cyberark-secret-change"]).toBe(true);
    expect(paths["/constructor"]?.["get"]?.["x-cyberark-min-version"]).toBe("12.0");
  });
});

describe("applyKnowledge", () => {
  const k = knowledgeOf({
    "GET /Safes/{safeUrlId}/Members": { minVersion: "12.1", paging: { style: "nextLink", items: "value", total: "count" } },
    "POST /Accounts/{id}/Change": { secretChange: true, deployment: "self-hosted", unconfirmed: "note" },
    "GET /Gone": { minVersion: "9.0" },
  });

  it("matches every spelling of a route and turns each fact into its vendor extension", () => {
    const source = docWith({
      "/safes/{id}/members/": { get: listOp({ type: "array", items: { type: "string" } }) },
      "/ACCOUNTS/{accountId}/change": { post: { responses: { "200": { description: "ok" } } } },
      "/InHouse/{id}": { put: { responses: { "200": { description: "ok" } } } },
    });
    const { doc, coverage } = applyKnowledge(source, k);
    const paths = doc["paths"] as Record<string, Record<string, JsonObject>>;
    expect(paths["/safes/{id}/members/"]?.["get"]?.["x-cyberark-paging"]).toEqual({ style: "nextLink", items: "value", total: "count" });
    expect(paths["/safes/{id}/members/"]?.["get"]?.["x-cyberark-min-version"]).toBe("12.1");
    const change = paths["/ACCOUNTS/{accountId}/change"]?.["post"];
    expect([change?.["x-cyberark-secret-change"], change?.["x-cyberark-deployment"], change?.["x-cyberark-unconfirmed"]]).toEqual([true, "self-hosted", "note"]);
    expect(coverage).toMatchObject({ operations: 3, matched: 2, unknown: ["PUT /InHouse/{id}"], unusedRows: ["GET /Gone"] });
    expect(source["paths"]).not.toBe(doc["paths"]); // the input stays as it was
    expect(JSON.stringify(source)).not.toContain("x-cyberark");
  });

  it("overrides a document's own extension where it knows better, and says so; keeps it where it knows nothing", () => {
    const source = docWith({
      "/Accounts/{id}/Change": { post: { "x-cyberark-secret-change": false, "x-cyberark-min-version": "9.0", responses: {} } },
    });
    const { doc, coverage } = applyKnowledge(source, k);
    const op = (doc["paths"] as Record<string, Record<string, JsonObject>>)["/Accounts/{id}/Change"]?.["post"];
    expect(op?.["x-cyberark-secret-change"]).toBe(true);
    expect(op?.["x-cyberark-min-version"]).toBe("9.0");
    expect(coverage.corrections).toContain("POST /Accounts/{id}/Change: x-cyberark-secret-change: the document's false replaced by true");
  });

  it("removes the parameters the server does not read, by name or all of one kind", () => {
    const k2 = knowledgeOf({
      "GET /MyRequests/{id}": { removeParameters: ["query *"] },
      "GET /Accounts": { removeParameters: ["header X-Junk"] },
    });
    const source = docWith({
      "/MyRequests/{RequestID}": { get: { parameters: [{ in: "path", name: "RequestID", required: true, schema: { type: "string" } }, { in: "query", name: "SafeName" }, { in: "query", name: "Status" }], responses: {} } },
      "/Accounts": { get: { parameters: [{ in: "header", name: "x-junk" }, { in: "query", name: "search", schema: { type: "string" } }], responses: {} } },
    });
    const { doc, coverage } = applyKnowledge(source, k2);
    const paths = doc["paths"] as Record<string, Record<string, JsonObject>>;
    expect(paths["/MyRequests/{RequestID}"]?.["get"]?.["parameters"]).toEqual([{ in: "path", name: "RequestID", required: true, schema: { type: "string" } }]);
    expect(paths["/Accounts"]?.["get"]?.["parameters"]).toEqual([{ in: "query", name: "search", schema: { type: "string" } }]);
    expect(coverage.corrections).toEqual([
      'GET /Accounts: removed 1 parameter(s) matching "header X-Junk"',
      'GET /MyRequests/{RequestID}: removed 2 parameter(s) matching "query *"',
    ]);
  });
});

describe("list responses", () => {
  const shape = { items: "Platforms", fields: { Total: { type: "integer" } } };

  it("wrap a declared array's element type in the envelope", () => {
    const doc = docWith({ "/Platforms": { get: listOp({ type: "array", items: { $ref: "#/components/schemas/P" } }) } });
    const op = ((doc["paths"] as JsonObject)["/Platforms"] as JsonObject)["get"] as JsonObject;
    expect(correctListResponse(doc, op, shape)).toEqual(["200"]);
    expect(schemaOf(doc, "/Platforms")).toEqual({
      type: "object",
      properties: { Platforms: { type: "array", items: { $ref: "#/components/schemas/P" } }, Total: { type: "integer" } },
    });
  });

  it("take a declared single element (Swashbuckle's other habit) as the item type", () => {
    const op = { ...listOp({ $ref: "#/components/schemas/P" }), "x-cyberark-paging": { style: "unpaged", items: "Platforms", total: "Total" } };
    const doc = docWith({ "/Platforms": { get: op } }, { schemas: { P: { type: "object", properties: { id: { type: "string" } } } } });
    expect(correctEnvelopes(doc)).toEqual(['GET /Platforms: response 200 corrected to an envelope with "Platforms"']);
    expect(schemaOf(doc, "/Platforms")).toMatchObject({ properties: { Platforms: { type: "array", items: { $ref: "#/components/schemas/P" } } } });
  });

  it("keep an envelope the document already declares (any letter case), through a $ref", () => {
    const envelope = { type: "object", properties: { platforms: { type: "array", items: {} }, extra: { type: "string" } } };
    const doc = docWith({ "/Platforms": { get: listOp({ $ref: "#/components/schemas/E" }) } }, { schemas: { E: envelope } });
    const op = ((doc["paths"] as JsonObject)["/Platforms"] as JsonObject)["get"] as JsonObject;
    expect(correctListResponse(doc, op, shape)).toEqual([]);
    expect(schemaOf(doc, "/Platforms")).toEqual({ $ref: "#/components/schemas/E" });
  });

  it("give an operation that declares no body a JSON one, and never change a shared response component", () => {
    const shared = { description: "shared", content: { "application/json": { schema: { type: "array", items: { type: "string" } } } } };
    const doc = docWith(
      {
        "/A": { get: { responses: { "200": { $ref: "#/components/responses/R" } } } },
        "/B": { get: { responses: { "204": { description: "none" } } } },
        "/C": { get: { responses: { "404": { description: "no" } } } },
      },
      { responses: { R: shared } },
    );
    const ops = doc["paths"] as Record<string, Record<string, JsonObject>>;
    for (const p of ["/A", "/B", "/C"]) correctListResponse(doc, ops[p]?.["get"] as JsonObject, shape);
    expect(schemaOf(doc, "/A")).toMatchObject({ type: "object", properties: { Platforms: { type: "array", items: { type: "string" } } } });
    expect(((doc["components"] as JsonObject)["responses"] as JsonObject)["R"]).toEqual(shared);
    expect(JSON.stringify(ops["/B"]?.["get"])).toContain('"204":{"description":"none","content":{"application/json":{"schema":{"type":"object"');
    expect(schemaOf(doc, "/C")).toMatchObject({ type: "object", properties: { Platforms: { type: "array", items: {} } } });
  });

  it("keep envelope property names from Object.prototype as properties", () => {
    for (const total of ["constructor", "__proto__", "toString"]) {
      const op = { ...listOp({ type: "array", items: {} }), "x-cyberark-paging": { style: "nextLink", items: "value", total } };
      const doc = docWith({ "/Things": { get: op } });
      correctEnvelopes(doc);
      const schema = schemaOf(doc, "/Things") as { properties: JsonObject };
      expect(Object.keys(schema.properties).sort(), total).toEqual([total, "nextLink", "value"].sort());
      expect(Object.getOwnPropertyDescriptor(schema.properties, total)?.value).toEqual({ type: "integer" });
    }
  });

  it("make a bare list out of a declared element", () => {
    const doc = docWith({ "/Groups": { get: listOp({ $ref: "#/components/schemas/G" }) } });
    const op = ((doc["paths"] as JsonObject)["/Groups"] as JsonObject)["get"] as JsonObject;
    expect(correctListResponse(doc, op, { fields: {} })).toEqual(["200"]);
    expect(schemaOf(doc, "/Groups")).toEqual({ type: "array", items: { $ref: "#/components/schemas/G" } });
    expect(correctListResponse(doc, op, { fields: {} })).toEqual([]);
  });
});

describe("the embedded spec and the knowledge", () => {
  it("agree: applied to the embedded spec, the knowledge covers every operation and corrects nothing", async () => {
    for (const d of DOCUMENTS) {
      const parsed = parseSource({ bytes: readFileSync(new URL(`../../${d.defaultFile}`, import.meta.url)), label: d.defaultFile });
      applyRepairs(parsed.doc, parsed.isSwagger2);
      const converted = await convertToOpenApi3(parsed.doc, parsed.isSwagger2);
      const rebased = rebaseDocument(converted.doc, d).doc;
      const { doc, coverage } = applyKnowledge(rebased, await loadKnowledge(d.name));
      expect(coverage.unknown, d.name).toEqual([]);
      expect(coverage.corrections, d.name).toEqual([]);
      expect(correctEnvelopes(doc), d.name).toEqual([]);
      // The spec itself carries no knowledge: one source per fact.
      expect(readFileSync(new URL(`../../${d.defaultFile}`, import.meta.url), "utf8")).not.toMatch(/"x-cyberark-/);
    }
  });
});
