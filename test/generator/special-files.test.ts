// Local inputs (--spec, --overlay, --ca) are read only from regular files and only up to the largest document read
// (--max-download-mb): a FIFO would hang the run for ever (--timeout covers only HTTP), /dev/zero would fill memory.
// Timeouts on the tests: a regression fails instead of hanging.
import { execFileSync, spawn, type ChildProcess } from "node:child_process";
import { existsSync, readFileSync, symlinkSync, truncateSync, writeFileSync } from "node:fs";
import { join } from "node:path";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { openRegularFile, readSource } from "../../scripts/steps/read.js";
import { startHttpServer, type TestServer } from "../transport/servers.js";
import { fixture, generate, tempDir, type TempDir } from "./harness.js";

const MiB = 1024 * 1024;
const SHORT = { timeout: 10_000 };

let tmp: TempDir;
let fifo: string;
let server: TestServer;
const children: ChildProcess[] = [];

const otherSpecs = ["--spec", `gen1=${fixture("gen1.swagger.json")}`, "--spec", `pcloud=${fixture("pcloud.swagger.json")}`];

type Run = Awaited<ReturnType<typeof generate>> & { out: string };

let runs = 0;
/** Each run its own --out, so that one test's outcome cannot decide another's. */
async function run(...args: string[]): Promise<Run> {
  const out = join(tmp.path, `out-${++runs}`);
  return { ...(await generate([...args, "--out", out, "--quiet"])), out };
}

function expectFailed(result: Run, step: string, fragment: string): void {
  expect(result.code).toBe(1);
  expect(result.stderr).toMatch(new RegExp(`^generate failed at step ${step}: `));
  expect(result.stderr).toContain(fragment);
  expect(existsSync(result.out)).toBe(false);
}

beforeAll(async () => {
  tmp = tempDir("special-files-");
  fifo = join(tmp.path, "input.fifo");
  execFileSync("mkfifo", [fifo]);
  server = await startHttpServer((_req, res) => {
    res.setHeader("content-type", "application/json");
    res.end(readFileSync(fixture("gen2.swagger.json")));
  });
});
afterAll(async () => {
  for (const child of children) child.kill("SIGKILL");
  await server.close();
  tmp.cleanup();
});

describe("a special file as input is refused, not read", () => {
  it("--spec /dev/zero (endless), also through a symlink", SHORT, async () => {
    expectFailed(await run("--spec", "gen2=/dev/zero", ...otherSpecs), "read", "cannot read /dev/zero: it is a device, not a regular file.");
    symlinkSync("/dev/zero", join(tmp.path, "zero.json"));
    expectFailed(await run("--spec", `gen2=${join(tmp.path, "zero.json")}`, ...otherSpecs), "read", "it is a device, not a regular file");
  });

  it("--spec a FIFO", SHORT, async () => {
    expectFailed(await run("--spec", `gen2=${fifo}`, ...otherSpecs), "read", `cannot read ${fifo}: it is a FIFO (named pipe), not a regular file.`);
  });

  it("--overlay a FIFO", SHORT, async () => {
    expectFailed(await run("--overlay", fifo, "--spec", `gen2=${fixture("gen2.swagger.json")}`, ...otherSpecs), "read", "it is a FIFO (named pipe), not a regular file");
  });

  it("--ca a FIFO or a device (read when pulling)", SHORT, async () => {
    const pull = ["--spec", `gen2=${server.url}/swagger.json`, ...otherSpecs];
    expectFailed(await run(...pull, "--ca", fifo), "pull", `cannot read the --ca file ${fifo}: it is a FIFO (named pipe), not a regular file.`);
    expectFailed(await run(...pull, "--ca", "/dev/zero"), "pull", "cannot read the --ca file /dev/zero: it is a device, not a regular file.");
  });

  it("a folder", SHORT, async () => {
    expectFailed(await run("--spec", `gen2=${tmp.path}`, ...otherSpecs), "read", "it is a folder, not a regular file");
  });
});

describe("the two guards against a FIFO", () => {
  it("a writer waiting on the FIFO stays blocked: the path is judged by stat before anything opens it", SHORT, async () => {
    const waiting = join(tmp.path, "waiting.fifo");
    execFileSync("mkfifo", [waiting]);
    // Blocks in open() until a reader opens the FIFO; then writes and exits.
    const writer = spawn("sh", ["-c", `printf x > '${waiting}'`], { stdio: "ignore" });
    children.push(writer);
    await new Promise((resolve) => setTimeout(resolve, 300)); // until the shell waits in open()
    await expect(readSource(waiting, tmp.path)).rejects.toThrow("is a FIFO (named pipe), not a regular file");
    await new Promise((resolve) => setTimeout(resolve, 300));
    expect(writer.exitCode).toBeNull();
    expect(writer.signalCode).toBeNull();
  });

  it("the open itself does not block and the opened handle is judged (a path may change after stat)", SHORT, async () => {
    await expect(openRegularFile(fifo)).rejects.toThrow("it is a FIFO (named pipe), not a regular file");
  });
});

describe("--max-download-mb is the largest document read, for local files too", () => {
  it("a --spec file of exactly the limit is read; one byte more is refused, naming the limit", SHORT, async () => {
    const text = readFileSync(fixture("gen2.swagger.json"), "utf8").trimEnd();
    const atLimit = join(tmp.path, "at-limit.json");
    writeFileSync(atLimit, text + " ".repeat(MiB - Buffer.byteLength(text)));
    const ok = await run("--spec", `gen2=${atLimit}`, ...otherSpecs, "--max-download-mb", "1");
    expect(ok.stderr).toBe("");
    expect(ok.code).toBe(0);
    const over = join(tmp.path, "over-limit.json");
    writeFileSync(over, text + " ".repeat(MiB + 1 - Buffer.byteLength(text)));
    expectFailed(
      await run("--spec", `gen2=${over}`, ...otherSpecs, "--max-download-mb", "1"),
      "read",
      `cannot read ${over}: it is larger than 1 MiB, the largest document read (--max-download-mb).`,
    );
  });

  it("a --ca file over the limit is refused", SHORT, async () => {
    const big = join(tmp.path, "big.pem");
    writeFileSync(big, "-----BEGIN CERTIFICATE-----\n".padEnd(MiB + 1, "A"));
    const pull = ["--spec", `gen2=${server.url}/swagger.json`, ...otherSpecs];
    expectFailed(await run(...pull, "--ca", big, "--max-download-mb", "1"), "pull", `cannot read the --ca file ${big}: it is larger than 1 MiB`);
  });

  it("an --overlay file over the default limit is refused", SHORT, async () => {
    // Sparse: cheap to make.
    const big = join(tmp.path, "big.overlay.yaml");
    writeFileSync(big, "");
    truncateSync(big, 64 * MiB + 1);
    expectFailed(await run("--overlay", big, "--spec", `gen2=${fixture("gen2.swagger.json")}`, ...otherSpecs), "read", `cannot read ${big}: it is larger than 64 MiB`);
  });

  it.runIf(existsSync("/proc/self/status"))("a file whose size says 0 but holds more (/proc) stops at the limit", SHORT, async () => {
    await expect(readSource("/proc/self/status", tmp.path, 16)).rejects.toThrow("it is larger than 16 bytes, the largest document read");
  });
});
