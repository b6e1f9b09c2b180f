import { createServer as createNetServer, type AddressInfo } from "node:net";
import { afterAll, afterEach, beforeAll, describe, expect, it } from "vitest";
import createClient from "openapi-fetch";
import { Request as UndiciRequest } from "undici";
import { createTestPki, type TestPki } from "../support/certs.js";
import { createTransport, TransportClosedError, type Transport, type TransportOptions } from "../../src/transport/transport.js";
import { createLogger, SecretRegistry, type Logger } from "../../src/logging/logger.js";
import { ResponseTooLargeError } from "../../src/errors/response-too-large.js";
import { InvalidResponseError } from "../../src/errors/invalid-response.js";
import { serializePath } from "../../src/paths/path-serializer.js";
import { startConnectProxy, startHttpServer, startHttpsServer, type TestProxy, type TestServer } from "./servers.js";

interface LogLine {
  level: string;
  msg: string;
}

function recordingLogger(): { logger: Logger; lines: LogLine[] } {
  const lines: LogLine[] = [];
  const hook = (level: string) => (msg: string) => lines.push({ level, msg });
  const logger = createLogger(
    { debug: hook("debug"), info: hook("info"), warn: hook("warn"), error: hook("error") },
    new SecretRegistry(),
  );
  return { logger, lines };
}

const open: Transport[] = [];
function transport(options: TransportOptions, logger: Logger = recordingLogger().logger): Transport {
  const t = createTransport(options, logger);
  open.push(t);
  return t;
}

function causeCode(error: unknown): string {
  let e: unknown = error;
  for (let i = 0; i < 5 && e && typeof e === "object"; i++) {
    const code = (e as { code?: unknown }).code;
    if (typeof code === "string") return code;
    e = (e as { cause?: unknown }).cause;
  }
  return "";
}

let pki: TestPki;
let server: TestServer;
let mtlsServer: TestServer;
let optionalCertServer: TestServer;

beforeAll(async () => {
  pki = createTestPki();
  const tls = { cert: pki.serverCert, key: pki.serverKey };
  server = await startHttpsServer(tls);
  mtlsServer = await startHttpsServer({ ...tls, ca: pki.caCert, requestCert: true, rejectUnauthorized: true });
  optionalCertServer = await startHttpsServer({ ...tls, ca: pki.caCert, requestCert: true, rejectUnauthorized: false });
});

afterEach(async () => {
  await Promise.all(open.splice(0).map((t) => t.close()));
});

afterAll(async () => {
  await Promise.all([server?.close(), mtlsServer?.close(), optionalCertServer?.close()]);
  pki?.cleanup();
});

describe("TLS", () => {
  it("refuses a server whose certificate comes from an unknown CA by default", async () => {
    const t = transport({ proxy: false });
    const error = await t.fetch(`${server.url}/x`).then(
      () => undefined,
      (e: unknown) => e,
    );
    expect(error).toBeDefined();
    expect(causeCode(error)).toMatch(/SELF_SIGNED|UNABLE_TO_VERIFY|CERT/);
  });

  it("accepts the server when its CA is given with `ca`", async () => {
    const t = transport({ proxy: false, ca: pki.caCert });
    const res = await t.fetch(`${server.url}/with-ca`);
    expect(res.status).toBe(200);
    expect(await res.json()).toEqual({ ok: true, url: "/with-ca" });
  });

  it("accepts any certificate with insecureSkipVerify and warns exactly once per transport", async () => {
    const a = recordingLogger();
    const b = recordingLogger();
    const t1 = transport({ proxy: false, insecureSkipVerify: true }, a.logger);
    const t2 = transport({ proxy: false, insecureSkipVerify: true }, b.logger);
    for (let i = 0; i < 3; i++) expect((await t1.fetch(`${server.url}/i${i}`)).status).toBe(200);
    expect(a.lines.filter((l) => l.level === "warn")).toHaveLength(1);
    expect(a.lines[0]?.msg).toMatch(/verification is disabled/);
    // The second transport has its own flag: it warns on its own first request.
    expect(b.lines).toHaveLength(0);
    await t2.fetch(`${server.url}/j`);
    await t2.fetch(`${server.url}/k`);
    expect(b.lines.filter((l) => l.level === "warn")).toHaveLength(1);
    expect(a.lines).toHaveLength(1);
  });

  it("never warns when verification is on", async () => {
    const log = recordingLogger();
    const t = transport({ proxy: false, ca: pki.caCert }, log.logger);
    await t.fetch(`${server.url}/quiet`);
    expect(log.lines).toHaveLength(0);
  });

  it("presents the client certificate to a server that requires one (mTLS)", async () => {
    const withCert = transport({ proxy: false, ca: pki.caCert, cert: pki.clientCert, key: pki.clientKey });
    const res = await withCert.fetch(`${mtlsServer.url}/mtls`);
    expect(res.status).toBe(200);
    expect(mtlsServer.requests.at(-1)?.clientCertCN).toBe("api-user");

    const withoutCert = transport({ proxy: false, ca: pki.caCert });
    await expect(withoutCert.fetch(`${mtlsServer.url}/mtls`)).rejects.toThrow();
  });

  it("keeps TLS settings per transport: two transports side by side do not share CA or client certificate", async () => {
    const trusted = transport({ proxy: false, ca: pki.caCert, cert: pki.clientCert, key: pki.clientKey });
    const untrusted = transport({ proxy: false });
    const noCert = transport({ proxy: false, ca: pki.caCert });

    const [ok, refused, anonymous] = await Promise.allSettled([
      trusted.fetch(`${optionalCertServer.url}/a`),
      untrusted.fetch(`${optionalCertServer.url}/b`),
      noCert.fetch(`${optionalCertServer.url}/c`),
    ]);
    expect(ok.status).toBe("fulfilled");
    expect(refused.status).toBe("rejected");
    expect(anonymous.status).toBe("fulfilled");
    const byPath = new Map(optionalCertServer.requests.map((r) => [r.url, r.clientCertCN]));
    expect(byPath.get("/a")).toBe("api-user");
    expect(byPath.has("/b")).toBe(false);
    expect(byPath.get("/c")).toBeUndefined();
    // The trusted transport still works after the other one failed.
    expect((await trusted.fetch(`${optionalCertServer.url}/d`)).status).toBe(200);
  });

  it("reuses one keep-alive connection per transport and never shares it with another transport", async () => {
    const plain = await startHttpServer();
    try {
      const t1 = transport({ proxy: false });
      const t2 = transport({ proxy: false });
      for (let i = 0; i < 10; i++) await (await t1.fetch(`${plain.url}/k${i}`)).text();
      const t1Sockets = new Set(plain.requests.map((r) => r.socketId));
      // Sequential requests reuse pooled connections (undici may open a second one while the
      // first is being released, never one per request).
      expect(t1Sockets.size).toBeLessThanOrEqual(2);
      await (await t2.fetch(`${plain.url}/other`)).text();
      expect(t1Sockets.has(plain.requests.at(-1)?.socketId ?? -1)).toBe(false);
    } finally {
      await plain.close();
    }
  });
});

describe("connect timeout", () => {
  it("gives up on a server that accepts TCP but never completes the TLS handshake", async () => {
    const silent = createNetServer((socket) => {
      socket.on("error", () => {});
    });
    await new Promise<void>((resolve) => silent.listen(0, "127.0.0.1", resolve));
    const port = (silent.address() as AddressInfo).port;
    try {
      const t = transport({ proxy: false, ca: pki.caCert, connectTimeoutMs: 300 });
      const started = Date.now();
      const error = await t.fetch(`https://127.0.0.1:${port}/`).catch((e: unknown) => e);
      expect(causeCode(error)).toBe("UND_ERR_CONNECT_TIMEOUT");
      expect(Date.now() - started).toBeLessThan(3000);
    } finally {
      silent.close();
    }
  });
});

describe("proxy", () => {
  let proxy: TestProxy;
  const savedEnv = { ...process.env };

  beforeAll(async () => {
    proxy = await startConnectProxy();
  });
  afterAll(async () => {
    await proxy?.close();
  });
  afterEach(() => {
    for (const key of ["HTTPS_PROXY", "https_proxy", "HTTP_PROXY", "http_proxy", "NO_PROXY", "no_proxy"]) {
      if (savedEnv[key] === undefined) delete process.env[key];
      else process.env[key] = savedEnv[key];
    }
    proxy.connects.length = 0;
    proxy.proxyAuthorizations.length = 0;
  });

  it("routes requests through the proxy given by the `proxy` option (CONNECT tunnel, TLS still verified)", async () => {
    const before = server.requests.length;
    const t = transport({ proxy: proxy.url, ca: pki.caCert });
    for (let i = 0; i < 3; i++) expect((await t.fetch(`${server.url}/via-proxy-${i}`)).status).toBe(200);
    expect(proxy.connects.length).toBeGreaterThanOrEqual(1);
    expect(new Set(proxy.connects)).toEqual(new Set([`127.0.0.1:${server.port}`]));
    expect(server.requests.slice(before).map((r) => r.url)).toEqual(["/via-proxy-0", "/via-proxy-1", "/via-proxy-2"]);

    const untrusted = transport({ proxy: proxy.url });
    await expect(untrusted.fetch(`${server.url}/via-proxy-untrusted`)).rejects.toThrow();
  });

  it("sends proxy credentials from the proxy URL to the proxy only", async () => {
    const url = new URL(proxy.url);
    url.username = "proxyuser";
    url.password = "proxy-pass-canary";
    const t = transport({ proxy: url.href, ca: pki.caCert });
    await t.fetch(`${server.url}/auth-proxy`);
    expect(proxy.proxyAuthorizations[0]).toBe(`Basic ${Buffer.from("proxyuser:proxy-pass-canary").toString("base64")}`);
    expect(server.requests.at(-1)?.headers["proxy-authorization"]).toBeUndefined();
  });

  it("says a proxy URL without a scheme needs one", () => {
    expect(() => createTransport({ proxy: "proxy.corp:3128" }, recordingLogger().logger)).toThrow(/needs a scheme/);
  });

  it("refuses an invalid proxy URL without echoing it", () => {
    expect(() => createTransport({ proxy: "http://user:secret-canary@[bad" }, recordingLogger().logger)).toThrow(
      /not a valid URL/,
    );
    try {
      createTransport({ proxy: "http://user:secret-canary@[bad" }, recordingLogger().logger);
    } catch (e) {
      expect(String((e as Error).message)).not.toContain("secret-canary");
    }
  });

  it("takes HTTPS_PROXY from the environment when `proxy` is not set, and honours NO_PROXY", async () => {
    process.env.HTTPS_PROXY = proxy.url;
    delete process.env.https_proxy;
    delete process.env.NO_PROXY;
    delete process.env.no_proxy;
    const viaEnv = transport({ ca: pki.caCert });
    await viaEnv.fetch(`${server.url}/env-proxy`);
    expect(proxy.connects).toEqual([`127.0.0.1:${server.port}`]);

    process.env.NO_PROXY = "127.0.0.1";
    const bypass = transport({ ca: pki.caCert });
    await bypass.fetch(`${server.url}/no-proxy`);
    expect(proxy.connects).toHaveLength(1);
  });

  it("ignores proxy environment variables when proxy is false", async () => {
    process.env.HTTPS_PROXY = proxy.url;
    process.env.HTTP_PROXY = proxy.url;
    const direct = transport({ proxy: false, ca: pki.caCert });
    await direct.fetch(`${server.url}/direct`);
    expect(proxy.connects).toHaveLength(0);
  });
});

describe("response body limit", () => {
  let limited: TestServer;
  beforeAll(async () => {
    limited = await startHttpServer((req, res) => {
      const size = Number(new URL(req.url ?? "/", "http://x").searchParams.get("size") ?? "0");
      if (req.url?.startsWith("/declared")) {
        res.setHeader("content-length", String(size));
        res.end("a".repeat(size));
      } else if (req.url?.startsWith("/chunked")) {
        // No Content-Length: the body arrives in chunks and only counting can stop it.
        let sent = 0;
        const tick = (): void => {
          if (sent >= size || res.destroyed) return void res.end();
          const n = Math.min(1024, size - sent);
          sent += n;
          res.write("b".repeat(n), tick);
        };
        tick();
      } else if (req.url?.startsWith("/no-content")) {
        res.statusCode = 204;
        res.end();
      } else {
        res.setHeader("content-length", String(size));
        res.end(req.method === "HEAD" ? undefined : "c".repeat(size));
      }
    });
  });
  afterAll(async () => {
    await limited?.close();
  });

  it("rejects at once when Content-Length is above the limit", async () => {
    const t = transport({ proxy: false, maxResponseBytes: 1000 });
    const error = await t.fetch(`${limited.url}/declared?size=1001`).catch((e: unknown) => e);
    expect(error).toBeInstanceOf(ResponseTooLargeError);
    expect(error).toMatchObject({ kind: "INVALID_RESPONSE", limitBytes: 1000, receivedBytes: 1001, declared: true });
    expect((error as Error).message).toContain("/declared");
    expect((error as Error).message).not.toContain("size=");
  });

  it("accepts a body exactly at the limit", async () => {
    const t = transport({ proxy: false, maxResponseBytes: 1000 });
    const declared = await t.fetch(`${limited.url}/declared?size=1000`);
    expect((await declared.text()).length).toBe(1000);
    const chunked = await t.fetch(`${limited.url}/chunked?size=1000`);
    expect((await chunked.text()).length).toBe(1000);
  });

  it("fails a chunked body while reading once it passes the limit", async () => {
    const t = transport({ proxy: false, maxResponseBytes: 10_000 });
    const res = await t.fetch(`${limited.url}/chunked?size=50000`);
    expect(res.status).toBe(200);
    const error = await res.text().catch((e: unknown) => e);
    expect(error).toBeInstanceOf(ResponseTooLargeError);
    expect(error).toMatchObject({ declared: false, limitBytes: 10_000 });
    // json() fails the same way (no JSON parse error hiding the cause).
    const again = await t.fetch(`${limited.url}/chunked?size=50000`);
    await expect(again.json()).rejects.toBeInstanceOf(ResponseTooLargeError);
  });

  it("applies a 50 MiB default", async () => {
    const t = transport({ proxy: false });
    const error = await t.fetch(`${limited.url}/declared?size=${50 * 1024 * 1024 + 1}`).catch((e: unknown) => e);
    expect(error).toMatchObject({ limitBytes: 50 * 1024 * 1024 });
  });

  it("does not apply the limit to HEAD and 204 responses, which have no body", async () => {
    const t = transport({ proxy: false, maxResponseBytes: 10 });
    const head = await t.fetch(`${limited.url}/plain?size=5000`, { method: "HEAD" });
    expect(head.status).toBe(200);
    const none = await t.fetch(`${limited.url}/no-content`);
    expect(none.status).toBe(204);
    expect(await none.text()).toBe("");
  });

  it("rejects nonsensical limits", () => {
    expect(() => createTransport({ maxResponseBytes: 0 }, recordingLogger().logger)).toThrow(RangeError);
    expect(() => createTransport({ connectTimeoutMs: -1 }, recordingLogger().logger)).toThrow(RangeError);
  });
});

describe("fetch interface", () => {
  let echo: TestServer;
  beforeAll(async () => {
    echo = await startHttpServer((req, res) => {
      const chunks: Buffer[] = [];
      req.on("data", (c: Buffer) => chunks.push(c));
      req.on("end", () => {
        if (req.url === "/redirect") {
          res.statusCode = 302;
          res.setHeader("location", "https://elsewhere.example/");
          return void res.end();
        }
        res.setHeader("content-type", "application/json");
        res.setHeader("set-cookie", ["a=1; Path=/", "b=2; Path=/"]);
        res.end(
          JSON.stringify({
            method: req.method,
            url: req.url,
            body: Buffer.concat(chunks).toString(),
            contentLength: req.headers["content-length"] ?? null,
            custom: req.headers["x-custom"] ?? null,
          }),
        );
      });
    });
  });
  afterAll(async () => {
    await echo?.close();
  });

  it("accepts global Requests, undici Requests, strings and URLs, keeping method, headers and body", async () => {
    const t = transport({ proxy: false });
    const init = { method: "POST", body: '{"a":1}', headers: { "x-custom": "yes", "content-type": "application/json" } };
    for (const input of [
      new t.Request(`${echo.url}/g`, init),
      new UndiciRequest(`${echo.url}/u`, init) as unknown as Request,
    ]) {
      const res = await t.fetch(input);
      const body = (await res.json()) as Record<string, unknown>;
      expect(body).toMatchObject({ method: "POST", body: '{"a":1}', custom: "yes", contentLength: "7" });
    }
    const s = await t.fetch(`${echo.url}/s`, init);
    expect(await s.json()).toMatchObject({ url: "/s", body: '{"a":1}' });
    const u = await t.fetch(new URL(`${echo.url}/url`));
    expect(await u.json()).toMatchObject({ url: "/url", method: "GET" });
  });

  it("returns global Response objects with url and every Set-Cookie header", async () => {
    const t = transport({ proxy: false });
    const res = await t.fetch(`${echo.url}/cookies`);
    expect(res).toBeInstanceOf(Response);
    expect(res.url).toBe(`${echo.url}/cookies`);
    expect(res.headers.getSetCookie()).toEqual(["a=1; Path=/", "b=2; Path=/"]);
  });

  it("leaves redirects to the caller (redirect: manual returns the 3xx)", async () => {
    const t = transport({ proxy: false });
    const res = await t.fetch(`${echo.url}/redirect`, { redirect: "manual" });
    expect(res.status).toBe(302);
    expect(res.headers.get("location")).toBe("https://elsewhere.example/");
  });

  it("works as openapi-fetch's fetch and Request, including middleware that returns a fresh response", async () => {
    const t = transport({ proxy: false });
    interface Paths {
      "/items/{id}": {
        post: {
          parameters: { path: { id: string } };
          requestBody: { content: { "application/json": { n: number } } };
          responses: { 200: { content: { "application/json": { method: string; url: string; body: string } } } };
        };
      };
    }
    const client = createClient<Paths>({ baseUrl: echo.url, fetch: t.fetch, Request: t.Request, pathSerializer: serializePath });
    let replays = 0;
    client.use({
      async onResponse({ request }) {
        // What a retry middleware does: send again through the transport and hand that back.
        if (replays++ === 0) return t.fetch(new t.Request(request.url, { method: "POST", body: '{"n":2}', headers: request.headers }));
        return undefined;
      },
    });
    const { data } = await client.POST("/items/{id}", { params: { path: { id: "a b.c" } }, body: { n: 1 } });
    expect(data).toMatchObject({ method: "POST", url: "/items/a%20b.c/", body: '{"n":2}' });
  });
});

describe("malformed responses", () => {
  async function rawServer(reply: string, endAfter = true): Promise<{ url: string; close(): void }> {
    const srv = createNetServer((socket) => {
      socket.on("error", () => {});
      socket.once("data", () => (endAfter ? socket.end(reply) : socket.write(reply, () => socket.destroy())));
    });
    await new Promise<void>((resolve) => srv.listen(0, "127.0.0.1", resolve));
    return { url: `http://127.0.0.1:${(srv.address() as AddressInfo).port}`, close: () => srv.close() };
  }

  it("turns a status outside 200-599 into InvalidResponseError", async () => {
    const raw = await rawServer("HTTP/1.1 999 Odd\r\nContent-Length: 2\r\n\r\nhi");
    try {
      const error = await transport({ proxy: false }).fetch(`${raw.url}/odd`).catch((e: unknown) => e);
      expect(error).toBeInstanceOf(InvalidResponseError);
      expect(error).toMatchObject({ kind: "INVALID_RESPONSE", status: 999, urlPath: "/odd" });
    } finally {
      raw.close();
    }
  });

  it("rejects the body read (no crash) when the server closes the connection mid-body", async () => {
    const raw = await rawServer("HTTP/1.1 200 OK\r\nContent-Type: application/json\r\nContent-Length: 100\r\n\r\n{\"value\":[1,2", false);
    try {
      const res = await transport({ proxy: false }).fetch(`${raw.url}/cut`);
      expect(res.status).toBe(200);
      await expect(res.json()).rejects.toThrow();
    } finally {
      raw.close();
    }
  });
});

describe("close()", () => {
  it("fails in-flight requests, refuses new ones and is idempotent", async () => {
    const stalled = await startHttpServer((_req, res) => {
      res.write("partial");
      // never ends: only close() can finish this request
    });
    try {
      const t = transport({ proxy: false });
      const res = await t.fetch(`${stalled.url}/stall`);
      const reading = res.text();
      const started = Date.now();
      await t.close();
      await expect(reading).rejects.toThrow();
      expect(Date.now() - started).toBeLessThan(5000);
      await expect(t.fetch(`${stalled.url}/after`)).rejects.toBeInstanceOf(TransportClosedError);
      await t.close();
    } finally {
      await stalled.close();
    }
  });

  it("closes the pool's sockets", async () => {
    const plain = await startHttpServer();
    try {
      const t = transport({ proxy: false });
      await (await t.fetch(`${plain.url}/x`)).text();
      const socketClosed = new Promise<void>((resolve) => {
        const check = setInterval(() => {
          // the server sees the keep-alive socket end once the dispatcher is destroyed
          if (plain.sockets === 1) {
            clearInterval(check);
            resolve();
          }
        }, 5);
      });
      await socketClosed;
      await t.close();
      const [next] = await Promise.allSettled([t.fetch(`${plain.url}/y`)]);
      expect(next.status).toBe("rejected");
      expect(plain.requests).toHaveLength(1);
    } finally {
      await plain.close();
    }
  });
});

