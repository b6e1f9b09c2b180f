// --overlay: the user's own knowledge in the OpenAPI Overlay 1.0 format, applied after the project's.
import { writeFileSync } from "node:fs";
import { join } from "node:path";
import { pathToFileURL } from "node:url";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { applyOverlay, readOverlay } from "../../scripts/overlay/apply-overlay.js";
import { unescapeName } from "../../scripts/overlay/normalized-path.js";
import type { JsonObject } from "../../scripts/lib/json-types.js";
import { startCanaryTargets } from "./canary-targets.js";
import { fixture, generate, readJson, snapshotTree, tempDir, type TempDir } from "./harness.js";

const overlayOf = (actions: unknown[]) => readOverlay({ overlay: "1.0.0", info: { title: "t", version: "1" }, actions }, "test.yaml");
const doc = (): JsonObject => ({
  openapi: "3.0.3",
  paths: {
    "/InHouse/{id}/Rotate": { post: { operationId: "rotate", tags: ["a", "b"] } },
    "/InHouse/Things": { get: { operationId: "things", deprecated: false } },
    "/It's \"odd\"": { get: { operationId: "odd" } },
  },
});
const paths = (d: JsonObject) => d["paths"] as Record<string, Record<string, JsonObject>>;

describe("applyOverlay", () => {
  it("merges an update into every node the target selects, recursively, and leaves the input alone", () => {
    const input = doc();
    const { doc: out, notes } = applyOverlay(input, overlayOf([{ target: "$.paths[*][?@.operationId]", update: { "x-cyberark-secret-change": true, tags: ["c"] } }]));
    expect(paths(out)["/InHouse/{id}/Rotate"]?.["post"]).toEqual({ operationId: "rotate", tags: ["a", "b", "c"], "x-cyberark-secret-change": true });
    // An array selected itself gets the update as one more entry.
    const appended = applyOverlay(input, overlayOf([{ target: "$.paths['/InHouse/{id}/Rotate'].post.tags", update: { name: "x" } }])).doc;
    expect(paths(appended)["/InHouse/{id}/Rotate"]?.["post"]?.["tags"]).toEqual(["a", "b", { name: "x" }]);
    expect(paths(out)["/InHouse/Things"]?.["get"]?.["x-cyberark-secret-change"]).toBe(true);
    expect(notes).toEqual(["actions[0] $.paths[*][?@.operationId]: updated 3 node(s)"]);
    expect(JSON.stringify(input)).not.toContain("x-cyberark");
  });

  it("removes nodes, array elements included, whatever characters their names hold", () => {
    const { doc: out } = applyOverlay(doc(), overlayOf([
      { target: "$.paths['/It\\'s \"odd\"']", remove: true },
      { target: "$.paths['/InHouse/{id}/Rotate'].post.tags[0]", remove: true },
      { target: "$.paths['/InHouse/Things'].get.deprecated", remove: true },
    ]));
    expect(Object.keys(paths(out))).toEqual(["/InHouse/{id}/Rotate", "/InHouse/Things"]);
    expect(paths(out)["/InHouse/{id}/Rotate"]?.["post"]?.["tags"]).toEqual(["b"]);
    expect(paths(out)["/InHouse/Things"]?.["get"]).toEqual({ operationId: "things" });
  });

  it("removes several elements of one array without shifting onto the wrong ones", () => {
    const input: JsonObject = { list: ["a", "b", "c", "d", "e"] };
    const { doc: out } = applyOverlay(input, overlayOf([{ target: "$.list[?@ == 'b' || @ == 'd']", remove: true }]));
    expect(out["list"]).toEqual(["a", "c", "e"]);
  });

  it("keeps a key named __proto__ in an update as data", () => {
    const update = JSON.parse('{"__proto__": {"polluted": true}, "x-ok": 1}');
    const { doc: out } = applyOverlay(doc(), overlayOf([{ target: "$.paths['/InHouse/Things'].get", update }]));
    const op = paths(out)["/InHouse/Things"]?.["get"] as JsonObject;
    expect(Object.getPrototypeOf(op)).toBe(Object.prototype);
    expect(Object.getOwnPropertyDescriptor(op, "__proto__")?.value).toEqual({ polluted: true });
    expect(({} as Record<string, unknown>)["polluted"]).toBeUndefined();
  });

  it("refuses an action that matches nothing, a target that is not JSONPath, and a document that is not an Overlay 1.0", () => {
    expect(() => applyOverlay(doc(), overlayOf([{ target: "$.paths['/NoSuch'].get", update: {} }]))).toThrow(/test.yaml: actions\[0\] \$\.paths\['\/NoSuch'\]\.get matched nothing/);
    expect(() => applyOverlay(doc(), overlayOf([{ target: "$.paths[", update: {} }]))).toThrow(/not valid JSONPath \(RFC 9535\)/);
    expect(() => applyOverlay(doc(), overlayOf([{ target: "$", remove: true }]))).toThrow(/cannot remove the whole document/);
    expect(() => applyOverlay(doc(), overlayOf([{ target: "$.paths['/InHouse/Things'].get", update: true }]))).toThrow(/the target is an object, so the update must be an object too/);
    expect(() => readOverlay({ overlay: "2.0.0", info: { title: "t", version: "1" }, actions: [] }, "o")).toThrow(/1\.0\.x version/);
    expect(() => readOverlay({ overlay: "1.0.0", actions: [{ target: "$" }] }, "o")).toThrow(/"info" must have/);
    expect(() => overlayOf([])).toThrow(/non-empty list/);
    expect(() => overlayOf([{ target: "paths" , update: {} }])).toThrow(/starting with "\$"/);
    expect(() => overlayOf([{ target: "$.a" }])).toThrow(/neither "update" nor "remove": true/);
  });

  it("reads names of normalized paths back as they were", () => {
    expect(unescapeName("It\\'s \\\\ a \\u000a\\t")).toBe("It's \\ a \n\t");
  });
});

describe("generate --overlay", () => {
  let tmp: TempDir;
  let out: string;
  let run: Awaited<ReturnType<typeof generate>>;
  const inHouse = {
    swagger: "2.0",
    info: { title: "In-house", version: "1" },
    produces: ["application/json"],
    basePath: "/PasswordVault",
    paths: {
      "/API/InHouse/{id}/Rotate": { put: { operationId: "InHouse_Rotate", parameters: [{ name: "id", in: "path", required: true, type: "string" }], responses: { "200": { description: "ok" } } } },
      "/API/InHouse/Things": { get: { operationId: "InHouse_Things", responses: { "200": { description: "ok", schema: { type: "array", items: { $ref: "#/definitions/Thing" } } } } } },
    },
    definitions: { Thing: { type: "object", properties: { name: { type: "string" } } } },
  };

  beforeAll(async () => {
    tmp = tempDir();
    out = join(tmp.path, "out");
    writeFileSync(join(tmp.path, "in-house.json"), JSON.stringify(inHouse));
    writeFileSync(
      join(tmp.path, "ours.yaml"),
      [
        "overlay: 1.0.0",
        "info: { title: In-house knowledge, version: '1' }",
        "actions:",
        "  - target: $.paths['/InHouse/{id}/Rotate'].put",
        "    description: rotates a credential",
        "    update: { x-cyberark-secret-change: true }",
        "  - target: $.paths['/InHouse/Things'].get",
        "    update:",
        "      x-cyberark-paging: { style: unpaged, items: Things, total: Total }",
      ].join("\n"),
    );
    run = await generate(
      ["--spec", `gen2=${join(tmp.path, "in-house.json")}`, "--spec", `gen1=${fixture("gen1.swagger.json")}`, "--spec", `pcloud=${fixture("pcloud.swagger.json")}`, "--overlay", `gen2=${join(tmp.path, "ours.yaml")}`, "--out", out],
    );
  }, 120_000);
  afterAll(() => tmp.cleanup());

  it("marks an in-house operation credential-changing and fixes its envelope, with the knowledge run before it", async () => {
    expect(run.stderr).toBe("");
    expect(run.code).toBe(0);
    const table = (await import(pathToFileURL(join(out, "gen2.operations.ts")).href)).gen2Operations;
    expect(table["PUT /InHouse/{id}/Rotate"]).toMatchObject({ secretChange: true });
    expect(table["GET /InHouse/Things"]).toMatchObject({ paging: { style: "unpaged", items: "Things", total: "Total" } });
    const schema = (readJson(join(out, "gen2.openapi.json")) as { paths: Record<string, { get: { responses: Record<string, { content: Record<string, { schema: unknown }> }> } }> }).paths["/InHouse/Things"]?.get.responses["200"]?.content["application/json"]?.schema;
    expect(schema).toEqual({ type: "object", properties: { Things: { type: "array", items: { $ref: "#/components/schemas/Thing" } }, Total: { type: "integer" } } });
    expect(run.stdout).toMatch(/2 operation\(s\) with no knowledge: .*GET \/InHouse\/Things, PUT \/InHouse\/\{id\}\/Rotate/);
    expect(run.stdout).toContain("actions[0] $.paths['/InHouse/{id}/Rotate'].put (rotates a credential): updated 1 node(s)");
  });

  it("fails before writing anything when an overlay action matches nothing", async () => {
    writeFileSync(join(tmp.path, "typo.yaml"), "overlay: 1.0.0\ninfo: {title: t, version: '1'}\nactions:\n  - target: $.paths['/InHouse/{id}/Rotat'].put\n    update: {x-cyberark-secret-change: true}\n");
    const before = snapshotTree(out);
    const failed = await generate(
      ["--spec", `gen2=${join(tmp.path, "in-house.json")}`, "--spec", `gen1=${fixture("gen1.swagger.json")}`, "--spec", `pcloud=${fixture("pcloud.swagger.json")}`, "--overlay", join(tmp.path, "typo.yaml"), "--out", out],
    );
    expect(failed.code).toBe(1);
    expect(failed.stderr).toMatch(/generate failed at step overlay: .*typo\.yaml.*: actions\[0\] .* matched nothing/);
    expect(snapshotTree(out)).toEqual(before);
  }, 120_000);

  it("never follows a $ref an overlay brings in: refused in a schema, dropped from an example; the canary stays out", async () => {
    const targets = await startCanaryTargets(tmp.path, "CANARY-overlay-7f3a");
    try {
      for (const target of [targets.file, targets.fifo, targets.url]) {
        targets.reset();
        const into = join(tmp.path, "ref-out");
        const run = async (update: unknown) => {
          writeFileSync(join(tmp.path, "ref.json"), JSON.stringify({ overlay: "1.0.0", info: { title: "t", version: "1" }, actions: [{ target: "$.paths['/InHouse/Things'].get", update }] }));
          return generate(["--spec", `gen2=${join(tmp.path, "in-house.json")}`, "--spec", `gen1=${fixture("gen1.swagger.json")}`, "--spec", `pcloud=${fixture("pcloud.swagger.json")}`, "--overlay", join(tmp.path, "ref.json"), "--out", into]);
        };
        const refused = await run({ responses: { "200": { description: "ok", content: { "application/json": { schema: { $ref: target } } } } } });
        expect(refused.code).toBe(1);
        expect(refused.stderr).toMatch(/step local-refs: .*after --overlay.*\$ref: points outside the document/s);
        const dropped = await run({ responses: { "200": { description: "ok", content: { "application/json": { example: { $ref: target } } } } } });
        expect(dropped.code).toBe(0);
        expect(dropped.stderr).toMatch(/warning: gen2: .*\$ref: dropped/);
        const written = [...snapshotTree(into).values()].map((b) => b.toString("utf8")).join("\n");
        for (const text of [refused.stdout, refused.stderr, dropped.stdout, dropped.stderr, written]) expect(text).not.toContain(targets.canary);
        expect([targets.fifoOpened, targets.serverContacted]).toEqual([false, false]);
      }
    } finally {
      await targets.close();
    }
  }, 120_000);

  it("reports a document the overlay broke at the overlay's own validation, by pointer", async () => {
    writeFileSync(join(tmp.path, "dangling.yaml"), "overlay: 1.0.0\ninfo: {title: t, version: '1'}\nactions:\n  - target: $.paths['/InHouse/Things'].get.responses['200'].content['application/json']\n    update: {schema: {$ref: '#/components/schemas/Nope'}}\n");
    const failed = await generate(["--spec", `gen2=${join(tmp.path, "in-house.json")}`, "--spec", `gen1=${fixture("gen1.swagger.json")}`, "--spec", `pcloud=${fixture("pcloud.swagger.json")}`, "--overlay", join(tmp.path, "dangling.yaml"), "--out", join(tmp.path, "never-written")]);
    expect(failed.code).toBe(1);
    expect(failed.stderr).toMatch(/generate failed at step validate: .*after --overlay is not a valid OpenAPI 3 document.*#\/paths\/~1InHouse~1Things\/get\/responses\/200\/content\/application~1json\/schema: \$ref "#\/components\/schemas\/Nope" points to nothing/s);
  }, 60_000);

  it("refuses an overlay given as a URL or without a file", async () => {
    for (const bad of ["https://example.invalid/o.yaml", "gen2="]) {
      const r = await generate(["--overlay", bad, "--out", join(tmp.path, "never")]);
      expect(r.code).toBe(2);
      expect(r.stderr).toMatch(/--overlay/);
    }
  });
});
