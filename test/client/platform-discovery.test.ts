import { createServer, type IncomingMessage, type Server, type ServerResponse } from "node:http";
import type { AddressInfo, Socket } from "node:net";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { createCyberArkClient, discoverPrivilegeCloud, platformToken, resolveDeployment } from "../../src/index.js";
import { subdomainOf } from "../../src/discovery/platform-discovery.js";
import { createTestPki, type TestPki } from "../support/certs.js";
import { startConnectProxy, startHttpsServer, type TestServer } from "../transport/servers.js";

type Handler = (req: IncomingMessage, res: ServerResponse) => void;
const routes = new Map<string, Handler>();
const seen: string[] = [];
/** Connections to the discovery server that are still open. */
const openSockets = new Set<Socket>();
let server: Server;
let discoveryUrl: string;

const json = (body: unknown, status = 200): Handler => (_req, res) => {
  res.writeHead(status, { "content-type": "application/json" });
  res.end(JSON.stringify(body));
};

beforeAll(async () => {
  server = createServer((req, res) => {
    seen.push(req.url ?? "");
    const handler = routes.get(req.url ?? "");
    if (handler) return handler(req, res);
    res.writeHead(404, { "content-type": "application/json" });
    res.end(JSON.stringify({ error: "not found" }));
  });
  server.on("connection", (socket: Socket) => {
    openSockets.add(socket);
    socket.on("close", () => openSockets.delete(socket));
  });
  await new Promise<void>((resolve) => server.listen(0, "127.0.0.1", resolve));
  discoveryUrl = `http://127.0.0.1:${(server.address() as AddressInfo).port}`;
});

afterAll(async () => {
  server.closeAllConnections();
  await new Promise((resolve) => server.close(resolve));
});

const at = (path: string, handler: Handler): void => void routes.set(`/api/v2/services/subdomain/${path}`, handler);
// proxy: false, so that an HTTP_PROXY of the machine running the tests never stands between them and 127.0.0.1.
const options = () => ({ discoveryUrl, allowInsecureHttp: true, proxy: false as const });
const answer = (subdomain: string) => json({ pcloud: { api: `https://${subdomain}.privilegecloud.cyberark.cloud/api` } });

/** Polls until `check` holds, failing after `ms`. */
async function eventually(check: () => boolean, ms: number, what: string): Promise<void> {
  const until = performance.now() + ms;
  while (!check()) {
    if (performance.now() > until) throw new Error(`not within ${ms} ms: ${what}`);
    await new Promise((resolve) => setTimeout(resolve, 10));
  }
}

describe("discoverPrivilegeCloud", () => {
  it("reads the keyed answer (psPAS shape) into a deployment the client accepts", async () => {
    at("mycompany", json({
      pcloud: { ui: "https://mycompany.cyberark.cloud/privilegecloud/", api: "https://mycompany.privilegecloud.cyberark.cloud/api" },
      identity_user_portal: { ui: "https://abc1234.id.cyberark.cloud/", api: "https://abc1234.id.cyberark.cloud/" },
      identity_administration: { api: "https://abc1234.id.cyberark.cloud/admin" },
      jit: { api: "https://mycompany.dpa.cyberark.cloud/api" },
    }));
    const found = await discoverPrivilegeCloud("https://mycompany.cyberark.cloud/privilegecloud/", options());
    expect(found).toMatchObject({
      subdomain: "mycompany",
      privilegeCloudUrl: "https://mycompany.privilegecloud.cyberark.cloud",
      identityUrl: "https://abc1234.id.cyberark.cloud",
    });
    expect(found.services["jit"]).toBe("https://mycompany.dpa.cyberark.cloud/api");
    const resolved = resolveDeployment(found.deployment);
    expect(resolved.gen2Base).toBe("https://mycompany.privilegecloud.cyberark.cloud/PasswordVault/API");
    expect(resolved.pcloudBase).toBe("https://mycompany.privilegecloud.cyberark.cloud/api");
    expect(resolved.identityUrl).toBe("https://abc1234.id.cyberark.cloud");
    // The client builds from it without any request (platform token logon needs the Identity URL).
    const client = createCyberArkClient({ deployment: found.deployment, auth: platformToken({ clientId: "svc@cyberark.cloud.1", clientSecret: "canary-secret" }) });
    await client.close();
  });

  it("reads the list answer (services / endpoints) and falls back to identity_administration", async () => {
    at("listed", json({
      services: [
        { service_name: "identity_administration", endpoints: [{ api: "https://xyz9876.id.cyberark.cloud" }] },
        { service_name: "pcloud", endpoints: [{ ui: "https://listed.cyberark.cloud/", api: "https://listed.privilegecloud.cyberark.cloud/api/" }] },
      ],
    }));
    const found = await discoverPrivilegeCloud("listed", options());
    expect(found.privilegeCloudUrl).toBe("https://listed.privilegecloud.cyberark.cloud");
    expect(found.identityUrl).toBe("https://xyz9876.id.cyberark.cloud");
    expect(found.deployment).toEqual({ type: "privilege-cloud", subdomain: "https://listed.privilegecloud.cyberark.cloud", identityUrl: "https://xyz9876.id.cyberark.cloud" });
  });

  it("asks for the subdomain from any tenant URL shape", async () => {
    expect(subdomainOf("MyCompany")).toBe("mycompany");
    expect(subdomainOf("https://mycompany.privilegecloud.cyberark.cloud/PasswordVault/")).toBe("mycompany");
    expect(subdomainOf("mycompany.cyberark.cloud")).toBe("mycompany");
    expect(() => subdomainOf("https://evil.example.com")).toThrow(/not a CyberArk tenant URL/);
    expect(() => subdomainOf("../../etc")).toThrow(/not a CyberArk tenant URL|neither/);
  });

  it("says which services were listed when Privilege Cloud is not among them", async () => {
    at("nopcloud", json({ identity_user_portal: { api: "https://a.id.cyberark.cloud" }, sca: { api: "https://nopcloud.sca.cyberark.cloud/api" } }));
    await expect(discoverPrivilegeCloud("nopcloud", options())).rejects.toMatchObject({
      kind: "INVALID_CONFIGURATION",
      message: expect.stringContaining("lists: identity_user_portal, sca"),
    });
  });

  it("leaves the Identity URL out when none is listed", async () => {
    at("noidentity", json({ pcloud: { api: "https://noidentity.privilegecloud.cyberark.cloud/api" } }));
    const found = await discoverPrivilegeCloud("noidentity", options());
    expect(found.identityUrl).toBeUndefined();
    expect(found.deployment).toEqual({ type: "privilege-cloud", subdomain: "https://noidentity.privilegecloud.cyberark.cloud" });
  });

  it("turns an unknown subdomain (404) into a configuration error naming it", async () => {
    await expect(discoverPrivilegeCloud("nosuchtenant", options())).rejects.toMatchObject({
      kind: "INVALID_CONFIGURATION",
      message: expect.stringContaining('"nosuchtenant"'),
    });
  });

  it("refuses service URLs that are not plain https, since credentials would follow them", async () => {
    at("downgrade", json({ pcloud: { api: "http://downgrade.privilegecloud.cyberark.cloud/api" } }));
    await expect(discoverPrivilegeCloud("downgrade", options())).rejects.toMatchObject({ kind: "INVALID_RESPONSE", message: expect.stringContaining("not plain https") });
    at("userinfo", json({ pcloud: { api: "https://u:p@userinfo.privilegecloud.cyberark.cloud/api" } }));
    await expect(discoverPrivilegeCloud("userinfo", options())).rejects.toMatchObject({ kind: "INVALID_RESPONSE" });
  });

  it("reports an HTML page, a truncated body and a 5xx as typed invalid responses", async () => {
    at("html", (_req, res) => {
      res.writeHead(200, { "content-type": "text/html" });
      res.end("<html><body>Sign in</body></html>");
    });
    await expect(discoverPrivilegeCloud("html", options())).rejects.toMatchObject({ kind: "INVALID_RESPONSE", message: expect.stringContaining("HTML page") });
    at("truncated", (_req, res) => {
      res.writeHead(200, { "content-type": "application/json" });
      res.end('{"pcloud": {"api": "https://trunc');
    });
    await expect(discoverPrivilegeCloud("truncated", options())).rejects.toMatchObject({ kind: "INVALID_RESPONSE", message: expect.stringContaining("not JSON") });
    at("broken", json({ message: "upstream" }, 503));
    await expect(discoverPrivilegeCloud("broken", options())).rejects.toMatchObject({ kind: "INVALID_RESPONSE", status: 503 });
  });

  it("times out, and reports a caller's abort as such", async () => {
    at("slow", () => {
      /* never answers */
    });
    await expect(discoverPrivilegeCloud("slow", { ...options(), timeoutMs: 100 })).rejects.toMatchObject({ kind: "TIMEOUT", timeoutMs: 100 });
    // 0 means no limit, as for the client: only the caller's abort ends it.
    const noLimit = new AbortController();
    setTimeout(() => noLimit.abort(), 200);
    await expect(discoverPrivilegeCloud("slow", { ...options(), timeoutMs: 0, signal: noLimit.signal })).rejects.toMatchObject({ kind: "ABORTED" });
    const controller = new AbortController();
    setTimeout(() => controller.abort(new Error("user gave up")), 50);
    await expect(discoverPrivilegeCloud("slow", { ...options(), signal: controller.signal })).rejects.toMatchObject({ kind: "ABORTED" });
  });

  it("reports an unreachable discovery service as a network error", async () => {
    const closed = createServer();
    await new Promise<void>((resolve) => closed.listen(0, "127.0.0.1", resolve));
    const port = (closed.address() as AddressInfo).port;
    await new Promise((resolve) => closed.close(resolve));
    await expect(discoverPrivilegeCloud("any", { discoveryUrl: `http://127.0.0.1:${port}`, allowInsecureHttp: true })).rejects.toMatchObject({
      kind: "NETWORK_ERROR",
      message: expect.stringContaining("ECONNREFUSED"),
    });
  });

  it("refuses an http:// discovery URL without the opt-in, or a bad timeoutMs, before any request", async () => {
    const before = seen.length;
    await expect(discoverPrivilegeCloud("mycompany", { discoveryUrl })).rejects.toMatchObject({ kind: "INVALID_CONFIGURATION" });
    await expect(discoverPrivilegeCloud("mycompany", { ...options(), timeoutMs: -1 })).rejects.toMatchObject({ kind: "INVALID_CONFIGURATION" });
    expect(seen.length).toBe(before);
  });

  it("asks <discoveryUrl>/api/v2/services/subdomain/<subdomain> for JSON, under a path prefix too", async () => {
    const accepts: Array<string | undefined> = [];
    routes.set("/prefix/api/v2/services/subdomain/viaprefix", (req, res) => {
      accepts.push(req.headers.accept);
      answer("viaprefix")(req, res);
    });
    const found = await discoverPrivilegeCloud("viaprefix", { ...options(), discoveryUrl: `${discoveryUrl}/prefix/` });
    expect(seen.at(-1)).toBe("/prefix/api/v2/services/subdomain/viaprefix");
    expect(accepts).toEqual(["application/json"]);
    expect(found.privilegeCloudUrl).toBe("https://viaprefix.privilegecloud.cyberark.cloud");
  });

  it("closes its connections when done (the transport is its own, not kept alive)", async () => {
    at("closes", answer("closes"));
    await eventually(() => openSockets.size === 0, 2_000, "earlier connections closed");
    await discoverPrivilegeCloud("closes", options());
    // A kept-alive connection would stay open for the server's keep-alive time (5 s).
    await eventually(() => openSockets.size === 0, 1_000, "the discovery connection closed");
  });

  it("treats a redirect as an invalid answer and does not follow it", async () => {
    at("target", answer("target"));
    at("moved", (_req, res) => {
      res.writeHead(302, { location: `${discoveryUrl}/api/v2/services/subdomain/target` });
      res.end();
    });
    await expect(discoverPrivilegeCloud("moved", options())).rejects.toMatchObject({
      name: "InvalidResponseError",
      status: 302,
      message: expect.stringContaining("a redirect, which discovery does not follow"),
    });
    expect(seen).not.toContain("/api/v2/services/subdomain/target");
  });

  it("refuses a bad proxy or connectTimeoutMs as configuration errors, before any request", async () => {
    const before = seen.length;
    await expect(discoverPrivilegeCloud("mycompany", { ...options(), proxy: "proxy.corp:3128" })).rejects.toMatchObject({
      kind: "INVALID_CONFIGURATION",
      message: expect.stringContaining("scheme"),
    });
    await expect(discoverPrivilegeCloud("mycompany", { ...options(), connectTimeoutMs: -1 })).rejects.toMatchObject({
      kind: "INVALID_CONFIGURATION",
      message: expect.stringContaining("connectTimeoutMs"),
    });
    expect(seen.length).toBe(before);
  });
});

describe("discoverPrivilegeCloud's proxy option (as the client's)", () => {
  const saved = { HTTP_PROXY: process.env["HTTP_PROXY"], http_proxy: process.env["http_proxy"], NO_PROXY: process.env["NO_PROXY"], no_proxy: process.env["no_proxy"] };
  const restore = (): void => {
    for (const [name, value] of Object.entries(saved)) {
      if (value === undefined) delete process.env[name];
      else process.env[name] = value;
    }
  };

  it("goes through a proxy it is given, through HTTP_PROXY when left unset, and never with proxy: false", async () => {
    const proxy = await startConnectProxy();
    try {
      at("proxied", answer("proxied"));
      const target = new URL(discoveryUrl).host;
      const asked = await discoverPrivilegeCloud("proxied", { ...options(), proxy: proxy.url });
      expect(asked.privilegeCloudUrl).toBe("https://proxied.privilegecloud.cyberark.cloud");
      expect(proxy.connects).toEqual([target]);

      for (const name of ["http_proxy", "NO_PROXY", "no_proxy"]) delete process.env[name];
      process.env["HTTP_PROXY"] = proxy.url;
      const { proxy: _never, ...fromEnvironment } = options();
      await discoverPrivilegeCloud("proxied", fromEnvironment);
      expect(proxy.connects).toEqual([target, target]);

      const direct = await discoverPrivilegeCloud("proxied", { ...fromEnvironment, proxy: false });
      expect(direct.privilegeCloudUrl).toBe("https://proxied.privilegecloud.cyberark.cloud");
      expect(proxy.connects).toEqual([target, target]);
    } finally {
      restore();
      await proxy.close();
    }
  });
});

describe("discoverPrivilegeCloud over https with a private CA (the tls option, as the client's)", () => {
  let pki: TestPki;
  let https: TestServer;

  beforeAll(async () => {
    pki = createTestPki();
    https = await startHttpsServer({ cert: pki.serverCert, key: pki.serverKey }, answer("tlstenant"));
  });

  afterAll(async () => {
    await https.close();
    pki.cleanup();
  });

  it("fails without the CA with a network error naming the TLS trust problem", async () => {
    const failure = discoverPrivilegeCloud("tlstenant", { discoveryUrl: https.url, proxy: false });
    await expect(failure).rejects.toMatchObject({ kind: "NETWORK_ERROR", urlPath: "/api/v2/services/subdomain/tlstenant" });
    await expect(failure).rejects.toThrow(/platform discovery could not be reached.*certificate is not trusted: pass its CA as tls\.ca/);
  });

  it("succeeds with tls.ca", async () => {
    const found = await discoverPrivilegeCloud("tlstenant", { discoveryUrl: https.url, proxy: false, tls: { ca: pki.caCert } });
    expect(found.privilegeCloudUrl).toBe("https://tlstenant.privilegecloud.cyberark.cloud");
  });

  it("succeeds with insecureSkipVerify, warning once through its logger", async () => {
    const warnings: string[] = [];
    const found = await discoverPrivilegeCloud("tlstenant", {
      discoveryUrl: https.url,
      proxy: false,
      tls: { insecureSkipVerify: true },
      logger: { warn: (message) => void warnings.push(message) },
    });
    expect(found.privilegeCloudUrl).toBe("https://tlstenant.privilegecloud.cyberark.cloud");
    expect(warnings).toEqual([expect.stringContaining("insecureSkipVerify")]);
  });
});

describe("discoverPrivilegeCloud against an answer that never ends", () => {
  /** Sends 64 KiB chunks for ever (until the client goes), counting what it sent. */
  const endless = (sent: { bytes: number }, delayMs: number): Handler => (_req, res) => {
    res.writeHead(200, { "content-type": "application/json" });
    res.write('{"services": [');
    const chunk = Buffer.alloc(64 * 1024, 0x20);
    const timer = setInterval(() => {
      if (res.destroyed || sent.bytes > 64 * 1024 * 1024) return clearInterval(timer);
      sent.bytes += chunk.length;
      res.write(chunk);
    }, delayMs);
    res.on("close", () => clearInterval(timer));
  };

  it("stops reading past its size limit with a typed error", async () => {
    const sent = { bytes: 0 };
    at("huge", endless(sent, 1));
    await expect(discoverPrivilegeCloud("huge", options())).rejects.toMatchObject({ name: "ResponseTooLargeError" });
    expect(sent.bytes).toBeLessThan(8 * 1024 * 1024);
  });

  it("ends a slow body at its timeoutMs, on the wire too", async () => {
    const sent = { bytes: 0 };
    at("slow", endless(sent, 50));
    const started = performance.now();
    await expect(discoverPrivilegeCloud("slow", { ...options(), timeoutMs: 300 })).rejects.toMatchObject({ name: "TimeoutError", timeoutMs: 300 });
    expect(performance.now() - started).toBeLessThan(3_000);
    const atEnd = sent.bytes;
    await new Promise((resolve) => setTimeout(resolve, 300));
    expect(sent.bytes).toBe(atEnd);
  });
});

describe("discoverPrivilegeCloud against a body that stalls after the headers", () => {
  /** Sends the headers and the start of the body, then nothing; counts the connections the client ended. */
  const stalling = (ended: { count: number }): Handler => (_req, res) => {
    res.writeHead(200, { "content-type": "application/json" });
    res.write('{"pcloud": {"api": ');
    res.on("close", () => void ended.count++);
  };

  it("ends it at timeoutMs with a TimeoutError", { timeout: 10_000 }, async () => {
    const ended = { count: 0 };
    at("stall-timeout", stalling(ended));
    const failure = discoverPrivilegeCloud("stall-timeout", { ...options(), timeoutMs: 200 });
    await expect(failure).rejects.toMatchObject({ name: "TimeoutError", kind: "TIMEOUT", timeoutMs: 200 });
    await expect(failure).rejects.toThrow("GET /api/v2/services/subdomain/stall-timeout (platform discovery) did not finish within 200 ms");
    await eventually(() => ended.count === 1, 1_000, "the stalled request ended on the wire");
  });

  it("ends it when the caller's signal fires, with a RequestAbortedError carrying the reason", { timeout: 10_000 }, async () => {
    const ended = { count: 0 };
    at("stall-abort", stalling(ended));
    const controller = new AbortController();
    const reason = new Error("user gave up");
    setTimeout(() => controller.abort(reason), 150);
    const failure = discoverPrivilegeCloud("stall-abort", { ...options(), timeoutMs: 0, signal: controller.signal });
    await expect(failure).rejects.toMatchObject({ name: "RequestAbortedError", kind: "ABORTED", cause: reason });
    await eventually(() => ended.count === 1, 1_000, "the stalled request ended on the wire");
  });
});
