// --report replaces nothing the generator did not write: not an input, not the project's knowledge, not a user's
// file, a symbolic link or a special file; and only a run that succeeded leaves a (new) report behind.
import { execFileSync } from "node:child_process";
import { cpSync, mkdirSync, readdirSync, readFileSync, symlinkSync, writeFileSync } from "node:fs";
import { join } from "node:path";
import { afterAll, beforeAll, beforeEach, describe, expect, it } from "vitest";
import { knowledgeFile } from "../../scripts/knowledge/knowledge-file.js";
import { parseCliOptions } from "../../scripts/lib/cli-options.js";
import { renderMarkdown } from "../../scripts/steps/change-report.js";
import { CreatedFolders } from "../../scripts/steps/write-atomic.js";
import { REPORT_HEADING, stageReport } from "../../scripts/steps/write-report.js";
import { useSpecServer } from "./project.js";
import { fixture, generate, tempDir, type TempDir } from "./harness.js";
import { makeProject, PROJECT_SPECS, treeOf, writeTree } from "./project.js";

let tmp: TempDir;
/** A generation made once, copied where a test needs an existing --out. */
let generation: string;
let project: string;

const OLD_REPORT = `${REPORT_HEADING}\nan earlier report\n`;

// Not --quiet: a refusal before any work shows as an empty stdout (no step ran).
const run = (...args: string[]) => generate([...PROJECT_SPECS, "--out", "gen", ...args], {}, { cwd: project });

function expectRefusedAtOnce(result: Awaited<ReturnType<typeof generate>>, ...fragments: string[]): void {
  expect(result.code).toBe(1);
  expect(result.stderr).toMatch(/^generate failed at step report: /);
  for (const fragment of fragments) expect(result.stderr).toContain(fragment);
  expect(result.stdout).toBe("");
}

/** No staged report or temporary generation is left anywhere below `root`. */
function expectNoLeftovers(root: string): void {
  expect([...treeOf(root).keys()].filter((f) => f.includes(".generating-"))).toEqual([]);
}

beforeAll(async () => {
  tmp = tempDir("report-safety-");
  const seed = makeProject(join(tmp.path, "seed"));
  const first = await generate([...PROJECT_SPECS, "--out", "gen", "--quiet"], {}, { cwd: seed });
  expect(first.stderr).toBe("");
  generation = join(seed, "gen");
}, 60_000);
afterAll(() => tmp.cleanup());

let n = 0;
beforeEach(() => {
  project = makeProject(join(tmp.path, `project-${++n}`));
});

describe("--report refused before any work", () => {
  it("at the --spec input, also reached through a symlinked folder (real paths)", async () => {
    symlinkSync(join(project, "specs"), join(project, "via"));
    const before = treeOf(project);
    expectRefusedAtOnce(await run("--report", "specs/gen2.swagger.json"), "--report specs/gen2.swagger.json is the input --spec gen2 specs/gen2.swagger.json");
    expectRefusedAtOnce(await run("--report", "via/gen1.swagger.json"), "is the input --spec gen1 specs/gen1.swagger.json");
    expect(treeOf(project)).toEqual(before);
  });

  it("at an --overlay file and at the --ca file", async () => {
    writeTree(project, { "mine.overlay.yaml": "overlay: 1.0.0\n", "ca.pem": "-----BEGIN CERTIFICATE-----\n" });
    const before = treeOf(project);
    expectRefusedAtOnce(await run("--overlay", "mine.overlay.yaml", "--report", "mine.overlay.yaml"), "is the input --overlay gen2 mine.overlay.yaml");
    expectRefusedAtOnce(await run("--ca", "ca.pem", "--report", "ca.pem"), "is the input --ca ca.pem");
    expect(treeOf(project)).toEqual(before);
  });

  it("in the project's knowledge, spec/knowledge/: its files and any new file there", async () => {
    const knowledge = knowledgeFile("gen2");
    const before = readFileSync(knowledge);
    expectRefusedAtOnce(await run("--report", knowledge), "lies in the project's knowledge");
    expect(readFileSync(knowledge)).toEqual(before);
    const beside = join(knowledge, "..", "report.md");
    expectRefusedAtOnce(await run("--report", beside), "lies in the project's knowledge");
    expect(readdirSync(join(knowledge, "..")).includes("report.md")).toBe(false);
  });

  it("at a symbolic link, to a user's file, to a previous report or to nothing: neither link nor target changes", async () => {
    writeTree(project, { "old.md": OLD_REPORT });
    symlinkSync("README.md", join(project, "to-readme.md"));
    symlinkSync("old.md", join(project, "to-report.md"));
    symlinkSync("nowhere.md", join(project, "dangling.md"));
    const before = treeOf(project);
    expectRefusedAtOnce(await run("--report", "to-readme.md"), "--report to-readme.md is a symbolic link (to README.md)");
    expectRefusedAtOnce(await run("--report", "to-report.md"), "is a symbolic link");
    expectRefusedAtOnce(await run("--report", "dangling.md"), "is a symbolic link");
    expect(treeOf(project)).toEqual(before);
  });

  it("at a FIFO, without opening it (the run would wait for a writer for ever)", { timeout: 10_000 }, async () => {
    execFileSync("mkfifo", [join(project, "pipe.md")]);
    expectRefusedAtOnce(await run("--report", "pipe.md"), "--report pipe.md is a FIFO (named pipe), not a regular file");
  });

  it("at a folder", async () => {
    mkdirSync(join(project, "reports"));
    expectRefusedAtOnce(await run("--report", "reports"), "--report reports is a folder, not a regular file");
  });

  it("at a user's file that is not a previous report", async () => {
    writeTree(project, { "notes.md": "# My notes\n", "almost.md": "# API change reports of mine\n" });
    const before = treeOf(project);
    expectRefusedAtOnce(await run("--report", "notes.md"), '--report notes.md exists and is not a previous report (its first line is not "# API change report")');
    expectRefusedAtOnce(await run("--report", "almost.md"), "is not a previous report");
    expectRefusedAtOnce(await run("--report", "README.md"), "is not a previous report");
    expect(treeOf(project)).toEqual(before);
  });
});

describe("--report accepted", () => {
  it("knows a previous report by the heading every report starts with", () => {
    expect(renderMarkdown([], "gen").startsWith(REPORT_HEADING)).toBe(true);
  });

  it("replaces a previous report, through a symlinked folder too, and leaves no staged file", async () => {
    writeTree(project, { "reports/changes.md": OLD_REPORT });
    symlinkSync(join(project, "reports"), join(project, "via"));
    const result = await run("--report", "via/changes.md", "--quiet");
    expect(result.stderr).toBe("");
    expect(result.code).toBe(0);
    expect(readFileSync(join(project, "reports/changes.md"), "utf8")).toMatch(/^# API change report\n\nPrevious generation: `gen`/);
    expect(readdirSync(join(project, "reports"))).toEqual(["changes.md"]);
  });
});

describe("a failed run leaves the report as it was", () => {
  const server = useSpecServer();

  /** gen2 pulled from the server, so `onRequest` acts in the middle of the run; a URL source also changes --out. */
  const pulling = (...args: string[]) =>
    generate(
      ["--spec", `gen2=${server.url}`, "--spec", "gen1=specs/gen1.swagger.json", "--spec", "pcloud=specs/pcloud.swagger.json", "--out", "gen", "--quiet", ...args],
      {},
      { cwd: project },
    );

  it("when the swap fails (a file appeared in --out): the previous report is untouched, nothing staged is left", async () => {
    cpSync(generation, join(project, "gen"), { recursive: true });
    writeTree(project, { "reports/changes.md": OLD_REPORT });
    server.onRequest = () => writeFileSync(join(project, "gen", "appeared.txt"), "saved meanwhile\n");
    const result = await pulling("--report", "reports/changes.md");
    expect(result.code).toBe(1);
    expect(result.stderr).toMatch(/^generate failed at step out: .*appeared\.txt/);
    expect(readFileSync(join(project, "reports/changes.md"), "utf8")).toBe(OLD_REPORT);
    expect(readdirSync(join(project, "reports"))).toEqual(["changes.md"]);
    expectNoLeftovers(project);
  });

  it("when a user's file appears at --report during the run: refused before the swap, --out and the file kept", async () => {
    cpSync(generation, join(project, "gen"), { recursive: true });
    const generationBefore = treeOf(join(project, "gen"));
    server.onRequest = () => writeFileSync(join(project, "changes.md"), "my own notes\n");
    const result = await pulling("--report", "changes.md");
    expect(result.code).toBe(1);
    expect(result.stderr).toMatch(/^generate failed at step report: --report changes.md exists and is not a previous report/);
    expect(readFileSync(join(project, "changes.md"), "utf8")).toBe("my own notes\n");
    expect(treeOf(join(project, "gen"))).toEqual(generationBefore);
    expectNoLeftovers(project);
  });

  it("when the report cannot be written: the run fails at step report before --out changes", async () => {
    cpSync(generation, join(project, "gen"), { recursive: true });
    const before = treeOf(project);
    // README.md is a file, so no folder can be made for the report.
    const result = await pulling("--report", "README.md/changes.md");
    expect(result.code).toBe(1);
    expect(result.stderr).toMatch(/^generate failed at step report: /);
    expect(treeOf(project)).toEqual(before);
  });
});

describe("stageReport", () => {
  it("checks again right before the rename: a file that appeared meanwhile stays, and discard removes the staged copy", async () => {
    const options = parseCliOptions([...PROJECT_SPECS, "--report", "r.md"], project);
    const created = new CreatedFolders();
    const staged = await stageReport(join(project, "r.md"), options, OLD_REPORT, created);
    writeFileSync(join(project, "r.md"), "mine\n");
    await expect(staged.place()).rejects.toThrow(/--report r\.md exists and is not a previous report.*only the report was not written/s);
    expect(readFileSync(join(project, "r.md"), "utf8")).toBe("mine\n");
    await staged.discard();
    expectNoLeftovers(project);
  });

  it("places the report and leaves nothing staged", async () => {
    const options = parseCliOptions([...PROJECT_SPECS, "--report", "new/r.md"], project);
    const staged = await stageReport(join(project, "new/r.md"), options, OLD_REPORT, new CreatedFolders());
    expect(readdirSync(join(project, "new"))).toHaveLength(1);
    await staged.place();
    await staged.discard();
    expect(readdirSync(join(project, "new"))).toEqual(["r.md"]);
    expect(readFileSync(join(project, "new/r.md"), "utf8")).toBe(OLD_REPORT);
  });
});
