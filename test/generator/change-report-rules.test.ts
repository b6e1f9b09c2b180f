// Which changes the report marks BREAKING: what no longer compiles against the generated TypeScript (strict
// null checks) or fails at run time. A response may only narrow, a request may only widen.
import { describe, expect, it } from "vitest";
import type { JsonObject } from "../../scripts/lib/json-types.js";
import { compareDocuments, type OperationChange } from "../../scripts/steps/change-report.js";

// eslint-disable-next-line @typescript-eslint/no-explicit-any
type Any = any;

const json = (schema: unknown) => ({ content: { "application/json": { schema } } });

/** POST /Items/{id}: a query parameter, a request body and a 200 response, each with the schema given. */
function base(request: JsonObject = { type: "object", properties: {} }, response: JsonObject = { type: "object", properties: {} }): Any {
  return {
    openapi: "3.0.0",
    info: { title: "t", version: "1" },
    paths: {
      "/Items/{id}": {
        post: {
          operationId: "Items_Post",
          parameters: [
            { name: "id", in: "path", required: true, schema: { type: "string" } },
            { name: "mode", in: "query", schema: { type: "string" } },
          ],
          requestBody: { required: true, ...json(request) },
          responses: { "200": { description: "ok", ...json(response) }, "400": { description: "bad" } },
        },
      },
    },
  };
}

/** The details of the one changed operation, "BREAKING " in front of the breaking ones. */
function details(before: Any, mutate: (d: Any) => void): string[] {
  const after = structuredClone(before);
  mutate(after);
  const changes: OperationChange[] = compareDocuments(before, after);
  expect(changes).toHaveLength(1);
  return changes[0]!.details.map((d) => `${d.breaking ? "BREAKING " : ""}${d.text}`);
}

const op = (d: Any) => d.paths["/Items/{id}"].post;
const requestSchema = (d: Any) => op(d).requestBody.content["application/json"].schema;
const responseSchema = (d: Any) => op(d).responses["200"].content["application/json"].schema;
/** The property p of the request or the response. */
const req = (d: Any) => requestSchema(d).properties.p;
const res = (d: Any) => responseSchema(d).properties.p;
const prop = (schema: JsonObject) => ({ type: "object", properties: { p: schema } });

describe("operation-level rules", () => {
  it("a renamed path parameter is BREAKING (params.path), an operationId change is not", () => {
    const renamed = details(base(), (d) => {
      const item = d.paths["/Items/{id}"];
      delete d.paths["/Items/{id}"];
      d.paths["/Items/{itemId}"] = item;
      item.post.parameters[0].name = "itemId";
      item.post.operationId = "Items_Add";
    });
    expect(renamed).toEqual([
      expect.stringMatching(/^BREAKING route spelled differently: `POST \/Items\/\{id\}` -> `POST \/Items\/\{itemId\}` \(breaking for TypeScript/),
      'operationId "Items_Post" -> "Items_Add"',
      "BREAKING parameter path id: renamed to itemId (breaking for TypeScript: callers set params.path.itemId)",
    ]);
  });

  it("a parameter removed is BREAKING (callers that pass it no longer compile)", () => {
    expect(details(base(), (d) => op(d).parameters.pop())).toEqual(["BREAKING parameter query mode: removed"]);
  });

  it("a request body removed is BREAKING (body becomes never)", () => {
    expect(details(base(), (d) => delete op(d).requestBody)).toEqual(["BREAKING request body: removed"]);
  });

  it("a response code removed is not breaking; an error code added is not", () => {
    expect(details(base(), (d) => delete op(d).responses["400"])).toEqual(["response 400: removed"]);
    expect(details(base(), (d) => (op(d).responses["404"] = { description: "gone" }))).toEqual(["response 404: added"]);
  });

  it("a success code added with a body not seen before is BREAKING (data changes shape); with the same body it is not", () => {
    const other = (code: string) => `BREAKING response ${code}: added (a success body not seen before: \`data\` may have another shape)`;
    const add = (code: string, response: JsonObject) => details(base(), (d) => (op(d).responses[code] = response));
    expect(add("201", { description: "created", ...json({ type: "string" }) })).toEqual([other("201")]);
    expect(add("204", { description: "none" })).toEqual([other("204")]);
    expect(add("201", base().paths["/Items/{id}"].post.responses["200"])).toEqual(["response 201: added"]);
  });

  it("x-cyberark-secret-change dropped is BREAKING (retries resume), set is not", () => {
    const secret = base();
    op(secret)["x-cyberark-secret-change"] = true;
    expect(details(secret, (d) => (op(d)["x-cyberark-secret-change"] = false))).toEqual(["BREAKING x-cyberark-secret-change: true -> false"]);
    expect(details(base(), (d) => (op(d)["x-cyberark-secret-change"] = true))).toEqual(["x-cyberark-secret-change: false -> true"]);
  });

  it("x-cyberark-paging dropped is BREAKING (paginate refuses the path), changed or added is not; versions are documentation", () => {
    const paged = base();
    op(paged)["x-cyberark-paging"] = { style: "offset", items: "value" };
    expect(details(paged, (d) => delete op(d)["x-cyberark-paging"])).toEqual([
      'BREAKING x-cyberark-paging: {"style":"offset","items":"value"} -> (none)',
    ]);
    expect(details(paged, (d) => (op(d)["x-cyberark-paging"].items = "Items"))).toEqual([
      'x-cyberark-paging: {"style":"offset","items":"value"} -> {"style":"offset","items":"Items"}',
    ]);
    expect(details(base(), (d) => (op(d)["x-cyberark-min-version"] = "14.0"))).toEqual(['x-cyberark-min-version: (none) -> "14.0"']);
  });
});

describe("schema rules", () => {
  it("type: a request may widen (integer -> number, to any), a narrower one is BREAKING", () => {
    expect(details(base(prop({ type: "integer" })), (d) => (req(d).type = "number"))).toEqual(["request p: type integer -> number"]);
    expect(details(base(prop({ type: "string" })), (d) => delete req(d).type)).toEqual(["request p: type string -> any"]);
    expect(details(base(prop({ type: "number" })), (d) => (req(d).type = "integer"))).toEqual(["BREAKING request p: type number -> integer"]);
  });

  it("type: a response may narrow (number -> integer, any -> string), a wider or other one is BREAKING", () => {
    const retyped = (from: JsonObject, to: unknown) => details(base(undefined, prop(from)), (d) => (res(d).type = to));
    expect(retyped({ type: "number" }, "integer")).toEqual(["response 200 p: type number -> integer"]);
    expect(retyped({}, "string")).toEqual(["response 200 p: type any -> string"]);
    expect(retyped({ type: "integer" }, "number")).toEqual(["BREAKING response 200 p: type integer -> number"]);
    expect(retyped({ type: "string" }, ["string", "integer"])).toEqual(["BREAKING response 200 p: type string -> integer|string"]);
  });

  it("nullable: BREAKING when a response may now be null or a request may no longer be", () => {
    expect(details(base(undefined, prop({ type: "string" })), (d) => (res(d).nullable = true))).toEqual([
      "BREAKING response 200 p: became nullable",
    ]);
    expect(details(base(undefined, prop({ type: "string", nullable: true })), (d) => delete res(d).nullable)).toEqual([
      "response 200 p: no longer nullable",
    ]);
    expect(details(base(prop({ type: ["string", "null"] })), (d) => (req(d).type = "string"))).toEqual(["BREAKING request p: no longer nullable"]);
    expect(details(base(prop({ type: "string" })), (d) => (req(d).nullable = true))).toEqual(["request p: became nullable"]);
  });

  it("enum value added: BREAKING in a response (closed union), not in a request", () => {
    const e = prop({ type: "string", enum: ["a"] });
    expect(details(base(undefined, e), (d) => res(d).enum.push("b"))).toEqual(['BREAKING response 200 p: enum value(s) added: "b"']);
    expect(details(base(e), (d) => req(d).enum.push("b"))).toEqual(['request p: enum value(s) added: "b"']);
  });

  it("enum dropped: BREAKING in a response (widens to string); enum introduced: BREAKING in a request (values refused)", () => {
    const e = prop({ type: "string", enum: ["a"] });
    expect(details(base(undefined, e), (d) => delete res(d).enum)).toEqual(['BREAKING response 200 p: no longer limited to "a"']);
    expect(details(base(e), (d) => delete req(d).enum)).toEqual(['request p: no longer limited to "a"']);
    expect(details(base(prop({ type: "string" })), (d) => (req(d).enum = ["a"]))).toEqual(['BREAKING request p: now limited to "a"']);
    expect(details(base(undefined, prop({ type: "string" })), (d) => (res(d).enum = ["a"]))).toEqual(['response 200 p: now limited to "a"']);
  });

  it("request property removed: BREAKING (excess property check) unless the type stays open to other keys", () => {
    expect(details(base(prop({ type: "string" })), (d) => delete requestSchema(d).properties.p)).toEqual([
      "BREAKING request p: property removed",
    ]);
    const open = { ...prop({ type: "string" }), additionalProperties: true };
    expect(details(base(open), (d) => delete requestSchema(d).properties.p)).toEqual(["request p: property removed"]);
  });

  it("request property new and required: BREAKING; new and optional: not", () => {
    const added = (required: string[]) =>
      details(base(), (d) => Object.assign(requestSchema(d), { properties: { q: { type: "string" } }, required }));
    expect(added(["q"])).toEqual(["BREAKING request q: new required property"]);
    expect(added([])).toEqual(["request q: new optional property"]);
  });

  it("response property newly optional: BREAKING (T | undefined under strict null checks); newly required: not", () => {
    expect(details(base(undefined, { ...prop({ type: "string" }), required: ["p"] }), (d) => delete responseSchema(d).required)).toEqual([
      "BREAKING response 200 p: became optional",
    ]);
    expect(details(base(undefined, prop({ type: "string" })), (d) => (responseSchema(d).required = ["p"]))).toEqual([
      "response 200 p: became required",
    ]);
  });
});

describe("facts at their defaults", () => {
  it("an absent deployment or credential-change flag is the same as its default, not a change", () => {
    const before = base();
    const after = base();
    before.paths["/Items/{id}"].post["x-cyberark-deployment"] = "both";
    before.paths["/Items/{id}"].post["x-cyberark-secret-change"] = false;
    expect(compareDocuments(before, after)).toEqual([]);
    after.paths["/Items/{id}"].post["x-cyberark-deployment"] = "self-hosted";
    expect(compareDocuments(before, after).flatMap((c) => c.details.map((d) => d.text))).toEqual(['x-cyberark-deployment: "both" -> "self-hosted"']);
  });
});
