import { createServer, type IncomingMessage, type Server, type ServerResponse } from "node:http";
import type { AddressInfo } from "node:net";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { createCyberArkClient, discoverPrivilegeCloud, platformToken, resolveDeployment } from "../../src/index.js";
import { subdomainOf } from "../../src/discovery/platform-discovery.js";

type Handler = (req: IncomingMessage, res: ServerResponse) => void;
const routes = new Map<string, Handler>();
const seen: string[] = [];
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
  await new Promise<void>((resolve) => server.listen(0, "127.0.0.1", resolve));
  discoveryUrl = `http://127.0.0.1:${(server.address() as AddressInfo).port}`;
});

afterAll(async () => {
  server.closeAllConnections();
  await new Promise((resolve) => server.close(resolve));
});

const at = (path: string, handler: Handler): void => void routes.set(`/api/v2/services/subdomain/${path}`, handler);
const options = () => ({ discoveryUrl, allowInsecureHttp: true });

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

  it("uses the fetch it is given", async () => {
    const asked: string[] = [];
    const found = await discoverPrivilegeCloud("viafetch", {
      fetch: async (input) => {
        asked.push(String(input));
        return new Response(JSON.stringify({ pcloud: { api: "https://viafetch.privilegecloud.cyberark.cloud/api" } }), { status: 200 });
      },
    });
    expect(asked).toEqual(["https://platform-discovery.cyberark.cloud/api/v2/services/subdomain/viafetch"]);
    expect(found.privilegeCloudUrl).toBe("https://viafetch.privilegecloud.cyberark.cloud");
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

  it("ends a slow body at its timeoutMs, even through a fetch that does not stop the body on abort", async () => {
    const sent = { bytes: 0 };
    at("slow", endless(sent, 50));
    // A fetch of the caller's that ignores the signal once the headers are in.
    const stubborn: typeof fetch = (input, init) => fetch(input, { ...init, signal: undefined });
    const started = performance.now();
    await expect(discoverPrivilegeCloud("slow", { ...options(), timeoutMs: 300, fetch: stubborn })).rejects.toMatchObject({ name: "TimeoutError" });
    expect(performance.now() - started).toBeLessThan(3_000);
  });
});
