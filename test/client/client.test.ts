// createCyberArkClient with the generated API: bases, tables (minVersion, secretChange), paging,
// hostile path values and TLS, end to end against the fake tenant.
import { afterAll, afterEach, beforeAll, describe, expect, it } from "vitest";
import {
  ConfigurationError,
  createCyberArkClient,
  CyberArkError,
  describeOperation,
  InvalidPathParameterError,
  NetworkError,
  NotImplementedError,
  platformToken,
  staticToken,
  UnsafeNextLinkError,
  vaultLogon,
} from "../../src/index.js";
import { createTestPki, type TestPki } from "../support/certs.js";
import { authorizationOf, startFakeTenant, type FakeTenant } from "../support/fake-tenant.js";
import { PASSWORD, USER } from "./helpers.js";

const tenants: FakeTenant[] = [];
async function tenant(options?: Parameters<typeof startFakeTenant>[0]) {
  const t = await startFakeTenant(options);
  tenants.push(t);
  return t;
}
afterEach(async () => {
  await Promise.all(tenants.splice(0).map((t) => t.close()));
});

function selfHosted(t: FakeTenant, extra: { retry?: false | { methods?: string[] } } = {}) {
  t.vaultLogon({ username: USER, password: PASSWORD });
  return createCyberArkClient({
    deployment: { type: "self-hosted", url: `${t.url}/PasswordVault/API/`, allowInsecureHttp: true },
    auth: vaultLogon({ username: USER, password: PASSWORD }),
    proxy: false,
    ...extra,
  });
}

describe("bases and tables", () => {
  it("without options: a ConfigurationError, not a TypeError from unpacking them", () => {
    expect(() => (createCyberArkClient as (o?: unknown) => unknown)()).toThrow(/needs an options object/);
  });

  it("bad transport options are ConfigurationErrors, and a call after close() a CyberArkError", async () => {
    const base = { deployment: { type: "self-hosted" as const, url: "https://pvwa.example.com" }, auth: staticToken({ token: "t" }) };
    expect(() => createCyberArkClient({ ...base, proxy: "proxy.corp:3128" })).toThrow(ConfigurationError);
    expect(() => createCyberArkClient({ ...base, maxResponseBytes: 0 })).toThrow(ConfigurationError);
    const client = createCyberArkClient({ ...base, proxy: false });
    await client.close();
    const error = await client.gen2.GET("/Accounts").catch((e: unknown) => e);
    expect(error).toBeInstanceOf(CyberArkError);
    expect(error).toMatchObject({ kind: "CLIENT_CLOSED" });
  });

  it("routes gen2 and gen1 paths to their bases; pcloud is absent on self-hosted", async () => {
    const t = await tenant();
    t.authed("GET", "/PasswordVault/API/Accounts", () => ({ json: { value: [{ id: "1_1" }], count: 1 } }));
    t.authed("GET", "/PasswordVault/WebServices/PIMServices.svc/Server", () => ({ json: { ExternalVersion: "14.2.0" } }));
    const client = selfHosted(t);
    const accounts = await client.gen2.GET("/Accounts", { params: { query: { search: "db", limit: 10 } } });
    expect(accounts.data.value?.[0]?.id).toBe("1_1");
    const server = await client.gen1.GET("/PIMServices.svc/Server");
    expect(server.data).toMatchObject({ ExternalVersion: "14.2.0" });
    expect(client.pcloud).toBeUndefined();
    expect(t.requestsTo("GET", "/PasswordVault/API/Accounts")[0]!.path).toBe("/PasswordVault/API/Accounts?search=db&limit=10");
    await client.close();
  });

  it("a 501 names the generated minimum version", async () => {
    const t = await tenant();
    t.authed("GET", "/PasswordVault/API/Themes/", () => ({ status: 501, json: {} }));
    const client = selfHosted(t);
    const error = await client.gen2.GET("/Themes/").catch((e: unknown) => e);
    const row = describeOperation("gen2", "GET", "/Themes/");
    expect(row?.minVersion).toBeDefined();
    expect(error).toBeInstanceOf(NotImplementedError);
    expect((error as Error).message).toContain(`${row!.minVersion} or later`);
    expect(client.operation("gen2", "get", "/Themes/")).toEqual(row);
    await client.close();
  });

  it("a secret-changing operation from the generated table is never retried, even with POST allowed", async () => {
    const t = await tenant();
    t.authed("POST", "/PasswordVault/API/Accounts/1_1/Change", () => ({ status: 503 }));
    const client = selfHosted(t, { retry: { methods: ["GET", "POST"] } });
    expect(describeOperation("gen2", "POST", "/Accounts/{id}/Change")?.secretChange).toBe(true);
    await expect(client.gen2.POST("/Accounts/{id}/Change", { params: { path: { id: "1_1" } }, body: {} })).rejects.toMatchObject({ status: 503 });
    expect(t.requestsTo("POST", "/PasswordVault/API/Accounts/1_1/Change")).toHaveLength(1);
    await client.close();
  });
});

describe("paging through the client", () => {
  it("rebuilds follow-up pages from the original query, so savedFilter survives", async () => {
    const t = await tenant();
    const all = Array.from({ length: 7 }, (_, i) => ({ id: `1_${i}` }));
    t.authed("GET", "/PasswordVault/API/Accounts", (req) => {
      const offset = Number(req.query.get("offset") ?? 0);
      const limit = Number(req.query.get("limit") ?? 50);
      const value = all.slice(offset, offset + limit);
      // Like the real server, the nextLink drops savedFilter.
      const nextLink = offset + limit < all.length ? `api/Accounts?offset=${offset + limit}&limit=${limit}` : undefined;
      return { json: { value, count: all.length, nextLink } };
    });
    const client = selfHosted(t);
    const ids: string[] = [];
    for await (const account of client.paginate("/Accounts", { params: { query: { savedFilter: "Favorites", search: "db" } } }, { pageSize: 3 })) {
      ids.push(account.id ?? "");
    }
    expect(ids).toEqual(all.map((a) => a.id));
    const pages = t.requestsTo("GET", "/PasswordVault/API/Accounts");
    expect(pages).toHaveLength(3);
    for (const page of pages) {
      expect(page.query.get("savedFilter")).toBe("Favorites");
      expect(page.query.get("search")).toBe("db");
      expect(page.query.get("limit")).toBe("3");
    }
    expect(pages.map((p) => p.query.get("offset"))).toEqual(["0", "3", "6"]);
    await client.close();
  });

  it("refuses a nextLink to another origin", async () => {
    const t = await tenant();
    t.authed("GET", "/PasswordVault/API/Accounts", () => ({
      json: { value: [{ id: "1" }], count: 5, nextLink: "https://evil.example/PasswordVault/api/Accounts?offset=1&limit=1" },
    }));
    const client = selfHosted(t);
    const iterate = async () => {
      for await (const _ of client.paginate("/Accounts", {}, { pageSize: 1 })) void _;
    };
    await expect(iterate()).rejects.toBeInstanceOf(UnsafeNextLinkError);
    await client.close();
  });
});

describe("lifecycle", () => {
  it("a closed client fails at once instead of retrying", async () => {
    const t = await tenant();
    t.authed("GET", "/PasswordVault/API/Accounts", () => ({ json: {} }));
    const client = selfHosted(t);
    await client.gen2.GET("/Accounts");
    await client.close();
    await client.close();
    const started = Date.now();
    await expect(client.gen2.GET("/Accounts")).rejects.toThrow(/closed/);
    expect(Date.now() - started).toBeLessThan(200);
  });
});

describe("path parameters", () => {
  it("keep hostile values inside their segment and refuse +, & and % before any request", async () => {
    const t = await tenant();
    t.authed("GET", /^\/PasswordVault\/API\/Accounts\/[^/]+\/?$/, () => ({ json: { id: "x" } }));
    const client = selfHosted(t);
    await client.gen2.GET("/Accounts/{id}", { params: { path: { id: "../../Users?x=1#y" } } });
    const sent = t.requestsTo("GET", /^\/PasswordVault\/API\/Accounts\//)[0]!;
    expect(sent.pathname.startsWith("/PasswordVault/API/Accounts/")).toBe(true);
    expect(sent.pathname.split("/")).toHaveLength(5 + (sent.pathname.endsWith("/") ? 1 : 0));
    expect(sent.path).not.toContain("?x=1");
    const before = t.requests.length;
    for (const bad of ["a+b", "a&b", "50%"]) {
      await expect(client.gen2.GET("/Accounts/{id}", { params: { path: { id: bad } } })).rejects.toBeInstanceOf(InvalidPathParameterError);
    }
    expect(t.requests).toHaveLength(before);
    await client.close();
  });
});

describe("Privilege Cloud", () => {
  it("pcloud client and paginate.pcloud use the /api base with Bearer", async () => {
    const api = await tenant();
    const identity = await tenant();
    identity.platformToken({ clientId: "svc", clientSecret: "s3cret", validAt: api });
    api.authed("GET", "/api/discovered-accounts", () => ({ json: { value: [{ id: "d1" }, { id: "d2" }] } }), { bearer: true });
    const client = createCyberArkClient({
      deployment: {
        type: "privilege-cloud",
        subdomain: "mycompany",
        identityUrl: "https://abc1234.id.cyberark.cloud",
        allowInsecureHttp: true,
        overrides: { pvwaRoot: api.url, pcloudRoot: api.url, identityUrl: identity.url },
      },
      auth: platformToken({ clientId: "svc", clientSecret: "s3cret" }),
      proxy: false,
    });
    const { data } = await client.pcloud.GET("/discovered-accounts");
    expect(data).toMatchObject({ value: [{ id: "d1" }, { id: "d2" }] });
    const ids: unknown[] = [];
    for await (const item of client.paginate.pcloud("/discovered-accounts")) ids.push((item as { id?: string }).id);
    expect(ids).toEqual(["d1", "d2"]);
    for (const r of api.requests) expect(authorizationOf(r)).toMatch(/^Bearer /);
    await client.close();
  });
});

describe("TLS with a self-signed CA", () => {
  let pki: TestPki;
  beforeAll(() => {
    pki = createTestPki();
  });
  afterAll(() => pki.cleanup());

  it("works with the CA given and fails as a network error without it", async () => {
    const t = await tenant({ tls: { cert: pki.serverCert, key: pki.serverKey } });
    t.authed("GET", "/PasswordVault/API/Accounts", () => ({ json: { value: [] } }));
    const token = t.issueToken();
    const trusted = createCyberArkClient({
      deployment: { type: "self-hosted", url: t.url },
      auth: staticToken({ token }),
      tls: { ca: pki.caCert },
      proxy: false,
    });
    await expect(trusted.gen2.GET("/Accounts")).resolves.toMatchObject({ data: { value: [] } });
    await trusted.close();

    const untrusted = createCyberArkClient({ deployment: { type: "self-hosted", url: t.url }, auth: staticToken({ token }), proxy: false, retry: false });
    const error = await untrusted.gen2.GET("/Accounts").catch((e: unknown) => e);
    expect(error).toBeInstanceOf(NetworkError);
    expect((error as Error).message).toContain("pass its CA as tls.ca");
    await untrusted.close();
  });
});
