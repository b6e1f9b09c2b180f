import { subscribe, unsubscribe } from "node:diagnostics_channel";
import type { IncomingMessage, ServerResponse } from "node:http";
import { createServer as createNetServer, type AddressInfo } from "node:net";
import { afterAll, afterEach, beforeAll, describe, expect, it } from "vitest";
import { createTestPki, type TestPki } from "../support/certs.js";
import { Response as UndiciResponse } from "undici";
import { createTransport, TransportClosedError, type SendOptions, type Transport, type TransportOptions } from "../../src/transport/transport.js";
import type { HttpRequest } from "../../src/transport/http-request.js";
import { createLogger, SecretRegistry, type Logger } from "../../src/logging/logger.js";
import { CyberArkError } from "../../src/errors/base.js";
import { NetworkError } from "../../src/errors/network.js";
import { ResponseTooLargeError } from "../../src/errors/response-too-large.js";
import { InvalidResponseError } from "../../src/errors/invalid-response.js";
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
/** Sends and reads the whole body through the transport (what the client's pipeline does). */
async function readWhole(t: Transport, sent: HttpRequest, options?: SendOptions): Promise<ArrayBuffer> {
  const res = await t.send(sent, options);
  return t.read(res, sent, options);
}

function transport(options: TransportOptions, logger: Logger = recordingLogger().logger): Transport {
  const t = createTransport(options, logger);
  open.push(t);
  return t;
}

function request(method: string, url: string, init: { headers?: ConstructorParameters<typeof Headers>[0]; body?: string | Uint8Array | null } = {}): HttpRequest {
  return { method, url, headers: new Headers(init.headers), body: init.body ?? null };
}
const get = (url: string): HttpRequest => request("GET", url);

/** The settled outcome of a promise, caught at once (no unhandled rejection while a test awaits something else). */
function outcome<T>(promise: Promise<T>): Promise<{ value: T } | { error: unknown }> {
  return promise.then(
    (value) => ({ value }),
    (error: unknown) => ({ error }),
  );
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
  it("refuses a server whose certificate comes from an unknown CA by default, as a NetworkError with a hint", async () => {
    const t = transport({ proxy: false });
    const error = await t.send(get(`${server.url}/x`)).then(
      () => undefined,
      (e: unknown) => e,
    );
    expect(error).toBeInstanceOf(NetworkError);
    // The code is in the message (the NetworkError keeps no raw cause).
    expect((error as Error).message).toMatch(/SELF_SIGNED|UNABLE_TO_VERIFY|CERT/);
    expect((error as Error).message).toMatch(/tls\.ca/);
    expect(server.requests.some((r) => r.url === "/x")).toBe(false);
  });

  it("accepts the server when its CA is given with `ca`", async () => {
    const t = transport({ proxy: false, ca: pki.caCert });
    const res = await t.send(get(`${server.url}/with-ca`));
    expect(res.status).toBe(200);
    expect(await res.json()).toEqual({ ok: true, url: "/with-ca" });
  });

  it("accepts any certificate with insecureSkipVerify and warns exactly once per transport", async () => {
    const a = recordingLogger();
    const b = recordingLogger();
    const t1 = transport({ proxy: false, insecureSkipVerify: true }, a.logger);
    const t2 = transport({ proxy: false, insecureSkipVerify: true }, b.logger);
    for (let i = 0; i < 3; i++) expect((await t1.send(get(`${server.url}/i${i}`))).status).toBe(200);
    expect(a.lines.filter((l) => l.level === "warn")).toHaveLength(1);
    expect(a.lines[0]?.msg).toMatch(/verification is disabled/);
    // The second transport has its own flag: it warns on its own first request.
    expect(b.lines).toHaveLength(0);
    await t2.send(get(`${server.url}/j`));
    await t2.send(get(`${server.url}/k`));
    expect(b.lines.filter((l) => l.level === "warn")).toHaveLength(1);
    expect(a.lines).toHaveLength(1);
  });

  it("never warns when verification is on", async () => {
    const log = recordingLogger();
    const t = transport({ proxy: false, ca: pki.caCert }, log.logger);
    await t.send(get(`${server.url}/quiet`));
    expect(log.lines).toHaveLength(0);
  });

  it("presents the client certificate to a server that requires one (mTLS)", async () => {
    const withCert = transport({ proxy: false, ca: pki.caCert, cert: pki.clientCert, key: pki.clientKey });
    const res = await withCert.send(get(`${mtlsServer.url}/mtls`));
    expect(res.status).toBe(200);
    expect(mtlsServer.requests.at(-1)?.clientCertCN).toBe("api-user");

    const withoutCert = transport({ proxy: false, ca: pki.caCert });
    await expect(withoutCert.send(get(`${mtlsServer.url}/mtls`))).rejects.toBeInstanceOf(NetworkError);
  });

  it("keeps TLS settings per transport: two transports side by side do not share CA or client certificate", async () => {
    const trusted = transport({ proxy: false, ca: pki.caCert, cert: pki.clientCert, key: pki.clientKey });
    const untrusted = transport({ proxy: false });
    const noCert = transport({ proxy: false, ca: pki.caCert });

    const [ok, refused, anonymous] = await Promise.allSettled([
      trusted.send(get(`${optionalCertServer.url}/a`)),
      untrusted.send(get(`${optionalCertServer.url}/b`)),
      noCert.send(get(`${optionalCertServer.url}/c`)),
    ]);
    expect(ok.status).toBe("fulfilled");
    expect(refused.status).toBe("rejected");
    expect(anonymous.status).toBe("fulfilled");
    const byPath = new Map(optionalCertServer.requests.map((r) => [r.url, r.clientCertCN]));
    expect(byPath.get("/a")).toBe("api-user");
    expect(byPath.has("/b")).toBe(false);
    expect(byPath.get("/c")).toBeUndefined();
    // The trusted transport still works after the other one failed.
    expect((await trusted.send(get(`${optionalCertServer.url}/d`))).status).toBe(200);
  });

  it("reuses one keep-alive connection per transport and never shares it with another transport", async () => {
    const plain = await startHttpServer();
    try {
      const t1 = transport({ proxy: false });
      const t2 = transport({ proxy: false });
      for (let i = 0; i < 10; i++) await (await t1.send(get(`${plain.url}/k${i}`))).text();
      const t1Sockets = new Set(plain.requests.map((r) => r.socketId));
      // Sequential requests reuse pooled connections (undici may open a second one while the
      // first is being released, never one per request).
      expect(t1Sockets.size).toBeLessThanOrEqual(2);
      await (await t2.send(get(`${plain.url}/other`))).text();
      expect(t1Sockets.has(plain.requests.at(-1)?.socketId ?? -1)).toBe(false);
    } finally {
      await plain.close();
    }
  });
});

describe("connect timeout and unreachable servers", () => {
  it("gives up on a server that accepts TCP but never completes the TLS handshake", async () => {
    const silent = createNetServer((socket) => {
      socket.on("error", () => {});
    });
    await new Promise<void>((resolve) => silent.listen(0, "127.0.0.1", resolve));
    const port = (silent.address() as AddressInfo).port;
    try {
      const t = transport({ proxy: false, ca: pki.caCert, connectTimeoutMs: 300 });
      const started = Date.now();
      const error = await t.send(get(`https://127.0.0.1:${port}/`)).catch((e: unknown) => e);
      expect(error).toBeInstanceOf(NetworkError);
      expect((error as Error).message).toContain("UND_ERR_CONNECT_TIMEOUT");
      expect(Date.now() - started).toBeLessThan(3000);
    } finally {
      silent.close();
    }
  });

  it("turns a refused connection into a retriable NetworkError naming the method, path and host", async () => {
    const gone = createNetServer();
    await new Promise<void>((resolve) => gone.listen(0, "127.0.0.1", resolve));
    const port = (gone.address() as AddressInfo).port;
    await new Promise<void>((resolve) => gone.close(() => resolve()));
    const error = await transport({ proxy: false })
      .send(request("PUT", `http://127.0.0.1:${port}/API/Thing?x=1`, { body: "{}" }))
      .catch((e: unknown) => e);
    expect(error).toBeInstanceOf(NetworkError);
    expect(error).toMatchObject({ kind: "NETWORK_ERROR", method: "PUT", urlPath: "/API/Thing?x=1", retriable: true });
    expect((error as Error).message).toContain(`PUT /API/Thing?x=1 got no response from 127.0.0.1:${port}`);
    expect((error as Error).message).toContain("ECONNREFUSED");
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
    for (let i = 0; i < 3; i++) expect((await t.send(get(`${server.url}/via-proxy-${i}`))).status).toBe(200);
    expect(proxy.connects.length).toBeGreaterThanOrEqual(1);
    expect(new Set(proxy.connects)).toEqual(new Set([`127.0.0.1:${server.port}`]));
    expect(server.requests.slice(before).map((r) => r.url)).toEqual(["/via-proxy-0", "/via-proxy-1", "/via-proxy-2"]);

    const untrusted = transport({ proxy: proxy.url });
    await expect(untrusted.send(get(`${server.url}/via-proxy-untrusted`))).rejects.toBeInstanceOf(NetworkError);
  });

  it("sends proxy credentials from the proxy URL to the proxy only", async () => {
    const url = new URL(proxy.url);
    url.username = "proxyuser";
    url.password = "proxy-pass-canary";
    const t = transport({ proxy: url.href, ca: pki.caCert });
    await t.send(get(`${server.url}/auth-proxy`));
    expect(proxy.proxyAuthorizations[0]).toBe(`Basic ${Buffer.from("proxyuser:proxy-pass-canary").toString("base64")}`);
    expect(server.requests.at(-1)?.url).toBe("/auth-proxy");
    expect(server.requests.at(-1)?.headers["proxy-authorization"]).toBeUndefined();
  });

  it("says a proxy URL without a scheme needs one", () => {
    expect(() => createTransport({ proxy: "proxy.corp:3128" }, recordingLogger().logger)).toThrow(/needs a scheme/);
  });

  it("refuses an invalid proxy URL without echoing it", () => {
    let error: unknown;
    try {
      createTransport({ proxy: "http://user:secret-canary@[bad" }, recordingLogger().logger);
    } catch (e) {
      error = e;
    }
    expect(error).toBeInstanceOf(Error);
    expect((error as Error).message).toMatch(/not a valid URL/);
    expect((error as Error).message).not.toContain("secret-canary");
  });

  it("takes HTTPS_PROXY from the environment when `proxy` is not set, and honours NO_PROXY", async () => {
    process.env.HTTPS_PROXY = proxy.url;
    delete process.env.https_proxy;
    delete process.env.NO_PROXY;
    delete process.env.no_proxy;
    const viaEnv = transport({ ca: pki.caCert });
    await viaEnv.send(get(`${server.url}/env-proxy`));
    expect(proxy.connects).toEqual([`127.0.0.1:${server.port}`]);

    process.env.NO_PROXY = "127.0.0.1";
    const bypass = transport({ ca: pki.caCert });
    await bypass.send(get(`${server.url}/no-proxy`));
    expect(proxy.connects).toHaveLength(1);
    expect(server.requests.at(-1)?.url).toBe("/no-proxy");
  });

  it("ignores proxy environment variables when proxy is false", async () => {
    process.env.HTTPS_PROXY = proxy.url;
    process.env.HTTP_PROXY = proxy.url;
    const direct = transport({ proxy: false, ca: pki.caCert });
    await direct.send(get(`${server.url}/direct`));
    expect(proxy.connects).toHaveLength(0);
    expect(server.requests.at(-1)?.url).toBe("/direct");
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
    const error = await t.send(get(`${limited.url}/declared?size=1001`)).catch((e: unknown) => e);
    expect(error).toBeInstanceOf(ResponseTooLargeError);
    expect(error).toMatchObject({ kind: "INVALID_RESPONSE", limitBytes: 1000, receivedBytes: 1001, declared: true });
    expect((error as Error).message).toContain("/declared");
    // Safe URL text (logging/url-text.ts): the query stays, values of secret-named keys would be replaced.
    expect((error as Error).message).toContain("/declared?size=1001");
  });

  it("accepts a body exactly at the limit, read later or inside the send", async () => {
    const t = transport({ proxy: false, maxResponseBytes: 1000 });
    const declared = await t.send(get(`${limited.url}/declared?size=1000`));
    expect((await declared.text()).length).toBe(1000);
    const chunked = await t.send(get(`${limited.url}/chunked?size=1000`));
    expect((await chunked.text()).length).toBe(1000);
    const read = await readWhole(t, get(`${limited.url}/chunked?size=1000`));
    expect(read.byteLength).toBe(1000);
  });

  it("fails a chunked body while reading once it passes the limit", async () => {
    const t = transport({ proxy: false, maxResponseBytes: 10_000 });
    const res = await t.send(get(`${limited.url}/chunked?size=50000`));
    expect(res.status).toBe(200);
    const error = await res.text().catch((e: unknown) => e);
    expect(error).toBeInstanceOf(ResponseTooLargeError);
    expect(error).toMatchObject({ declared: false, limitBytes: 10_000 });
    // json() fails the same way (no JSON parse error hiding the cause).
    const again = await t.send(get(`${limited.url}/chunked?size=50000`));
    await expect(again.json()).rejects.toBeInstanceOf(ResponseTooLargeError);
  });

  it("read() fails with ResponseTooLargeError (not a NetworkError) once the body passes the limit", async () => {
    const t = transport({ proxy: false, maxResponseBytes: 10_000 });
    const error = await readWhole(t, get(`${limited.url}/chunked?size=50000`)).catch((e: unknown) => e);
    expect(error).toBeInstanceOf(ResponseTooLargeError);
    expect(error).toMatchObject({ declared: false, limitBytes: 10_000 });
  });

  it("applies a 50 MiB default", async () => {
    const t = transport({ proxy: false });
    const error = await t.send(get(`${limited.url}/declared?size=${50 * 1024 * 1024 + 1}`)).catch((e: unknown) => e);
    expect(error).toBeInstanceOf(ResponseTooLargeError);
    expect(error).toMatchObject({ limitBytes: 50 * 1024 * 1024 });
  });

  it("does not apply the limit to HEAD and 204 responses, which have no body", async () => {
    const t = transport({ proxy: false, maxResponseBytes: 10 });
    const head = await t.send(request("HEAD", `${limited.url}/plain?size=5000`));
    expect(head.status).toBe(200);
    expect(head.body).toBeNull();
    const none = await t.send(get(`${limited.url}/no-content`));
    expect(none.status).toBe(204);
    expect(await none.text()).toBe("");
    expect((await readWhole(t, get(`${limited.url}/no-content`))).byteLength).toBe(0);
  });

  it("rejects nonsensical limits", () => {
    expect(() => createTransport({ maxResponseBytes: 0 }, recordingLogger().logger)).toThrow(RangeError);
    expect(() => createTransport({ connectTimeoutMs: -1 }, recordingLogger().logger)).toThrow(RangeError);
  });
});

describe("send", () => {
  let echo: TestServer;
  beforeAll(async () => {
    echo = await startHttpServer((req, res) => {
      const chunks: Buffer[] = [];
      req.on("data", (c: Buffer) => chunks.push(c));
      req.on("end", () => {
        if (req.url === "/redirect") {
          res.statusCode = 302;
          res.setHeader("location", "/cookies");
          res.setHeader("set-cookie", "r=1; Path=/");
          return void res.end("moved");
        }
        res.setHeader("content-type", "application/json");
        res.setHeader("set-cookie", ["a=1; Path=/", "b=2; Path=/"]);
        res.end(
          JSON.stringify({
            method: req.method,
            url: req.url,
            body: Buffer.concat(chunks).toString("hex"),
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

  it("sends the method, headers and body (string or bytes) exactly as given, with a Content-Length", async () => {
    const t = transport({ proxy: false });
    const headers = { "x-custom": "yes", "content-type": "application/json" };
    const text = await t.send(request("POST", `${echo.url}/s`, { headers, body: '{"a":1}' }));
    expect(await text.json()).toEqual({
      method: "POST",
      url: "/s",
      body: Buffer.from('{"a":1}').toString("hex"),
      contentLength: "7",
      custom: "yes",
    });
    const bytes = new Uint8Array([0, 1, 2, 250, 255]);
    const binary = await t.send(request("PUT", `${echo.url}/b?q=1`, { headers, body: bytes }));
    expect(await binary.json()).toEqual({ method: "PUT", url: "/b?q=1", body: "000102faff", contentLength: "5", custom: "yes" });
    const none = await t.send(get(`${echo.url}/g`));
    expect(await none.json()).toMatchObject({ method: "GET", url: "/g", body: "", custom: null });
  });

  it("can send the same request object twice (what a retry or a 307 does)", async () => {
    const t = transport({ proxy: false });
    const once = request("POST", `${echo.url}/twice`, { body: new TextEncoder().encode("same bytes") });
    const first = (await (await t.send(once)).json()) as { body: string };
    const second = (await (await t.send(once)).json()) as { body: string };
    expect(first.body).toBe(Buffer.from("same bytes").toString("hex"));
    expect(second.body).toBe(first.body);
  });

  it("returns undici's Response objects (the fetch API) with url and every Set-Cookie header; read() gives the whole body", async () => {
    const t = transport({ proxy: false });
    for (const readBody of [false, true]) {
      const sent = get(`${echo.url}/cookies`);
      const res = await t.send(sent);
      expect(res).toBeInstanceOf(UndiciResponse);
      expect(res.url).toBe(`${echo.url}/cookies`);
      expect(res.redirected).toBe(false);
      expect(res.headers.getSetCookie()).toEqual(["a=1; Path=/", "b=2; Path=/"]);
      const body = readBody ? JSON.parse(new TextDecoder().decode(await t.read(res, sent))) : await res.json();
      expect(body).toMatchObject({ url: "/cookies" });
    }
  });

  it("returns redirects to the caller instead of following them", async () => {
    const t = transport({ proxy: false });
    const before = echo.requests.length;
    const res = await t.send(get(`${echo.url}/redirect`));
    expect(res.status).toBe(302);
    expect(res.headers.get("location")).toBe("/cookies");
    expect(res.headers.getSetCookie()).toEqual(["r=1; Path=/"]);
    expect(await res.text()).toBe("moved");
    expect(echo.requests.slice(before).map((r) => r.url)).toEqual(["/redirect"]);
  });
});

describe("cancellation", () => {
  /** What the server saw of one request: when it arrived, when the first body bytes left, when the connection ended. */
  interface Arrival {
    res: ServerResponse;
    /** The headers (and the first body bytes, for the stalling paths) were handed to the socket. */
    flushed: Promise<void>;
    /** The server-side response ended without completing: the client dropped the request. */
    closed: Promise<void>;
  }
  let stalling: TestServer;
  const arrivals = new Map<string, (arrival: Arrival) => void>();
  const arrivalOf = (path: string): Promise<Arrival> => new Promise((resolve) => arrivals.set(path, resolve));

  beforeAll(async () => {
    stalling = await startHttpServer((req: IncomingMessage, res: ServerResponse) => {
      const path = req.url ?? "";
      let flushedResolve!: () => void;
      const flushed = new Promise<void>((resolve) => (flushedResolve = resolve));
      const closed = new Promise<void>((resolve) => res.once("close", () => resolve()));
      if (path.startsWith("/headers-stall")) {
        // Never answers: only the client can end this one.
        flushedResolve();
      } else if (path.startsWith("/body-stall-chunked")) {
        res.writeHead(200, { "content-type": "text/plain" });
        res.write("partial", () => flushedResolve());
      } else if (path.startsWith("/body-stall-declared")) {
        res.writeHead(200, { "content-type": "text/plain", "content-length": "100" });
        res.write("partial", () => flushedResolve());
      } else {
        res.end("ok");
        flushedResolve();
      }
      arrivals.get(path)?.({ res, flushed, closed });
    });
  });
  afterAll(async () => {
    await stalling?.close();
  });

  /** Resolves once undici (client side) has parsed the response headers of a request to `path`. */
  function clientHeaders(path: string): Promise<void> {
    return new Promise((resolve) => {
      const onHeaders = (message: unknown): void => {
        if ((message as { request?: { path?: string } }).request?.path !== path) return;
        unsubscribe("undici:request:headers", onHeaders);
        resolve();
      };
      subscribe("undici:request:headers", onHeaders);
    });
  }

  it("rejects with the signal's reason, as it is, when the signal aborted before the request (nothing is sent)", async () => {
    const t = transport({ proxy: false });
    const controller = new AbortController();
    const reason = new Error("stop-before");
    controller.abort(reason);
    const before = stalling.requests.length;
    await expect(t.send(get(`${stalling.url}/never`), { signal: controller.signal })).rejects.toBe(reason);
    // A signal aborted without a reason: its default AbortError DOMException, as it is.
    const plain = new AbortController();
    plain.abort();
    await expect(t.send(get(`${stalling.url}/never`), { signal: plain.signal })).rejects.toBe(plain.signal.reason);
    expect(stalling.requests.length).toBe(before);
  });

  it("rejects with the reason while waiting for the headers, and drops the request on the wire", async () => {
    const t = transport({ proxy: false });
    const controller = new AbortController();
    const reason = new Error("stop-waiting-for-headers");
    const arrived = arrivalOf("/headers-stall");
    const sending = outcome(t.send(get(`${stalling.url}/headers-stall`), { signal: controller.signal }));
    const arrival = await arrived;
    controller.abort(reason);
    expect(await sending).toEqual({ error: reason });
    await arrival.closed;
    expect(arrival.res.writableFinished).toBe(false);
  }, 5000);

  it("read() rejects with the reason while the body stalls after the headers", async () => {
    const t = transport({ proxy: false });
    for (const path of ["/body-stall-chunked?read", "/body-stall-declared?read"]) {
      const controller = new AbortController();
      const reason = new Error(`stop-reading ${path}`);
      const arrived = arrivalOf(path);
      const headersSeen = clientHeaders(path);
      const sending = outcome(readWhole(t, get(`${stalling.url}${path}`), { signal: controller.signal }));
      const arrival = await arrived;
      await arrival.flushed;
      // The headers reached the client: the send is now reading the body, which never completes.
      await headersSeen;
      controller.abort(reason);
      expect(await sending).toEqual({ error: reason });
      await arrival.closed;
      expect(arrival.res.writableFinished).toBe(false);
    }
  }, 5000);

  it("without read(), ends the caller's own body read promptly with the reason when the body stalls after the headers", async () => {
    const t = transport({ proxy: false });
    for (const path of ["/body-stall-chunked?stream", "/body-stall-declared?stream"]) {
      // Reading started before the abort, and reading only after it.
      for (const readFirst of [true, false]) {
        const controller = new AbortController();
        const reason = new Error(`stop-streaming ${path} ${readFirst}`);
        const arrived = arrivalOf(path);
        const res = await t.send(get(`${stalling.url}${path}`), { signal: controller.signal });
        expect(res.status).toBe(200);
        expect(res).toBeInstanceOf(UndiciResponse);
        const arrival = await arrived;
        await arrival.flushed;
        const early = readFirst ? outcome(res.text()) : undefined;
        controller.abort(reason);
        const reading = early ?? outcome(res.text());
        expect(await reading).toEqual({ error: reason });
        await arrival.closed;
      }
    }
  }, 5000);

  it("leaves a request alone once its signal is no longer needed (a later abort changes nothing)", async () => {
    const t = transport({ proxy: false });
    const controller = new AbortController();
    const bytes = await readWhole(t, get(`${stalling.url}/done`), { signal: controller.signal });
    controller.abort(new Error("too late"));
    expect(new TextDecoder().decode(bytes)).toBe("ok");
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
      const error = await transport({ proxy: false }).send(get(`${raw.url}/odd`)).catch((e: unknown) => e);
      expect(error).toBeInstanceOf(InvalidResponseError);
      expect(error).toMatchObject({ kind: "INVALID_RESPONSE", status: 999, urlPath: "/odd" });
    } finally {
      raw.close();
    }
  });

  const cut = 'HTTP/1.1 200 OK\r\nContent-Type: application/json\r\nContent-Length: 100\r\n\r\n{"value":[1,2';

  it("rejects the body read (no crash) when the server closes the connection mid-body", async () => {
    const raw = await rawServer(cut, false);
    try {
      const res = await transport({ proxy: false }).send(get(`${raw.url}/cut`));
      expect(res.status).toBe(200);
      await expect(res.json()).rejects.toThrow();
    } finally {
      raw.close();
    }
  });

  it("read() of a body cut mid-way fails with a retriable NetworkError, not a raw TypeError", async () => {
    const raw = await rawServer(cut, false);
    try {
      const error = await readWhole(transport({ proxy: false }), request("POST", `${raw.url}/cut?a=1`, { body: "{}" })).catch((e: unknown) => e);
      expect(error).toBeInstanceOf(NetworkError);
      expect(error).toBeInstanceOf(CyberArkError);
      expect(error).not.toBeInstanceOf(TypeError);
      expect(error).toMatchObject({ kind: "NETWORK_ERROR", method: "POST", urlPath: "/cut?a=1", retriable: true });
      expect((error as Error).message).toMatch(/closed before the whole response arrived|terminated|ECONNRESET|UND_ERR_SOCKET/);
    } finally {
      raw.close();
    }
  });
});

describe("close()", () => {
  it("fails in-flight requests, refuses new ones and is idempotent", async () => {
    let arrivedResolve!: () => void;
    const allArrived = new Promise<void>((resolve) => (arrivedResolve = resolve));
    let arrived = 0;
    const stalled = await startHttpServer((req, res) => {
      if (req.url === "/no-headers") {
        // never answers
      } else {
        res.write("partial");
        // never ends: only close() can finish this request
      }
      if (++arrived === 3) arrivedResolve();
    });
    try {
      const t = transport({ proxy: false });
      const res = await t.send(get(`${stalled.url}/stall`));
      const reading = outcome(res.text());
      const waitingForHeaders = outcome(t.send(get(`${stalled.url}/no-headers`)));
      const readingInSend = outcome(readWhole(t, get(`${stalled.url}/stall-read`)));
      await allArrived;
      const started = Date.now();
      await t.close();
      expect(await reading).toHaveProperty("error");
      // A send still in flight rejects with TransportClosedError, whether waiting for headers or reading the body.
      expect(((await waitingForHeaders) as { error: unknown }).error).toBeInstanceOf(TransportClosedError);
      expect(((await readingInSend) as { error: unknown }).error).toBeInstanceOf(TransportClosedError);
      expect(Date.now() - started).toBeLessThan(5000);
      await expect(t.send(get(`${stalled.url}/after`))).rejects.toBeInstanceOf(TransportClosedError);
      await t.close();
      expect(stalled.requests.map((r) => r.url)).not.toContain("/after");
    } finally {
      await stalled.close();
    }
  });

  it("closes the pool's sockets", async () => {
    let socketClosed: Promise<void> | undefined;
    const plain = await startHttpServer((req, res) => {
      socketClosed ??= new Promise<void>((resolve) => req.socket.once("close", () => resolve()));
      res.end("x");
    });
    try {
      const t = transport({ proxy: false });
      await (await t.send(get(`${plain.url}/x`))).text();
      expect(plain.sockets).toBe(1);
      await t.close();
      // The idle keep-alive socket ends now, not after undici's or the server's idle timeout (4-5 s,
      // beyond this test's time limit).
      await socketClosed;
      const [next] = await Promise.allSettled([t.send(get(`${plain.url}/y`))]);
      expect(next.status).toBe("rejected");
      expect(plain.requests).toHaveLength(1);
      expect(plain.sockets).toBe(1);
    } finally {
      await plain.close();
    }
  }, 2000);
});
