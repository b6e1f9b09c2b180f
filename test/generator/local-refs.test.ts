// Step "local-refs": no document can make the generator read a file, a FIFO or a URL. Every placement of a
// reference that points out of the document, against each kind of target holding a canary: refused (naming
// its JSON pointer) where it stands for part of the API, dropped with a warning where it is only data. The
// canary never reaches what is printed or written, the server is never contacted, the FIFO never opened,
// and every run ends quickly.
import { execFile } from "node:child_process";
import { existsSync, writeFileSync } from "node:fs";
import { join } from "node:path";
import { promisify } from "node:util";
import { afterAll, afterEach, beforeAll, describe, expect, it } from "vitest";
import { repoRoot } from "../../scripts/lib/repo-paths.js";
import { startCanaryTargets, type CanaryTargets } from "./canary-targets.js";
import { fixture, fixtureSpecs, generate, readJson, snapshotTree, tempDir, type RunResult, type TempDir } from "./harness.js";

const CANARY = "canary-local-refs-5d0f7a21";
const TOKEN_CANARY = "canary-token-in-environ-93be1c4d";

// eslint-disable-next-line @typescript-eslint/no-explicit-any -- fixtures edited in place by path
type Doc = Record<string, any>;
type Target = "file" | "fifo" | "url";
const TARGETS: Target[] = ["file", "fifo", "url"];

let tmp: TempDir;
let targets: CanaryTargets;
let runs = 0;

beforeAll(async () => {
  tmp = tempDir("local-refs-");
  targets = await startCanaryTargets(tmp.path, CANARY);
  // Loaded before the clock starts: the first run would otherwise pay for importing the libraries.
  await import("../../scripts/pipeline.js");
});
afterAll(async () => {
  await targets.close();
  tmp.cleanup();
});
afterEach(() => {
  // Checked after every test, so a failure names the placement that reached out.
  const contacted = targets.serverContacted;
  const opened = targets.fifoOpened;
  targets.reset();
  expect(contacted, "the canary server was contacted").toBe(false);
  expect(opened, "the FIFO was opened").toBe(false);
});

const swagger = (): Doc => readJson(fixture("gen2.swagger.json"));
const openapi3 = (): Doc => readJson(fixture("gen2.openapi3.json"));

function refTo(target: Target): string {
  return target === "file" ? targets.file : target === "fifo" ? targets.fifo : targets.url;
}

/** Starts with "#", yet Redocly reads everything before the second "#" as a path relative to the working folder. */
function hashTrick(target: Target): string {
  return `#x/${"../".repeat(40)}${refTo(target).slice(1)}#/`;
}

interface Placement {
  name: string;
  base: () => Doc;
  pointer: string;
  place(doc: Doc, ref: string): void;
}

const REFUSED: Placement[] = [
  {
    name: "a schema",
    base: swagger,
    pointer: "#/definitions/Account/properties/secret/$ref",
    place: (d, ref) => void (d["definitions"].Account.properties.secret = { $ref: ref }),
  },
  {
    name: "a property called example (a name, not an example)",
    base: swagger,
    pointer: "#/definitions/Account/properties/example/$ref",
    place: (d, ref) => void (d["definitions"].Account.properties.example = { $ref: ref }),
  },
  {
    name: "a parameter",
    base: swagger,
    pointer: "#/paths/~1API~1Accounts/get/parameters/3/$ref",
    place: (d, ref) => void d["paths"]["/API/Accounts"].get.parameters.push({ $ref: ref }),
  },
  {
    name: "a response",
    base: swagger,
    pointer: "#/paths/~1API~1Accounts/get/responses/200/$ref",
    place: (d, ref) => void (d["paths"]["/API/Accounts"].get.responses["200"] = { $ref: ref }),
  },
  {
    name: "the default response (a name, not a default value)",
    base: swagger,
    pointer: "#/paths/~1API~1Accounts/get/responses/default/$ref",
    place: (d, ref) => void (d["paths"]["/API/Accounts"].get.responses["default"] = { $ref: ref }),
  },
  {
    name: "a path item",
    base: swagger,
    pointer: "#/paths/~1API~1Elsewhere/$ref",
    place: (d, ref) => void (d["paths"]["/API/Elsewhere"] = { $ref: ref }),
  },
  {
    name: "a schema nested deep",
    base: swagger,
    pointer: "#/definitions/Deep/properties/a/items/allOf/0/properties/b/additionalProperties/$ref",
    place: (d, ref) =>
      void (d["definitions"].Deep = {
        type: "object",
        properties: { a: { type: "array", items: { allOf: [{ properties: { b: { additionalProperties: { $ref: ref } } } }] } } },
      }),
  },
  {
    name: "an OpenAPI 3 request body schema",
    base: openapi3,
    pointer: "#/paths/~1API~1Users/post/requestBody/content/application~1json/schema/$ref",
    place: (d, ref) =>
      void (d["paths"]["/API/Users"].post = {
        operationId: "Users_AddUser",
        requestBody: { content: { "application/json": { schema: { $ref: ref } } } },
        responses: { "201": { description: "Created" } },
      }),
  },
  {
    name: "an OpenAPI 3 discriminator mapping",
    base: openapi3,
    pointer: "#/components/schemas/Pet/discriminator/mapping/cat",
    place: (d, ref) =>
      void (d["components"].schemas.Pet = {
        type: "object",
        properties: { kind: { type: "string" } },
        discriminator: { propertyName: "kind", mapping: { cat: ref } },
      }),
  },
];

interface DataPlacement {
  pointer: string;
  place(doc: Doc, target: Target): void;
}

/** All in one document per target: each is dropped, and the generation goes on. */
const DATA: { name: string; base: () => Doc; placements: DataPlacement[] }[] = [
  {
    name: "Swagger 2.0: example, response examples, x- extension (nested deep), default, enum, a $ref with a second #",
    base: swagger,
    placements: [
      {
        pointer: "#/definitions/Account/example/$ref",
        place: (d, t) => void (d["definitions"].Account.example = { $ref: refTo(t) }),
      },
      {
        pointer: "#/paths/~1API~1Accounts/get/responses/200/examples/application~1json/$ref",
        place: (d, t) => void (d["paths"]["/API/Accounts"].get.responses["200"].examples = { "application/json": { $ref: refTo(t) } }),
      },
      {
        pointer: "#/paths/~1API~1Accounts/get/x-data/nested/0/deeper/$ref",
        place: (d, t) => void (d["paths"]["/API/Accounts"].get["x-data"] = { nested: [{ deeper: { $ref: refTo(t) } }] }),
      },
      {
        pointer: "#/definitions/Account/properties/meta/default/$ref",
        place: (d, t) => void (d["definitions"].Account.properties.meta = { type: "object", default: { $ref: refTo(t) } }),
      },
      {
        pointer: "#/definitions/Account/properties/shape/enum/0/$ref",
        place: (d, t) => void (d["definitions"].Account.properties.shape = { type: "object", enum: [{ $ref: refTo(t) }] }),
      },
      {
        pointer: "#/definitions/Safe/example/$ref",
        place: (d, t) => void (d["definitions"].Safe.example = { $ref: t === "url" ? refTo(t) : hashTrick(t) }),
      },
    ],
  },
  {
    name: "OpenAPI 3: Example reference, Example value, externalValue of an Example and inside example data",
    base: openapi3,
    placements: [
      {
        pointer: "#/components/examples/Remote/$ref",
        place: (d, t) => void ((d["components"].examples ??= {}).Remote = { $ref: refTo(t) }),
      },
      {
        pointer: "#/paths/~1API~1Users/get/responses/200/content/application~1json/examples/one/value/$ref",
        place: (d, t) =>
          void (d["paths"]["/API/Users"].get.responses["200"].content["application/json"].examples = { one: { value: { $ref: refTo(t) } } }),
      },
      {
        pointer: "#/components/examples/External/externalValue",
        place: (d, t) => void ((d["components"].examples ??= {}).External = { externalValue: refTo(t) }),
      },
      {
        pointer: "#/components/schemas/User/example/externalValue",
        place: (d, t) => void (d["components"].schemas.User.example = { externalValue: refTo(t) }),
      },
    ],
  },
];

function writeDoc(doc: Doc): string {
  const file = join(tmp.path, `doc-${++runs}.json`);
  writeFileSync(file, JSON.stringify(doc, null, 2));
  return file;
}

function expectNoCanary(run: RunResult, out: string, canary = CANARY): void {
  expect(run.stdout).not.toContain(canary);
  expect(run.stderr).not.toContain(canary);
  if (!existsSync(out)) return;
  for (const [file, bytes] of snapshotTree(out)) expect(bytes.toString("utf8"), file).not.toContain(canary);
}

describe("a reference out of the document where it stands for part of the API is refused", () => {
  const cases = REFUSED.flatMap((p) => TARGETS.map((t) => [p.name, t, p] as const));
  it.each(cases)("%s -> the %s", async (_name, target, placement) => {
    const doc = placement.base();
    placement.place(doc, refTo(target));
    const out = join(tmp.path, `refused-${++runs}`);
    const started = Date.now();
    const run = await generate([...fixtureSpecs(writeDoc(doc)), "--out", out]);
    expectNoCanary(run, out);
    expect(Date.now() - started).toBeLessThan(5_000);
    expect(run.code).toBe(1);
    expect(run.stderr).toMatch(/^generate failed at step local-refs: gen2 \(.*\) refers to things outside itself/);
    expect(run.stderr).toContain(`  - ${placement.pointer}: `);
    expect(existsSync(out)).toBe(false);
  }, 10_000);
});

describe("a reference out of the document inside data is dropped with a warning, never followed", () => {
  const cases = DATA.flatMap((d) => TARGETS.map((t) => [d.name, t, d] as const));
  it.each(cases)("%s -> the %s", async (_name, target, data) => {
    const doc = data.base();
    for (const p of data.placements) p.place(doc, target);
    const out = join(tmp.path, `dropped-${++runs}`);
    const started = Date.now();
    const run = await generate([...fixtureSpecs(writeDoc(doc)), "--out", out]);
    expectNoCanary(run, out);
    expect(Date.now() - started).toBeLessThan(25_000);
    expect(run.code, run.stderr).toBe(0);
    for (const p of data.placements) expect(run.stderr).toContain(`warning: gen2: ${p.pointer}: dropped;`);
  }, 30_000);
});

describe("a reference that starts with # but is neither a pointer nor an anchor is not local", () => {
  // Redocly reads "#../../x" as the file ../../x (relative to the working folder's parent), no second # needed.
  const dotTrick = (target: Target) => `#${"../".repeat(40)}${refTo(target).slice(1)}`;
  const refused = REFUSED.filter((p) => p.name === "a schema" || p.name.includes("discriminator"));
  it.each(refused.flatMap((p) => (["file", "fifo"] as const).map((t) => [p.name, t, p] as const)))("%s -> the %s: refused", async (_name, target, placement) => {
    const doc = placement.base();
    placement.place(doc, dotTrick(target));
    const out = join(tmp.path, `dots-refused-${++runs}`);
    const run = await generate([...fixtureSpecs(writeDoc(doc)), "--out", out]);
    expectNoCanary(run, out);
    expect(run.code).toBe(1);
    expect(run.stderr).toContain(`  - ${placement.pointer}: `);
  }, 10_000);

  it.each(["file", "fifo"] as const)("an example and an extension -> the %s: dropped", async (target) => {
    const doc = swagger();
    doc["definitions"].Account.example = { $ref: dotTrick(target) };
    doc["paths"]["/API/Accounts"].get["x-data"] = { $ref: dotTrick(target) };
    const out = join(tmp.path, `dots-dropped-${++runs}`);
    const run = await generate([...fixtureSpecs(writeDoc(doc)), "--out", out]);
    expectNoCanary(run, out);
    expect(run.code, run.stderr).toBe(0);
    expect(run.stderr).toContain("warning: gen2: #/definitions/Account/example/$ref: dropped;");
    expect(run.stderr).toContain("warning: gen2: #/paths/~1API~1Accounts/get/x-data/$ref: dropped;");
  }, 30_000);

  it("pointers and anchors stay: #, #/definitions/X, #/../x (a pointer) and #Name", async () => {
    const { keepRefsLocal } = await import("../../scripts/steps/local-refs.js");
    for (const ref of ["#", "#/definitions/Account", "#/definitions/%5F%5Fproto%5F%5F", "#/../x", "#Account_2:v1.0"]) {
      expect(() => keepRefsLocal({ definitions: { A: { $ref: ref } } }, "doc"), ref).not.toThrow();
    }
    for (const ref of ["#..", "#./x", "#1abc", "#x y", "#x#/y", "x.json", "#../etc/passwd"]) {
      expect(() => keepRefsLocal({ definitions: { A: { $ref: ref } } }, "doc"), ref).toThrow(/points outside the document/);
    }
  });
});

describe("with the token in the environment, /proc/self/environ is never read either", () => {
  const tsx = join(repoRoot, "node_modules", ".bin", "tsx");
  // A process of its own: /proc/self/environ holds the environment a process started with.
  async function generateWithToken(doc: Doc, out: string): Promise<RunResult> {
    const env = { PATH: process.env["PATH"] ?? "", HOME: tmp.path, NO_COLOR: "1", CYBERARK_TOKEN: TOKEN_CANARY };
    const args = ["scripts/generate.ts", ...fixtureSpecs(writeDoc(doc)), "--out", out];
    try {
      const { stdout, stderr } = await promisify(execFile)(tsx, args, { cwd: repoRoot, env });
      return { code: 0, stdout, stderr };
    } catch (error) {
      const e = error as { code: number; stdout: string; stderr: string };
      return { code: e.code, stdout: e.stdout, stderr: e.stderr };
    }
  }

  it("a schema: refused", async () => {
    const doc = swagger();
    doc["definitions"].Account.properties.secret = { $ref: "/proc/self/environ" };
    const out = join(tmp.path, `environ-${++runs}`);
    const run = await generateWithToken(doc, out);
    expect(run.code).toBe(1);
    expect(run.stderr).toContain("#/definitions/Account/properties/secret/$ref: points outside the document");
    // Output is scrubbed of the token: its placeholder would mean the token was about to be printed.
    expect(run.stderr + run.stdout).not.toContain("<CYBERARK_TOKEN>");
    expectNoCanary(run, out, TOKEN_CANARY);
  }, 30_000);

  it("an example: dropped", async () => {
    const doc = swagger();
    doc["definitions"].Account.example = { $ref: "/proc/self/environ" };
    const out = join(tmp.path, `environ-${++runs}`);
    const run = await generateWithToken(doc, out);
    expect(run.code, run.stderr).toBe(0);
    expect(run.stderr).toContain("warning: gen2: #/definitions/Account/example/$ref: dropped;");
    expect(run.stderr + run.stdout).not.toContain("<CYBERARK_TOKEN>");
    expectNoCanary(run, out, TOKEN_CANARY);
  }, 60_000);
});
