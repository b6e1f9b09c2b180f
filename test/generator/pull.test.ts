// Pulling the gen2 document over HTTPS from a portal the test starts on 127.0.0.1.
import { readFileSync, readdirSync } from "node:fs";
import { join } from "node:path";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { authorizationFor, PORTAL_DOCUMENT_PATHS } from "../../scripts/steps/pull.js";
import { createTestPki, type TestPki } from "../support/certs.js";
import { fixture, generate, snapshotTree, tempDir, type TempDir } from "./harness.js";
import { startConnectProxy } from "../transport/servers.js";
import { sendJson, startHttpsServer, type TestServer } from "./https-server.js";

const CANARY = "canary-token-6f1d2c9e";
const gen2Text = readFileSync(fixture("gen2.swagger.json"), "utf8");
const otherSpecs = ["--spec", `gen1=${fixture("gen1.swagger.json")}`, "--spec", `pcloud=${fixture("pcloud.swagger.json")}`];

let pki: TestPki;
let tmp: TempDir;
const servers: TestServer[] = [];

beforeAll(() => {
  pki = createTestPki();
  tmp = tempDir();
});
afterAll(async () => {
  await Promise.all(servers.map((s) => s.close()));
  pki.cleanup();
  tmp.cleanup();
});

async function server(handler: Parameters<typeof startHttpsServer>[1]): Promise<TestServer> {
  const s = await startHttpsServer(pki, handler);
  servers.push(s);
  return s;
}

/** Serves the fixture only at the third candidate location, 404 elsewhere. */
async function portal(): Promise<TestServer> {
  return server((req, res) => {
    if (req.url === PORTAL_DOCUMENT_PATHS[2]) sendJson(res, 200, gen2Text);
    else sendJson(res, 404, '{"Message":"not found"}');
  });
}

function expectNoCanary(run: { stdout: string; stderr: string }): void {
  expect(run.stdout).not.toContain(CANARY);
  expect(run.stderr).not.toContain(CANARY);
}

describe("--pvwa over HTTPS with a self-signed CA", () => {
  it("refuses the certificate without --ca and suggests --ca", async () => {
    const s = await portal();
    const run = await generate(["--pvwa", `127.0.0.1:${s.port}`, ...otherSpecs, "--out", join(tmp.path, "refused")], {
      CYBERARK_TOKEN: CANARY,
    });
    expect(run.code).toBe(1);
    expect(run.stderr).toMatch(/^generate failed at step pull: TLS failure talking to https:\/\/127\.0\.0\.1:\d+\/PasswordVault\/swagger\/docs\/v1/);
    expect(run.stderr).toContain("--ca");
    expectNoCanary(run);
  });

  it("accepts it with --ca, probes the locations in order, stops at the first document and sends the raw token", async () => {
    const s = await portal();
    const out = join(tmp.path, "pulled");
    const run = await generate(
      ["--pvwa", `127.0.0.1:${s.port}`, "--ca", pki.caCertPath, ...otherSpecs, "--out", out],
      { CYBERARK_TOKEN: CANARY },
    );
    expect(run.stderr).toBe("");
    expect(run.code).toBe(0);
    expect(run.stdout).toMatch(/^✔ pull gen2 \(\d+ ms\)$/m);
    expect(s.seen.map((r) => r.path)).toEqual(PORTAL_DOCUMENT_PATHS.slice(0, 3));
    expect(s.seen.every((r) => r.authorization === CANARY)).toBe(true);
    const header = readFileSync(join(out, "gen2.ts"), "utf8").split("\n");
    expect(header[1]).toBe(`// Source: https://127.0.0.1:${s.port}/PasswordVault/swagger/swagger.json`);
    expectNoCanary(run);
    for (const [file, bytes] of snapshotTree(out)) expect(bytes.toString("utf8"), file).not.toContain(CANARY);
  });

  it("sends CYBERARK_AUTH_HEADER verbatim instead of the token", async () => {
    const s = await server((_req, res) => sendJson(res, 404, "{}"));
    const run = await generate(
      ["--pvwa", `127.0.0.1:${s.port}`, "--ca", pki.caCertPath, ...otherSpecs, "--out", join(tmp.path, "hdr")],
      { CYBERARK_TOKEN: "unused-token", CYBERARK_AUTH_HEADER: `CyberArk ${CANARY}` },
    );
    // Nothing to find there: we only look at what reached the server.
    expect(run.code).toBe(1);
    expect(s.seen).toHaveLength(PORTAL_DOCUMENT_PATHS.length);
    expect(s.seen[0]?.authorization).toBe(`CyberArk ${CANARY}`);
    expectNoCanary(run);
  });
});

describe("pull failures", () => {
  it("404 on every location: lists each URL tried with its outcome", async () => {
    const s = await server((_req, res) => sendJson(res, 404, "{}"));
    const out = join(tmp.path, "none");
    const run = await generate(["--pvwa", `127.0.0.1:${s.port}`, "--ca", pki.caCertPath, ...otherSpecs, "--out", out]);
    expect(run.code).toBe(1);
    expect(run.stderr).toMatch(/^generate failed at step pull: no Swagger\/OpenAPI document found on https:\/\/127\.0\.0\.1:\d+ /);
    for (const path of PORTAL_DOCUMENT_PATHS) {
      expect(run.stderr).toContain(`https://127.0.0.1:${s.port}${path} -> 404 Not Found`);
    }
    expect(() => readdirSync(out)).toThrow();
  });

  it("401 on the document: says it needs authentication and to set CYBERARK_TOKEN", async () => {
    const s = await server((req, res) =>
      req.url?.split("?")[0] === PORTAL_DOCUMENT_PATHS[0] ? sendJson(res, 401, '{"ErrorCode":"PASWS006E"}') : sendJson(res, 404, "{}"),
    );
    const run = await generate(["--pvwa", `127.0.0.1:${s.port}`, "--ca", pki.caCertPath, ...otherSpecs, "--out", join(tmp.path, "x")]);
    expect(run.code).toBe(1);
    expect(run.stderr).toContain(`${PORTAL_DOCUMENT_PATHS[0]} -> 401 Unauthorized (needs authentication)`);
    expect(run.stderr).toContain("set CYBERARK_TOKEN");

    const direct = await generate(
      ["--spec", `gen2=https://127.0.0.1:${s.port}${PORTAL_DOCUMENT_PATHS[0]}?x=1`, "--ca", pki.caCertPath, ...otherSpecs, "--out", join(tmp.path, "x")],
    );
    // The query string is left out of what is printed.
    expect(direct.stderr).toContain(
      `generate failed at step pull: https://127.0.0.1:${s.port}${PORTAL_DOCUMENT_PATHS[0]} answered 401 Unauthorized: ` +
        "the document needs authentication: set CYBERARK_TOKEN",
    );
  });

  it("401 with a token: says the credential was refused, without printing it", async () => {
    const s = await server((_req, res) => sendJson(res, 401, "{}"));
    const run = await generate(
      ["--spec", `gen2=https://127.0.0.1:${s.port}/doc.json`, "--ca", pki.caCertPath, ...otherSpecs, "--out", join(tmp.path, "x")],
      { CYBERARK_TOKEN: CANARY },
    );
    expect(run.code).toBe(1);
    expect(run.stderr).toContain("was refused");
    expectNoCanary(run);
  });

  it("an HTML page (sign-in page) instead of the document", async () => {
    const html = "<!DOCTYPE html><html><body><form>Sign in</form></body></html>";
    const s = await server((_req, res) => sendJson(res, 200, html, "text/html; charset=utf-8"));
    const direct = await generate(
      ["--spec", `gen2=https://127.0.0.1:${s.port}/PasswordVault/swagger/docs/v1`, "--ca", pki.caCertPath, ...otherSpecs, "--out", join(tmp.path, "x")],
    );
    expect(direct.code).toBe(1);
    expect(direct.stderr).toContain(
      "generate failed at step parse: the URL https://127.0.0.1:" + s.port +
        "/PasswordVault/swagger/docs/v1 returned an HTML page (probably a sign-in page), not a Swagger document.",
    );
    const probed = await generate(["--pvwa", `127.0.0.1:${s.port}`, "--ca", pki.caCertPath, ...otherSpecs, "--out", join(tmp.path, "x")]);
    expect(probed.stderr).toContain("-> 200 OK, but an HTML page (probably a sign-in page)");
  });

  it("invalid JSON: names line and column", async () => {
    const s = await server((_req, res) => sendJson(res, 200, '{\n  "swagger": "2.0",\n  "paths": {,}\n}'));
    const run = await generate(
      ["--spec", `gen2=https://127.0.0.1:${s.port}/doc.json`, "--ca", pki.caCertPath, ...otherSpecs, "--out", join(tmp.path, "x")],
    );
    expect(run.code).toBe(1);
    expect(run.stderr).toMatch(/^generate failed at step parse: the URL .* returned not valid JSON at line 3, column 13: /);
  });

  it("a server that never answers: times out after --timeout", async () => {
    const s = await server(() => undefined);
    const started = Date.now();
    const run = await generate(
      ["--pvwa", `127.0.0.1:${s.port}`, "--ca", pki.caCertPath, "--timeout", "300", ...otherSpecs, "--out", join(tmp.path, "x")],
    );
    expect(run.code).toBe(1);
    expect(run.stderr).toMatch(/^generate failed at step pull: no complete answer from https:\/\/127\.0\.0\.1:\d+\/PasswordVault\/swagger\/docs\/v1 within 300 ms \(timeout/);
    expect(Date.now() - started).toBeLessThan(5_000);
  });

  it("does not carry the credential to another origin on a redirect", async () => {
    // 127.0.0.1 and localhost are different origins served by the same test server.
    const s = await server((req, res) => {
      if (req.headers.host?.startsWith("127.0.0.1")) {
        res.writeHead(302, { location: `https://localhost:${(req.socket.localPort ?? 0).toString()}/moved` });
        res.end();
      } else sendJson(res, 404, "{}");
    });
    await generate(
      ["--spec", `gen2=https://127.0.0.1:${s.port}/doc.json`, "--ca", pki.caCertPath, ...otherSpecs, "--out", join(tmp.path, "x")],
      { CYBERARK_TOKEN: CANARY },
    );
    expect(s.seen.map((r) => [r.path, r.authorization])).toEqual([
      ["/doc.json", CANARY],
      ["/moved", undefined],
    ]);
  });
});

describe("proxy variables", () => {
  it("tunnels through HTTPS_PROXY", async () => {
    const s = await server((_req, res) => sendJson(res, 404, "{}"));
    const proxy = await startConnectProxy();
    const connects = proxy.connects;
    try {
      const proxyUrl = proxy.url;
      const run = await generate(
        ["--pvwa", `127.0.0.1:${s.port}`, "--ca", pki.caCertPath, ...otherSpecs, "--out", join(tmp.path, "proxied"), "--quiet"],
        { HTTPS_PROXY: proxyUrl },
      );
      // Every location answered 404 through the tunnel: the requests reached the server via the proxy.
      expect(run.stderr).toContain("-> 404 Not Found");
      expect(s.seen).toHaveLength(PORTAL_DOCUMENT_PATHS.length);
      expect(connects.length).toBeGreaterThan(0);
      expect(connects.every((c) => c === `127.0.0.1:${s.port}`)).toBe(true);

      // NO_PROXY exempts the host: no new tunnel.
      const before = connects.length;
      await generate(["--pvwa", `127.0.0.1:${s.port}`, "--ca", pki.caCertPath, ...otherSpecs, "--out", join(tmp.path, "p2")], {
        HTTPS_PROXY: proxyUrl,
        NO_PROXY: "127.0.0.1",
      });
      expect(connects.length).toBe(before);
      expect(s.seen).toHaveLength(2 * PORTAL_DOCUMENT_PATHS.length);
    } finally {
      await proxy.close();
    }
  });
});

describe("authorization header forms", () => {
  it("Bearer for Privilege Cloud, raw for PVWA, CYBERARK_AUTH_HEADER wins, nothing without variables", () => {
    expect(authorizationFor({ CYBERARK_TOKEN: "t0k" }, "bearer")).toBe("Bearer t0k");
    expect(authorizationFor({ CYBERARK_TOKEN: "Bearer t0k" }, "bearer")).toBe("Bearer t0k");
    expect(authorizationFor({ CYBERARK_TOKEN: "t0k" }, "raw")).toBe("t0k");
    expect(authorizationFor({ CYBERARK_TOKEN: "t0k", CYBERARK_AUTH_HEADER: "X y" }, "bearer")).toBe("X y");
    expect(authorizationFor({}, "raw")).toBeUndefined();
  });
});
