// The API change report: each kind of change detected, breaking ones marked; and end to end with --report.
import { readFileSync, writeFileSync } from "node:fs";
import { join } from "node:path";
import { afterAll, describe, expect, it } from "vitest";
import type { JsonObject } from "../../scripts/lib/json-types.js";
import { compareDocuments, renderMarkdown, renderText, type OperationChange } from "../../scripts/steps/change-report.js";
import { fixture, fixtureSpecs, generate, tempDir } from "./harness.js";

const json = (schema: JsonObject) => ({ content: { "application/json": { schema } } });

function base(): JsonObject {
  return {
    openapi: "3.0.0",
    info: { title: "t", version: "1" },
    paths: {
      "/Accounts": {
        get: {
          operationId: "Accounts_List",
          parameters: [
            { name: "search", in: "query", schema: { type: "string" } },
            { name: "sort", in: "query", schema: { type: "string", enum: ["asc", "desc"] } },
          ],
          responses: { "200": { description: "ok", ...json({ $ref: "#/components/schemas/AccountList" }) } },
        },
        post: {
          operationId: "Accounts_Add",
          requestBody: { required: true, ...json({ $ref: "#/components/schemas/Account" }) },
          responses: { "201": { description: "created", ...json({ $ref: "#/components/schemas/Account" }) } },
        },
      },
      "/Safes": { get: { operationId: "Safes_List", responses: { "200": { description: "ok" } } } },
    },
    components: {
      schemas: {
        Account: {
          type: "object",
          properties: {
            id: { type: "string" },
            name: { type: "string" },
            secretType: { type: "string", enum: ["password", "key"] },
            createdTime: { type: "integer" },
          },
        },
        AccountList: { type: "object", properties: { value: { type: "array", items: { $ref: "#/components/schemas/Account" } }, count: { type: "integer" } } },
      },
    },
  };
}

// eslint-disable-next-line @typescript-eslint/no-explicit-any
type Any = any;
function changed(mutate: (d: Any) => void): OperationChange[] {
  const next = structuredClone(base()) as Any;
  mutate(next);
  return compareDocuments(base(), next);
}

function only(changes: OperationChange[], key: string): OperationChange {
  const found = changes.filter((c) => c.key === key);
  expect(found).toHaveLength(1);
  return found[0]!;
}

describe("compareDocuments", () => {
  it("finds nothing in identical documents", () => {
    expect(compareDocuments(base(), base())).toEqual([]);
  });

  it("operation removed: BREAKING; operation added: not breaking", () => {
    const changes = changed((d) => {
      delete d.paths["/Safes"];
      d.paths["/Users"] = { get: { operationId: "Users_List", responses: { "200": { description: "ok" } } } };
    });
    expect(only(changes, "GET /Safes")).toMatchObject({ kind: "removed", breaking: true, operationId: "Safes_List" });
    expect(only(changes, "GET /Users")).toMatchObject({ kind: "added", breaking: false });
  });

  it("parameter became required, or a new required parameter: BREAKING; new optional parameter: not", () => {
    const c = only(
      changed((d) => {
        d.paths["/Accounts"].get.parameters[0].required = true;
        d.paths["/Accounts"].get.parameters.push({ name: "safeName", in: "query", required: true, schema: { type: "string" } });
        d.paths["/Accounts"].get.parameters.push({ name: "offset", in: "query", schema: { type: "integer" } });
      }),
      "GET /Accounts",
    );
    expect(c.breaking).toBe(true);
    expect(c.details).toEqual([
      { text: "parameter query offset: new optional parameter", breaking: false },
      { text: "parameter query safeName: new required parameter", breaking: true },
      { text: "parameter query search: became required", breaking: true },
    ]);
  });

  it("response property removed or its type changed: BREAKING (also through $ref and arrays)", () => {
    const c = only(
      changed((d) => {
        delete d.components.schemas.Account.properties.name;
        d.components.schemas.Account.properties.createdTime = { type: "string" };
      }),
      "GET /Accounts",
    );
    expect(c.details).toContainEqual({ text: "response 200 value[].name: property removed", breaking: true });
    expect(c.details).toContainEqual({ text: "response 200 value[].createdTime: type integer -> string", breaking: true });
  });

  it("a request property removed or retyped is BREAKING for TypeScript writers (excess property, literal type)", () => {
    const changes = changed((d) => {
      d.paths["/Accounts"].post.requestBody = { required: true, ...json({ type: "object", properties: { id: { type: "integer" } } }) };
      d.paths["/Accounts"].post.responses["201"] = { description: "created", ...json({ $ref: "#/components/schemas/Account" }) };
    });
    const c = only(changes, "POST /Accounts");
    expect(c.details).toContainEqual({ text: "request id: type string -> integer", breaking: true });
    expect(c.details).toContainEqual({ text: "request name: property removed", breaking: true });
    expect(c.breaking).toBe(true);
  });

  it("enum value removed: BREAKING in requests and in responses; added: not", () => {
    const changes = changed((d) => {
      d.paths["/Accounts"].get.parameters[1].schema.enum = ["asc", "ascending"];
      d.components.schemas.Account.properties.secretType.enum = ["password"];
    });
    const list = only(changes, "GET /Accounts");
    expect(list.details).toContainEqual({ text: 'parameter query sort value: enum value(s) removed: "desc"', breaking: true });
    expect(list.details).toContainEqual({ text: 'parameter query sort value: enum value(s) added: "ascending"', breaking: false });
    expect(list.details).toContainEqual({ text: 'response 200 value[].secretType: enum value(s) removed: "key"', breaking: true });
    const add = only(changes, "POST /Accounts");
    expect(add.details).toContainEqual({ text: 'request secretType: enum value(s) removed: "key"', breaking: true });
    expect(add.details).toContainEqual({ text: 'response 201 secretType: enum value(s) removed: "key"', breaking: true });
  });

  it("a request property that becomes required is BREAKING; vendor metadata changes are reported", () => {
    const c = only(
      changed((d) => {
        d.components.schemas.Account.required = ["name"];
        d.paths["/Accounts"].post["x-cyberark-min-version"] = "14.0";
      }),
      "POST /Accounts",
    );
    expect(c.details).toContainEqual({ text: "request name: became required", breaking: true });
    expect(c.details).toContainEqual({ text: "response 201 name: became required", breaking: false });
    expect(c.details).toContainEqual({ text: 'x-cyberark-min-version: (none) -> "14.0"', breaking: false });
  });

  it("copes with recursive schemas", () => {
    const tree = (d: Any) => {
      d.components.schemas.Node = { type: "object", properties: { child: { $ref: "#/components/schemas/Node" }, v: { type: "string" } } };
      d.paths["/Safes"].get.responses["200"] = { description: "ok", ...json({ $ref: "#/components/schemas/Node" }) };
    };
    const before = structuredClone(base()) as Any;
    tree(before);
    const after = structuredClone(before) as Any;
    after.components.schemas.Node.properties.v = { type: "integer" };
    const c = only(compareDocuments(before, after), "GET /Safes");
    expect(c.details).toContainEqual({ text: "response 200 v: type string -> integer", breaking: true });
  });

  it("renders text and Markdown naming each change and marking BREAKING", () => {
    const changes = changed((d) => {
      delete d.paths["/Safes"];
      d.paths["/Accounts"].get.parameters[0].required = true;
    });
    const text = renderText([{ name: "gen2", changes }]);
    expect(text).toContain("API changes in gen2: 0 added, 1 removed, 0 respelled, 1 changed; 2 BREAKING");
    expect(text).toContain("  - BREAKING GET /Safes (Safes_List) removed");
    expect(text).toContain("      BREAKING parameter query search: became required");
    const md = renderMarkdown([{ name: "gen2", changes }, { name: "gen1", noPrevious: "no previous gen1.openapi.json", changes: [] }], "generated");
    expect(md).toContain("## gen2");
    expect(md).toContain("### Removed\n\n- **BREAKING** `GET /Safes` (`Safes_List`)");
    expect(md).toContain("  - **BREAKING** parameter query search: became required");
    expect(md).toContain("Not compared: no previous gen1.openapi.json.");
  });
});

describe("end to end", () => {
  const tmp = tempDir();
  afterAll(() => tmp.cleanup());

  it("prints and writes the report when --out holds a previous generation", async () => {
    const out = join(tmp.path, "generated");
    expect((await generate([...fixtureSpecs(), "--out", out, "--quiet"])).code).toBe(0);

    // A modified copy of the spec: one operation removed, one added, a required parameter, a response
    // property removed, an enum value removed.
    const doc = JSON.parse(readFileSync(fixture("gen2.swagger.json"), "utf8")) as Any;
    delete doc.paths["/API/Accounts/{id}/Change"];
    doc.paths["/API/Users"] = { get: { operationId: "Users_GetUsers", responses: { "200": { description: "ok" } } } };
    doc.paths["/API/Accounts"].get.parameters[0].required = true;
    delete doc.definitions.Account.properties.createdTime;
    doc.definitions.Account.properties.secretType.enum = ["password"];
    const modified = join(tmp.path, "modified.swagger.json");
    writeFileSync(modified, JSON.stringify(doc, null, 2));

    const report = join(tmp.path, "reports", "changes.md");
    const run = await generate([...fixtureSpecs(modified), "--out", out, "--report", report]);
    expect(run.stderr).toBe("");
    expect(run.code).toBe(0);
    expect(run.stdout).toContain("API changes in gen2: 1 added, 1 removed,");
    expect(run.stdout).toContain("- BREAKING POST /Accounts/{id}/Change (Accounts_ChangeCredentials) removed");
    expect(run.stdout).toContain("+ GET /Users (Users_GetUsers)");
    expect(run.stdout).toContain("BREAKING parameter query search: became required");
    expect(run.stdout).toContain("BREAKING response 200 value[].createdTime: property removed");
    expect(run.stdout).toContain('BREAKING response 200 value[].secretType: enum value(s) removed: "key"');
    expect(run.stdout).toContain("API changes in gen1: none");
    const md = readFileSync(report, "utf8");
    expect(md.startsWith("# API change report\n")).toBe(true);
    expect(md).toContain("- **BREAKING** `POST /Accounts/{id}/Change` (`Accounts_ChangeCredentials`)");
    expect(md).toContain("**BREAKING** response 200 value[].createdTime: property removed");
  });

  it("regenerating over a generation that still has the idempotent column reports no change and drops the column", async () => {
    const out = join(tmp.path, "with-idempotent");
    expect((await generate([...fixtureSpecs(), "--out", out, "--quiet"])).code).toBe(0);
    // What generations before issue 13 wrote: an idempotent column in every table row and in OperationMeta.
    for (const name of ["gen2", "gen1", "pcloud"]) {
      const file = join(out, `${name}.operations.ts`);
      writeFileSync(file, readFileSync(file, "utf8").replace(/^( {4}secretChange: \w+,\n)/gm, "$1    idempotent: true,\n"));
      expect(readFileSync(file, "utf8")).toContain("    idempotent: true,\n");
    }
    const index = join(out, "index.ts");
    writeFileSync(index, readFileSync(index, "utf8").replace("  readonly secretChange: boolean;\n", "$&  readonly idempotent: boolean;\n"));
    expect(readFileSync(index, "utf8")).toContain("readonly idempotent: boolean;");

    const run = await generate([...fixtureSpecs(), "--out", out]);
    expect(run.stderr).toBe("");
    expect(run.code).toBe(0);
    for (const name of ["gen2", "gen1", "pcloud"]) expect(run.stdout).toContain(`API changes in ${name}: none`);
    expect(run.stdout).not.toContain("BREAKING");
    for (const file of ["gen2.operations.ts", "gen1.operations.ts", "pcloud.operations.ts", "index.ts"]) {
      expect(readFileSync(join(out, file), "utf8")).not.toContain("idempotent");
    }
  });
});
