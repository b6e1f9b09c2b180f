// The generator never deletes or replaces a file it did not write: --out must be new, empty or a previous
// generation holding nothing else, and never the project, a folder above it or one holding an input.
import { cpSync, existsSync, mkdirSync, readdirSync, readFileSync, rmSync, symlinkSync, watch, writeFileSync } from "node:fs";
import { join } from "node:path";
import { afterAll, beforeAll, beforeEach, describe, expect, it } from "vitest";
import { MANIFEST_FILE } from "../../scripts/lib/generation-manifest.js";
import { pathInside } from "../../scripts/lib/real-path.js";
import { swapInto } from "../../scripts/steps/write-atomic.js";
import { fixture, generate, readJson, tempDir, type TempDir } from "./harness.js";
import { makeProject, PROJECT_SPECS, treeOf, writeTree } from "./project.js";
import { useSpecServer } from "./project.js";

const GENERATED = [
  "gen1.openapi.json", "gen1.operations.ts", "gen1.ts",
  "gen2.openapi.json", "gen2.operations.ts", "gen2.ts",
  "index.ts",
  "pcloud.openapi.json", "pcloud.operations.ts", "pcloud.ts",
];

let tmp: TempDir;
/** A generation made once, copied into each test's project. */
let generation: string;
let project: string;

// Not --quiet: a refusal before any work shows as an empty stdout (no step ran).
const run = (...args: string[]) => generate([...PROJECT_SPECS, ...args], {}, { cwd: project });

function expectRefused(result: Awaited<ReturnType<typeof generate>>, ...fragments: string[]): void {
  expect(result.code).toBe(1);
  expect(result.stderr).toMatch(/^generate failed at step out: /);
  for (const fragment of fragments) expect(result.stderr).toContain(fragment);
}

/** No temporary folder of the generator is left anywhere below `root`. */
function expectNoLeftovers(root: string): void {
  const all = [...treeOf(root).keys()];
  expect(all.filter((f) => f.includes(".generating-"))).toEqual([]);
}

beforeAll(async () => {
  tmp = tempDir("out-folder-");
  const seed = makeProject(join(tmp.path, "seed"));
  const first = await generate([...PROJECT_SPECS, "--out", "gen", "--quiet"], {}, { cwd: seed });
  expect(first.stderr).toBe("");
  generation = join(seed, "gen");
});
afterAll(() => tmp.cleanup());

let n = 0;
beforeEach(() => {
  project = makeProject(join(tmp.path, `project-${++n}`));
});

describe("a manifest in every generation", () => {
  it("lists exactly the files written, with no timestamp", () => {
    expect(readdirSync(generation).sort()).toEqual([MANIFEST_FILE, ...GENERATED]);
    expect(readJson(join(generation, MANIFEST_FILE))).toEqual({ generator: "cyberark-pam-client", files: GENERATED });
  });
});

/** Refused up front, before any step ran or wrote anything. */
function expectRefusedAtOnce(result: Awaited<ReturnType<typeof generate>>, ...fragments: string[]): void {
  expectRefused(result, ...fragments);
  expect(result.stdout).toBe("");
}

describe("--out refused", () => {
  it("at a folder of user files: they stay byte-identical and the message names the folder and a few files", async () => {
    const before = treeOf(project);
    const result = await run("--out", "src");
    expectRefusedAtOnce(result, "--out src is not empty and is not a previous generation", "main.ts, util/");
    expect(treeOf(project)).toEqual(before);
    expectNoLeftovers(tmp.path);
  });

  it("at the working folder", async () => {
    const before = treeOf(project);
    expectRefusedAtOnce(await run("--out", "."), "is the working folder or a folder above it");
    expect(treeOf(project)).toEqual(before);
  });

  it("at the working folder's parent", async () => {
    const before = treeOf(tmp.path);
    expectRefusedAtOnce(await run("--out", ".."), "is the working folder or a folder above it");
    expect(treeOf(tmp.path)).toEqual(before);
  });

  it("at the working folder reached through a symlink (compared as real paths)", async () => {
    symlinkSync(tmp.path, join(project, "up"));
    const before = treeOf(project);
    expectRefusedAtOnce(await run("--out", `up/project-${n}`), "is the working folder or a folder above it");
    expect(treeOf(project)).toEqual(before);
  });

  it("at the folder holding the input spec", async () => {
    const before = treeOf(project);
    expectRefusedAtOnce(await run("--out", "specs"), "--out specs holds the input --spec gen2 specs/gen2.swagger.json");
    expect(treeOf(project)).toEqual(before);
  });

  it("at a previous generation whose own file is the input (no foreign file to stop it otherwise)", async () => {
    cpSync(generation, join(project, "gen"), { recursive: true });
    const before = treeOf(project);
    const result = await generate(
      ["--spec", "gen2=gen/gen2.openapi.json", "--spec", "gen1=specs/gen1.swagger.json", "--spec", "pcloud=specs/pcloud.swagger.json", "--out", "gen", "--quiet"],
      {},
      { cwd: project },
    );
    expectRefusedAtOnce(result, "--out gen holds the input --spec gen2 gen/gen2.openapi.json");
    expect(treeOf(project)).toEqual(before);
  });

  it("at the folder holding the --ca file", async () => {
    writeTree(project, { "tls/ca.pem": "-----BEGIN CERTIFICATE-----\n" });
    const before = treeOf(project);
    expectRefusedAtOnce(await run("--out", "tls", "--ca", "tls/ca.pem"), "--out tls holds the input --ca tls/ca.pem");
    expect(treeOf(project)).toEqual(before);
  });

  it("at a symlink to a user folder: neither the link nor the folder changes", async () => {
    symlinkSync(join(project, "src"), join(project, "types"));
    const before = treeOf(project);
    expectRefusedAtOnce(await run("--out", "types"), "--out types is a symbolic link");
    expect(treeOf(project)).toEqual(before);
  });

  it("at a previous generation with a user's extra file and subfolder", async () => {
    cpSync(generation, join(project, "gen"), { recursive: true });
    writeTree(project, { "gen/notes.txt": "mine\n", "gen/extra/more.ts": "export {};\n" });
    const before = treeOf(project);
    expectRefusedAtOnce(
      await run("--out", "gen"),
      "--out gen holds a previous generation and also files the generator did not write: extra/, notes.txt",
    );
    expect(treeOf(project)).toEqual(before);
    expectNoLeftovers(tmp.path);
  });

  it("at a folder whose manifest is not the generator's", async () => {
    writeTree(project, { [`gen/${MANIFEST_FILE}`]: '{"generator":"someone-else","files":[]}', "gen/keep.ts": "x\n" });
    const before = treeOf(project);
    expectRefusedAtOnce(await run("--out", "gen"), `--out gen holds a ${MANIFEST_FILE} that is not the generator's`);
    expect(treeOf(project)).toEqual(before);
  });

  it("at an old generation where one file lacks the generator's header", async () => {
    cpSync(generation, join(project, "gen"), { recursive: true });
    rmSync(join(project, "gen", MANIFEST_FILE));
    writeFileSync(join(project, "gen/gen2.ts"), "// my own gen2 types\nexport {};\n");
    const before = treeOf(project);
    expectRefusedAtOnce(await run("--out", "gen"), "also files the generator did not write: gen2.ts");
    expect(treeOf(project)).toEqual(before);
  });

  it("with --check and a report inside --out (it would add a file to the folder it checks)", async () => {
    cpSync(generation, join(project, "gen"), { recursive: true });
    const before = treeOf(project);
    expectRefusedAtOnce(await run("--out", "gen", "--check", "--report", "gen/changes.md"), "which --check must not write to");
    expect(treeOf(project)).toEqual(before);
  });
});

describe("--out accepted", () => {
  it("at an empty folder", async () => {
    mkdirSync(join(project, "empty"));
    const result = await run("--out", "empty");
    expect(result.stderr).toBe("");
    expect(result.code).toBe(0);
    expect(readdirSync(join(project, "empty")).sort()).toEqual([MANIFEST_FILE, ...GENERATED]);
  });

  it("at a generation from before manifests: every file named and marked as generated; the manifest is added", async () => {
    cpSync(generation, join(project, "gen"), { recursive: true });
    rmSync(join(project, "gen", MANIFEST_FILE));
    const result = await run("--out", "gen");
    expect(result.stderr).toBe("");
    expect(result.code).toBe(0);
    expect(treeOf(join(project, "gen"))).toEqual(treeOf(generation));
  });

  it("with a report inside --out: the report is listed, so the next run still knows the folder", async () => {
    cpSync(generation, join(project, "gen"), { recursive: true });
    const withReport = await run("--out", "gen", "--report", "gen/reports/changes.md");
    expect(withReport.stderr).toBe("");
    expect(readJson<{ files: string[] }>(join(project, "gen", MANIFEST_FILE)).files).toContain("reports/changes.md");
    const again = await run("--out", "gen");
    expect(again.stderr).toBe("");
    expect(again.code).toBe(0);
    expect(existsSync(join(project, "gen/reports"))).toBe(false);
  });
});

describe("folders made on the way to --out", () => {
  it("--check makes none: it generates under the system's temporary folder and leaves nothing there", async () => {
    const systemTmp = join(tmp.path, `system-tmp-${n}`);
    mkdirSync(systemTmp);
    const before = treeOf(project);
    const saved = process.env["TMPDIR"];
    process.env["TMPDIR"] = systemTmp;
    try {
      const result = await run("--check", "--out", "nA/nB/gen", "--quiet");
      expect(result.code).toBe(1);
      expect(result.stderr).toMatch(/^generate failed at step check: nA\/nB\/gen is out of date/);
    } finally {
      if (saved === undefined) delete process.env["TMPDIR"];
      else process.env["TMPDIR"] = saved;
    }
    // treeOf lists files only: an empty folder left behind shows here.
    expect(existsSync(join(project, "nA"))).toBe(false);
    expect(treeOf(project)).toEqual(before);
    expect(readdirSync(systemTmp)).toEqual([]);
  });

  it("--check writes nothing next to --out, not even for a moment", async () => {
    cpSync(generation, join(project, "gen"), { recursive: true });
    const seen: string[] = [];
    const watcher = watch(project, (_event, name) => seen.push(String(name)));
    try {
      const result = await run("--check", "--out", "gen", "--quiet");
      expect(result.stderr).toBe("");
      expect(result.code).toBe(0);
      await new Promise((resolve) => setTimeout(resolve, 200));
    } finally {
      watcher.close();
    }
    expect(seen).toEqual([]);
  });

  it("a run that fails after writing removes the folders it made for --out", async () => {
    const before = treeOf(project);
    // README.md is a file: the report step fails after the new generation was written next to --out.
    const result = await run("--out", "nA/nB/gen", "--report", "README.md/changes.md", "--quiet");
    expect(result.code).toBe(1);
    expect(result.stderr).toMatch(/^generate failed at step report: /);
    expect(existsSync(join(project, "nA"))).toBe(false);
    expect(treeOf(project)).toEqual(before);
  });

  it("a successful run keeps them", async () => {
    const result = await run("--out", "nA/nB/gen", "--quiet");
    expect(result.stderr).toBe("");
    expect(readdirSync(join(project, "nA/nB/gen")).sort()).toEqual([MANIFEST_FILE, ...GENERATED]);
  });
});

describe("a folder that changes during the run", () => {
  const server = useSpecServer();

  it("is checked again before the swap: a file that appeared meanwhile stops the run and stays", async () => {
    const out = join(project, "gen");
    cpSync(generation, out, { recursive: true });
    const generationBefore = treeOf(out);
    // The pull happens after the first look at --out: the user saves a file into it right then.
    server.onRequest = () => writeFileSync(join(out, "appeared.txt"), "saved meanwhile\n");
    const result = await generate(
      ["--spec", `gen2=${server.url}`, "--spec", "gen1=specs/gen1.swagger.json", "--spec", "pcloud=specs/pcloud.swagger.json", "--out", "gen", "--quiet"],
      {},
      { cwd: project },
    );
    expectRefused(result, "also files the generator did not write: appeared.txt");
    expect(readFileSync(join(out, "appeared.txt"), "utf8")).toBe("saved meanwhile\n");
    const after = treeOf(out);
    after.delete("appeared.txt");
    expect(after).toEqual(generationBefore);
    expectNoLeftovers(tmp.path);
  });

  it("when that stops the run, the folders made for --report go again, with the staged report", async () => {
    const out = join(project, "gen");
    cpSync(generation, out, { recursive: true });
    server.onRequest = () => writeFileSync(join(out, "appeared.txt"), "saved meanwhile\n");
    const result = await generate(
      ["--spec", `gen2=${server.url}`, "--spec", "gen1=specs/gen1.swagger.json", "--spec", "pcloud=specs/pcloud.swagger.json", "--out", "gen", "--report", "rA/rB/changes.md", "--quiet"],
      {},
      { cwd: project },
    );
    expectRefused(result, "also files the generator did not write: appeared.txt");
    expect(existsSync(join(project, "rA"))).toBe(false);
  });
});

describe("swapInto", () => {
  it("deletes only the listed files of the previous generation and keeps the folder when anything else is in it", async () => {
    const out = join(project, "gen");
    const temp = join(project, ".gen.generating-test");
    writeTree(project, { "gen/index.ts": "old\n", "gen/sub/listed.md": "old\n", "gen/sub/late.txt": "mine\n", ".gen.generating-test/index.ts": "new\n" });
    const kept = await swapInto(temp, out, ["index.ts", "sub/listed.md"]);
    expect(kept).toBe(`${temp}.previous`);
    expect([...treeOf(`${temp}.previous`).keys()]).toEqual(["sub/late.txt"]);
    expect(readFileSync(join(out, "index.ts"), "utf8")).toBe("new\n");
  });

  it("leaves nothing behind when the previous generation held only the listed files", async () => {
    const temp = join(project, ".gen.generating-test");
    writeTree(project, { "gen/index.ts": "old\n", "gen/sub/listed.md": "old\n", ".gen.generating-test/index.ts": "new\n" });
    expect(await swapInto(temp, join(project, "gen"), ["index.ts", "sub/listed.md"])).toBeUndefined();
    expect(existsSync(`${temp}.previous`)).toBe(false);
  });
});

describe("pathInside", () => {
  it("is the relative path for the folder itself and anything below it, else undefined", () => {
    expect(pathInside("/w/out", "/w/out")).toBe("");
    expect(pathInside("/w/out", "/w/out/a/r.md")).toBe(join("a", "r.md"));
    expect(pathInside("/w/out", "/w/out/..r.md")).toBe("..r.md");
    expect(pathInside("/w/out", "/w/out-2/r.md")).toBeUndefined();
    expect(pathInside("/w/out", "/w")).toBeUndefined();
    expect(pathInside("/w/out", "/elsewhere")).toBeUndefined();
  });
});
