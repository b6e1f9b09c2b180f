// Pulling a document is bounded in size and in time: a body over --max-download-mb fails (before reading when
// Content-Length says so, else as soon as the limit is passed, so a server that never stops sending costs at
// most the limit in memory), and --timeout covers the whole download, so a body that trickles in forever ends.
import type { ServerResponse } from "node:http";
import { join } from "node:path";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { DEFAULT_MAX_DOWNLOAD_MB, parseCliOptions } from "../../scripts/lib/cli-options.js";
import { GenerateError } from "../../scripts/lib/errors.js";
import { HttpClient, NetworkFailure } from "../../scripts/lib/http-fetch.js";
import { PORTAL_DOCUMENT_PATHS } from "../../scripts/steps/pull.js";
import { createTestPki, type TestPki } from "../support/certs.js";
import { startHttpServer, startHttpsServer, type TestServer } from "../transport/servers.js";
import { fixture, generate, tempDir, type TempDir } from "./harness.js";

const MiB = 1024 * 1024;
const otherSpecs = ["--spec", `gen1=${fixture("gen1.swagger.json")}`, "--spec", `pcloud=${fixture("pcloud.swagger.json")}`];

let tmp: TempDir;
let pki: TestPki;
const servers: TestServer[] = [];
/** Stops the writers of the endless and trickling servers. */
const timers = new Set<NodeJS.Timeout>();

beforeAll(async () => {
  tmp = tempDir("download-limits-");
  pki = createTestPki();
  await import("../../scripts/pipeline.js"); // imported before any clock starts
});
afterAll(async () => {
  for (const t of timers) clearInterval(t);
  await Promise.all(servers.map((s) => s.close()));
  pki.cleanup();
  tmp.cleanup();
});

async function server(handler: Parameters<typeof startHttpServer>[0]): Promise<TestServer> {
  const s = await startHttpServer(handler);
  servers.push(s);
  return s;
}

/** Writes `chunk` every `everyMs` until the client goes away; returns the bytes handed to the socket so far. */
function keepWriting(res: ServerResponse, chunk: Buffer, everyMs: number): { readonly sent: number; readonly closed: boolean } {
  const state = { sent: 0, closed: false };
  const timer = setInterval(() => {
    if (res.destroyed) return;
    res.write(chunk);
    state.sent += chunk.length;
  }, everyMs);
  timers.add(timer);
  res.on("close", () => {
    clearInterval(timer);
    state.closed = true;
  });
  return state;
}

function pull(url: string, ...extra: string[]): Promise<Awaited<ReturnType<typeof generate>>> {
  return generate(["--spec", `gen2=${url}`, ...otherSpecs, "--out", join(tmp.path, "out"), ...extra]);
}

describe("--max-download-mb", () => {
  it("defaults to 64 MiB and takes a whole number of MiB from 1 to 512", () => {
    expect(DEFAULT_MAX_DOWNLOAD_MB).toBe(64);
    expect(parseCliOptions([], tmp.path).maxDownloadBytes).toBe(64 * MiB);
    expect(parseCliOptions(["--max-download-mb", "512"], tmp.path).maxDownloadBytes).toBe(512 * MiB);
    for (const bad of ["0", "1.5", "-3", "lots", "513"]) {
      expect(() => parseCliOptions(["--max-download-mb", bad], tmp.path)).toThrow(GenerateError);
    }
  });
});

describe("the size limit", () => {
  it("a body exactly at the limit is read; one byte more is refused, also without Content-Length", async () => {
    const body = Buffer.from(`{"swagger":"2.0","pad":"${"x".repeat(1000)}"}`);
    const s = await server((req, res) => {
      // /chunked: no Content-Length, the limit must be noticed while reading.
      res.writeHead(200, req.url === "/chunked" ? { "content-type": "application/json" } : { "content-length": body.length });
      res.end(body);
    });
    const at = new HttpClient({ timeoutMs: 5_000, maxBytes: body.length, env: {} });
    const under = new HttpClient({ timeoutMs: 5_000, maxBytes: body.length - 1, env: {} });
    try {
      for (const path of ["/declared", "/chunked"]) {
        expect((await at.get(`${s.url}${path}`, {})).bytes.equals(body)).toBe(true);
        const refused = await under.get(`${s.url}${path}`, {}).catch((e: unknown) => e);
        expect(refused).toBeInstanceOf(NetworkFailure);
        expect((refused as NetworkFailure).kind).toBe("too-large");
      }
    } finally {
      await at.close();
      await under.close();
    }
  });

  it("Content-Length over the limit fails at once, before any of the body is read", async () => {
    const s = await server((_req, res) => {
      // Promises more than the limit and then sends nothing: waiting for the body would hit the timeout.
      res.writeHead(200, { "content-type": "application/json", "content-length": String(MiB + 1) });
      res.flushHeaders();
    });
    const started = Date.now();
    const run = await pull(`${s.url}/swagger.json`, "--max-download-mb", "1", "--timeout", "3000");
    expect(run.code).toBe(1);
    expect(run.stderr).toBe(
      `generate failed at step pull: the answer from ${s.url}/swagger.json announced ${MiB + 1} bytes (Content-Length), ` +
        "more than the download limit of 1 MiB, so it was not read. Swagger documents take a few MB at most; if this one really " +
        "is larger, raise the limit with --max-download-mb <n>.\n",
    );
    expect(Date.now() - started).toBeLessThan(2_000);
  });

  it("a finite body over the limit without Content-Length is refused", async () => {
    const big = Buffer.from(`{"swagger":"2.0","pad":"${"x".repeat(MiB)}"}`);
    const s = await server((_req, res) => {
      res.writeHead(200, { "content-type": "application/json" });
      res.end(big);
    });
    const run = await pull(`${s.url}/swagger.json`, "--max-download-mb", "1");
    expect(run.code).toBe(1);
    expect(run.stderr).toContain(`the answer from ${s.url}/swagger.json kept sending past the download limit of 1 MiB, so reading stopped.`);
  });

  it("a body that never ends: stops at the limit, long before the timeout, having received little more than the limit", async () => {
    let writer: ReturnType<typeof keepWriting> | undefined;
    const s = await server((_req, res) => {
      res.writeHead(200, { "content-type": "application/json" });
      res.write('{"swagger":"2.0","pad":"');
      // At most 64 KiB per millisecond: without the limit, the timeout ends the run at a few hundred MB.
      writer = keepWriting(res, Buffer.alloc(64 * 1024, "x"), 1);
    });
    const started = Date.now();
    const run = await pull(`${s.url}/swagger.json`, "--max-download-mb", "1", "--timeout", "5000");
    expect(run.stderr).toContain("kept sending past the download limit of 1 MiB, so reading stopped");
    expect(run.code).toBe(1);
    expect(Date.now() - started).toBeLessThan(4_000);
    // The connection is closed: the server stops, having sent the limit plus what sat in socket buffers.
    await expect.poll(() => writer?.closed, { timeout: 2_000 }).toBe(true);
    expect(writer?.sent ?? 0).toBeLessThan(MiB + 4 * MiB);
  });

  it("applies to a portal's candidate locations too", async () => {
    const s = await startHttpsServer({ cert: pki.serverCert, key: pki.serverKey }, (_req, res) => {
      res.writeHead(200, { "content-type": "application/json", "content-length": String(2 * MiB) });
      res.flushHeaders();
    });
    servers.push(s);
    const run = await generate(
      ["--pvwa", `127.0.0.1:${s.port}`, "--ca", pki.caCertPath, "--max-download-mb", "1", "--timeout", "3000", ...otherSpecs, "--out", join(tmp.path, "out")],
    );
    expect(run.code).toBe(1);
    expect(run.stderr).toContain(
      `the answer from https://127.0.0.1:${s.port}${PORTAL_DOCUMENT_PATHS[0]} announced ${2 * MiB} bytes (Content-Length)`,
    );
  });
});

describe("--timeout covers the body", () => {
  it("a body that trickles in one byte per 100 ms ends with the timeout error", async () => {
    let writer: ReturnType<typeof keepWriting> | undefined;
    const s = await server((_req, res) => {
      res.writeHead(200, { "content-type": "application/json" });
      writer = keepWriting(res, Buffer.from(" "), 100);
    });
    const started = Date.now();
    const run = await pull(`${s.url}/swagger.json`, "--timeout", "600");
    expect(run.code).toBe(1);
    expect(run.stderr).toBe(
      `generate failed at step pull: no complete answer from ${s.url}/swagger.json within 600 ms ` +
        "(timeout; a slow portal may need a larger --timeout <ms>).\n",
    );
    expect(Date.now() - started).toBeLessThan(3_000);
    expect(writer?.sent ?? 0).toBeGreaterThan(0); // the headers and part of the body had arrived
    await expect.poll(() => writer?.closed, { timeout: 2_000 }).toBe(true);
  }, 10_000);
});
