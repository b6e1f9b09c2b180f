// Area 6: the generator fed damaged copies of the embedded documents. Every run must either
// succeed or exit 1 with one readable "generate failed at step X: ..." line that names the
// document, and a failed run must leave --out byte-identical with no temporary folders behind.
// The generator runs in-process; --out is a temp folder seeded with a previous generation.
import { createHash } from "node:crypto";
import { cp, mkdir, mkdtemp, readdir, readFile, rm, stat, writeFile } from "node:fs/promises";
import { tmpdir } from "node:os";
import { join, relative, sep } from "node:path";
import fc from "fast-check";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { runGenerate } from "../../scripts/run-generate.js";
import { startServer, type HardeningServer } from "../support/hardening-server.js";
import { useTally } from "../support/hardening-tally.js";
import { applyMutation, describeMutation, mutationArbitrary, type Mutation } from "../support/hardening-spec-mutations.js";

const tally = useTally("generator");
const repo = join(import.meta.dirname, "..", "..");
const GEN2 = join(repo, "spec", "pvwa-gen2.swagger.json");
const PCLOUD = join(repo, "spec", "pcloud-root.swagger.json");
const TINY_GEN2 = join(import.meta.dirname, "fixtures", "tiny-gen2.swagger.json");
const TINY_GEN1 = join(import.meta.dirname, "fixtures", "tiny-gen1.swagger.json");

// Shapes of a JavaScript crash leaking out as the "reason", which tells a user nothing about their document.
const INTERNAL_ERROR =
  /Maximum call stack size exceeded|Cannot read propert|Cannot set propert|is not a function|is not iterable|undefined is not|null is not|\[object Object\]|Cannot convert undefined/;
const STACK_FRAME = /\n\s+at \S.*:\d+:\d+/;

let work = "";
let outDir = "";
let pristine = "";

interface Run {
  code: number;
  stdout: string;
  stderr: string;
}

async function generate(args: string[]): Promise<Run> {
  let stdout = "";
  let stderr = "";
  const code = await runGenerate(["--out", outDir, ...args], {
    stdout: { write: (t: string) => (stdout += t) },
    stderr: { write: (t: string) => (stderr += t) },
    env: {},
    cwd: repo,
  });
  return { code, stdout, stderr };
}

/** Relative path -> sha256 of every file under dir. */
async function snapshot(dir: string): Promise<Map<string, string>> {
  const out = new Map<string, string>();
  const walk = async (d: string): Promise<void> => {
    for (const entry of await readdir(d, { withFileTypes: true })) {
      const full = join(d, entry.name);
      if (entry.isDirectory()) await walk(full);
      else out.set(relative(dir, full).split(sep).join("/"), createHash("sha256").update(await readFile(full)).digest("hex"));
    }
  };
  await walk(dir);
  return out;
}

function sameSnapshot(a: Map<string, string>, b: Map<string, string>): boolean {
  return a.size === b.size && [...a].every(([k, v]) => b.get(k) === v);
}

/** Temporary siblings of --out a run must not leave behind (write-to-temp, swap backups). */
async function leftovers(): Promise<string[]> {
  return (await readdir(work)).filter((n) => n.startsWith(".generated."));
}

/** What is wrong with the outcome of one run; empty when it is acceptable. */
async function judge(run: Run, before: Map<string, string>, documentHints: string[]): Promise<string[]> {
  const problems: string[] = [];
  const left = await leftovers();
  if (left.length > 0) problems.push(`left temporary folders: ${left.join(", ")}`);
  if (run.code === 0) {
    // Warnings (paths left out of the client, ...) go to stderr on success too; nothing else may.
    const unexpected = run.stderr.split("\n").filter((line) => line !== "" && !line.startsWith("warning: "));
    if (unexpected.length > 0) problems.push(`succeeded but wrote to stderr: ${unexpected.join("\n").slice(0, 200)}`);
    const after = await snapshot(outDir);
    if (!after.has("index.ts")) problems.push("succeeded without writing index.ts");
    return problems;
  }
  if (run.code !== 1) problems.push(`exit code ${run.code}, expected 0 or 1`);
  const message = run.stderr;
  if (!/^generate failed at step [a-z0-9-]+: \S/.test(message)) problems.push(`unexpected stderr shape: ${message.slice(0, 200)}`);
  if ((message.match(/generate failed at step/g) ?? []).length !== 1) problems.push("more than one failure line");
  if (STACK_FRAME.test(message)) problems.push("stack trace in the message");
  if (INTERNAL_ERROR.test(message)) problems.push(`internal JavaScript error as the reason: ${message.trim().slice(0, 240)}`);
  if (!documentHints.some((h) => message.includes(h))) {
    problems.push(`message names neither ${documentHints.join(" nor ")}: ${message.trim().slice(0, 240)}`);
  }
  const after = await snapshot(outDir);
  if (!sameSnapshot(before, after)) problems.push("--out changed although the run failed");
  return problems;
}

async function writeSpec(name: string, bytes: Buffer): Promise<string> {
  const file = join(work, name);
  await writeFile(file, bytes);
  return file;
}

beforeAll(async () => {
  work = await mkdtemp(join(tmpdir(), "cyberark-hardening-gen-"));
  outDir = join(work, "generated");
  pristine = join(work, "pristine");
  // A previous generation to protect: the repository's own when present, else a fresh one.
  const committed = join(repo, "generated");
  const hasCommitted = await stat(join(committed, "index.ts")).then(() => true, () => false);
  if (hasCommitted) {
    await cp(committed, outDir, { recursive: true });
  } else {
    const run = await generate(["--quiet"]);
    expect(run.stderr).toBe("");
  }
  await cp(outDir, pristine, { recursive: true });
}, 90_000);

/** Puts the previous generation back (and clears debris) so one failure does not cascade. */
async function restoreOut(): Promise<void> {
  for (const name of await leftovers()) await rm(join(work, name), { recursive: true, force: true });
  await rm(outDir, { recursive: true, force: true });
  await cp(pristine, outDir, { recursive: true });
}

afterAll(async () => {
  if (work) await rm(work, { recursive: true, force: true });
});

/** Runs the generator on one damaged document; returns what was wrong with the outcome. */
async function checkMutation(source: string, m: Mutation, args: (file: string) => string[], hints: string[]): Promise<string[]> {
  tally.tried();
  const file = await writeSpec("mutated.json", applyMutation(source, m));
  const before = await snapshot(outDir);
  const run = await generate(["--quiet", ...args(file)]);
  const problems = await judge(run, before, [...hints, "mutated.json"]);
  if (problems.length > 0) {
    tally.failed(`${describeMutation(m)}: ${problems.join("; ")}`);
    await restoreOut();
  }
  return problems;
}

const withStandIns = (f: string) => ["--spec", `pcloud=${f}`, "--spec", `gen2=${TINY_GEN2}`, "--spec", `gen1=${TINY_GEN1}`];

describe("generator on damaged documents", () => {
  it("mutated copies of the full gen2 document: success, or a clear failure with --out untouched", async () => {
    const source = await readFile(GEN2, "utf8");
    await fc.assert(
      fc.asyncProperty(mutationArbitrary(), async (m) => (await checkMutation(source, m, (f) => ["--spec", `gen2=${f}`], ["gen2"])).length === 0),
      // A successful run of the full document takes ~10 s; failures take well under one.
      { numRuns: 8, endOnFailure: true },
    );
  }, 150_000);

  it("mutated copies of the pcloud document (small stand-ins for gen2/gen1)", async () => {
    const source = await readFile(PCLOUD, "utf8");
    await fc.assert(
      fc.asyncProperty(mutationArbitrary(), async (m) => (await checkMutation(source, m, withStandIns, ["pcloud"])).length === 0),
      { numRuns: 20, endOnFailure: true },
    );
  }, 150_000);

  // Recursive walkers (validation, conversion) overflow the stack on absurdly deep schemas. The
  // run must still say which document is at fault and why, not "Maximum call stack size exceeded".
  it.each([600, 1000, 5000])("a schema nested %i levels deep fails clearly and leaves --out alone", async (depth) => {
    const source = await readFile(PCLOUD, "utf8");
    const m: Mutation = { kind: "deep-nesting", depth };
    expect(await checkMutation(source, m, withStandIns, ["pcloud"])).toEqual([]);
  }, 60_000);

  it("a failure after the swap (unwritable --report) does not leave a new --out behind a failed run", async () => {
    tally.tried();
    // A valid change (new description) so a successful swap would visibly change --out.
    const doc = JSON.parse(await readFile(PCLOUD, "utf8")) as { info: { description?: string } };
    doc.info.description = `hardening ${Date.now()}`;
    const file = await writeSpec("changed.json", Buffer.from(JSON.stringify(doc)));
    const reportDir = join(work, "report-is-a-folder");
    await mkdir(reportDir, { recursive: true });
    const before = await snapshot(outDir);
    const run = await generate(["--quiet", ...withStandIns(file), "--report", reportDir]);
    const after = await snapshot(outDir);
    const changedWhileFailing = run.code !== 0 && !sameSnapshot(before, after);
    if (changedWhileFailing) {
      tally.failed(`--report ${reportDir} (a folder): exit ${run.code} but --out was replaced`);
      await restoreOut();
    }
    expect(run.code).toBe(1);
    expect(run.stderr).toMatch(/^generate failed at step report: /);
    expect(changedWhileFailing, "exit 1 but --out holds the new generation").toBe(false);
  }, 60_000);
});

describe("generator pulling a document from a hostile server", () => {
  let server: HardeningServer;
  let base = "";

  beforeAll(async () => {
    const full = await readFile(PCLOUD);
    server = await startServer((req, res) => {
      if (req.url === "/cut") {
        // Promises the whole document, sends a third, then drops the connection.
        res.writeHead(200, { "content-type": "application/json", "content-length": String(full.length) });
        res.write(full.subarray(0, Math.floor(full.length / 3)));
        setTimeout(() => res.socket?.destroy(), 20);
      } else if (req.url === "/stall") {
        res.writeHead(200, { "content-type": "application/json" });
        res.write("{");
      } else if (req.url === "/html") {
        res.writeHead(200, { "content-type": "text/html" });
        res.end("<html><body>Please sign in</body></html>");
      } else {
        res.writeHead(500, { "content-type": "text/plain" });
        res.end("boom");
      }
    });
    base = server.url;
  });

  afterAll(() => server.close());

  it.each(["/cut", "/stall", "/html", "/error"])("GET %s: a clear failure, --out untouched", async (route) => {
    tally.tried();
    const before = await snapshot(outDir);
    const started = Date.now();
    const run = await generate(["--quiet", "--timeout", "1500", ...withStandIns(`${base}${route}`)]);
    const problems = await judge(run, before, ["pcloud", base]);
    if (Date.now() - started > 15_000) problems.push("took longer than 15 s despite --timeout 1500");
    if (run.code === 0) problems.push("succeeded on a broken download");
    if (problems.length > 0) {
      tally.failed(`pull ${route}: ${problems.join("; ")}`);
      await restoreOut();
    }
    expect(problems).toEqual([]);
  }, 30_000);
});
