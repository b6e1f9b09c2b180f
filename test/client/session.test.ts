// Single-flight logon, re-logon + replay on 401, no loops, cookie stickiness.
import { afterEach, describe, expect, it } from "vitest";
import { tokenProvider } from "../../src/auth/index.js";
import { SessionManager } from "../../src/core/session.js";
import { AuthenticationError } from "../../src/errors/status-errors.js";
import { authorizationOf, startFakeTenant, type FakeTenant } from "../support/fake-tenant.js";
import { makeClient, PASSWORD, USER } from "./helpers.js";

let tenant: FakeTenant;
afterEach(async () => tenant?.close());

async function setup(delayMs = 0) {
  tenant = await startFakeTenant();
  const logons = tenant.vaultLogon({ username: USER, password: PASSWORD, delayMs, cookies: ["LBNODE=node-2; Path=/; HttpOnly", "CA11111=x1"] });
  tenant.authed("GET", "/PasswordVault/API/Accounts", () => ({ json: { value: [], count: 0 } }));
  return logons;
}

describe("single-flight logon", () => {
  it("100 concurrent first requests cause exactly one logon", async () => {
    const logons = await setup(50);
    const client = makeClient(tenant);
    const results = await Promise.all(Array.from({ length: 100 }, () => client.gen2.GET("/Accounts")));
    expect(results.every((r) => r.response.status === 200)).toBe(true);
    expect(logons.count).toBe(1);
    await client.close();
  });

  it("100 concurrent requests on an expired session cause exactly one new logon", async () => {
    const logons = await setup(20);
    const client = makeClient(tenant);
    await client.gen2.GET("/Accounts");
    tenant.expireSessions();
    const results = await Promise.all(Array.from({ length: 100 }, () => client.gen2.GET("/Accounts")));
    expect(results.every((r) => r.response.status === 200)).toBe(true);
    expect(logons.count).toBe(2);
    // Every request that got a 401 was replayed once with the new token.
    const newToken = [...tenant.tokens][0]!;
    const gets = tenant.requestsTo("GET", "/PasswordVault/API/Accounts");
    expect(gets.filter((r) => authorizationOf(r) === newToken)).toHaveLength(100);
    await client.close();
  });

  it("a failed logon is shared by the waiting callers and not cached", async () => {
    tenant = await startFakeTenant();
    let fail = true;
    let logons = 0;
    tenant.route("POST", "/PasswordVault/API/auth/CyberArk/Logon", () => {
      logons++;
      return fail ? { status: 403, json: { ErrorCode: "PASWS013E", ErrorMessage: "no" }, delayMs: 20 } : { json: tenant.issueToken() };
    });
    tenant.authed("GET", "/PasswordVault/API/Accounts", () => ({ json: {} }));
    const client = makeClient(tenant);
    const settled = await Promise.allSettled(Array.from({ length: 10 }, () => client.gen2.GET("/Accounts")));
    expect(settled.every((s) => s.status === "rejected")).toBe(true);
    expect(logons).toBe(1);
    fail = false;
    await client.gen2.GET("/Accounts");
    expect(logons).toBe(2);
    await client.close();
  });
});

describe("401 handling", () => {
  it("replays a POST after re-logon with its body intact", async () => {
    const logons = await setup();
    const bodies: string[] = [];
    tenant.authed("POST", "/PasswordVault/API/Accounts", (req) => {
      bodies.push(req.body);
      return { status: 201, json: { id: "12_3", ...(req.json as object) } };
    });
    const client = makeClient(tenant);
    await client.gen2.GET("/Accounts");
    tenant.expireSessions();
    const body = { safeName: "Finance", platformId: "WinDomain", address: "db01", userName: "svc_db" };
    const { data, response } = await client.gen2.POST("/Accounts", { body });
    expect(response.status).toBe(201);
    expect(data.id).toBe("12_3");
    const posts = tenant.requestsTo("POST", "/PasswordVault/API/Accounts");
    expect(posts).toHaveLength(2);
    expect(JSON.parse(posts[0]!.body)).toEqual(body);
    expect(posts[1]!.body).toBe(posts[0]!.body);
    expect(posts[1]!.headers["content-type"]).toMatch(/application\/json/);
    expect(bodies).toHaveLength(1);
    expect(logons.count).toBe(2);
    await client.close();
  });

  it("a second 401 after a fresh logon is an AuthenticationError, never a loop", async () => {
    const logons = await setup();
    tenant.route("GET", "/PasswordVault/API/Accounts/{id}".replace("{id}", "1_1"), () => ({
      status: 401,
      json: { ErrorCode: "PASWS006E", ErrorMessage: "Session expired" },
    }));
    const client = makeClient(tenant);
    const error = await client.gen2.GET("/Accounts/{id}", { params: { path: { id: "1_1" } } }).catch((e: unknown) => e);
    expect(error).toBeInstanceOf(AuthenticationError);
    expect(error).toMatchObject({ status: 401, errorCode: "PASWS006E", attempts: 2, kind: "AUTHENTICATION_FAILED" });
    expect((error as Error).message).toMatch(/even right after a fresh logon/);
    expect(tenant.requestsTo("GET", "/PasswordVault/API/Accounts/1_1")).toHaveLength(2);
    expect(logons.count).toBe(2);
    await client.close();
  });

  it("a late 401 for an old token does not cause a second logon", async () => {
    let logons = 0;
    const session = new SessionManager(async () => ({ token: `t${++logons}`, authorization: `t${logons}` }));
    const first = await session.acquire();
    const renewed = await session.renew(first.generation);
    expect(renewed.session.token).toBe("t2");
    // Another request that was sent with t1 reports its 401 late: it gets t2, no logon.
    const late = await session.renew(first.generation);
    expect(late.session.token).toBe("t2");
    expect(logons).toBe(2);
    // Concurrent renewals for the current token share one logon.
    const [a, b] = await Promise.all([session.renew(renewed.generation), session.renew(renewed.generation)]);
    expect(a.session.token).toBe("t3");
    expect(b.session.token).toBe("t3");
    expect(logons).toBe(3);
  });

  it("an expired provider token is fetched again before use", async () => {
    tenant = await startFakeTenant();
    tenant.authed("GET", "/PasswordVault/API/Accounts", () => ({ json: {} }));
    let calls = 0;
    const client = makeClient(tenant, {
      auth: tokenProvider(() => {
        calls++;
        return { token: tenant.issueToken(), expiresAt: Date.now() + 100 };
      }),
    });
    await client.gen2.GET("/Accounts");
    await new Promise((r) => setTimeout(r, 150));
    await client.gen2.GET("/Accounts");
    expect(calls).toBe(2);
    expect(tenant.requests).toHaveLength(2);
    await client.close();
  });
});

describe("cookies", () => {
  it("sends logon cookies back on every API call (load-balancer stickiness)", async () => {
    await setup();
    const client = makeClient(tenant);
    await client.gen2.GET("/Accounts");
    await client.gen2.GET("/Accounts");
    for (const r of tenant.requestsTo("GET", "/PasswordVault/API/Accounts")) {
      expect(r.headers["cookie"]).toBe("LBNODE=node-2; CA11111=x1");
    }
    await client.close();
  });

  it("updates and deletes cookies as the server says, and keeps them per client", async () => {
    await setup();
    tenant.authed("GET", "/PasswordVault/API/Accounts/{id}".replace("{id}", "x"), () => ({
      headers: { "set-cookie": ["LBNODE=node-3; Path=/", "CA11111=; Max-Age=0"] },
      json: {},
    }));
    const a = makeClient(tenant);
    const b = makeClient(tenant);
    await a.gen2.GET("/Accounts");
    await a.gen2.GET("/Accounts/{id}", { params: { path: { id: "x" } } });
    await a.gen2.GET("/Accounts");
    expect(tenant.requests.at(-1)!.headers["cookie"]).toBe("LBNODE=node-3");
    tenant.clear();
    await b.gen2.GET("/Accounts");
    // b logged on by itself and only has its own logon cookies.
    expect(tenant.requestsTo("POST", "/PasswordVault/API/auth/CyberArk/Logon")[0]!.headers["cookie"]).toBeUndefined();
    expect(tenant.requests.at(-1)!.headers["cookie"]).toBe("LBNODE=node-2; CA11111=x1");
    await a.close();
    await b.close();
  });

  it("never sends a cookie to another origin", async () => {
    await setup();
    const other = await startFakeTenant();
    other.route("GET", "/PasswordVault/API/Accounts", () => ({ json: {} }));
    try {
      const client = makeClient(tenant);
      await client.gen2.GET("/Accounts");
      // A per-request baseUrl pointing elsewhere: no cookie, no Authorization.
      await client.gen2.GET("/Accounts", { baseUrl: `${other.url}/PasswordVault/API` });
      expect(other.requests).toHaveLength(1);
      expect(other.requests[0]!.headers["cookie"]).toBeUndefined();
      expect(other.requests[0]!.headers["authorization"]).toBeUndefined();
      await client.close();
    } finally {
      await other.close();
    }
  });
});
