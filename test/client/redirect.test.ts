// Authorization and cookies never leave the deployment's origin, redirects included.
import { afterEach, describe, expect, it } from "vitest";
import { UnsafeRedirectError } from "../../src/errors/unsafe-redirect.js";
import { authorizationOf, startFakeTenant, type FakeTenant } from "../support/fake-tenant.js";
import { makeClient, vaultTenant, type TestClient } from "./helpers.js";

let tenant: FakeTenant;
let other: FakeTenant;
let client: TestClient;
afterEach(async () => {
  await client?.close();
  await tenant?.close();
  await other?.close();
});

async function setup() {
  ({ tenant } = await vaultTenant());
  other = await startFakeTenant();
  other.route("*", /.*/, () => ({ json: { stolen: true } }));
  client = makeClient(tenant);
}

describe("redirects", () => {
  it.each([301, 302, 303, 307, 308])("a %i to another origin is refused without following it", async (status) => {
    await setup();
    tenant.authed("GET", "/PasswordVault/API/Accounts/1_1", () => ({ status, headers: { location: `${other.url}/collect?x=1` } }));
    const error = await client.gen2.GET("/Accounts/{id}", { params: { path: { id: "1_1" } } }).catch((e: unknown) => e);
    expect(error).toBeInstanceOf(UnsafeRedirectError);
    expect(error).toMatchObject({ kind: "UNSAFE_REDIRECT", status, fromOrigin: tenant.origin, toOrigin: other.origin });
    expect(other.requests).toHaveLength(0);
  });

  it("a cross-origin redirect of a logon request is refused too", async () => {
    await setup();
    tenant.route("POST", "/PasswordVault/API/auth/CyberArk/Logon", () => ({ status: 307, headers: { location: `${other.url}/login` } }));
    await expect(client.gen2.GET("/Accounts")).rejects.toBeInstanceOf(UnsafeRedirectError);
    expect(other.requests).toHaveLength(0);
  });

  it("follows a same-origin GET redirect keeping Authorization and cookies", async () => {
    await setup();
    tenant.authed("GET", "/PasswordVault/API/Accounts/old", () => ({ status: 302, headers: { location: "/PasswordVault/API/Accounts/new" } }));
    tenant.authed("GET", "/PasswordVault/API/Accounts/new", () => ({ json: { id: "new" } }));
    const { data } = await client.gen2.GET("/Accounts/{id}", { params: { path: { id: "old" } } });
    expect(data.id).toBe("new");
    const followed = tenant.requestsTo("GET", "/PasswordVault/API/Accounts/new")[0]!;
    expect(tenant.tokens.has(authorizationOf(followed)!)).toBe(true);
    expect(followed.headers["cookie"]).toContain("LBNODE=node-1");
  });

  it("follows a same-origin 307 for a POST with the body", async () => {
    await setup();
    tenant.authed("POST", "/PasswordVault/API/Accounts", () => ({ status: 307, headers: { location: "/PasswordVault/API/Accounts2" } }));
    tenant.authed("POST", "/PasswordVault/API/Accounts2", (req) => ({ status: 201, json: req.json }));
    const body = { safeName: "S", platformId: "P" };
    const { data } = await client.gen2.POST("/Accounts", { body });
    expect(data).toEqual(body);
    // Sent again framed like the first time: with a Content-Length, not as a chunked upload.
    const [first] = tenant.requestsTo("POST", "/PasswordVault/API/Accounts");
    const [again] = tenant.requestsTo("POST", "/PasswordVault/API/Accounts2");
    expect(again!.headers["content-length"]).toBe(String(Buffer.byteLength(JSON.stringify(body))));
    expect(again!.headers["transfer-encoding"]).toBeUndefined();
    expect(again!.headers["content-type"]).toBe(first!.headers["content-type"]);
  });

  it("stops after a bounded number of same-origin redirects", async () => {
    await setup();
    tenant.authed("GET", "/PasswordVault/API/Accounts/loop", () => ({ status: 302, headers: { location: "/PasswordVault/API/Accounts/loop" } }));
    await expect(client.gen2.GET("/Accounts/{id}", { params: { path: { id: "loop" } } })).rejects.toMatchObject({ kind: "NETWORK_ERROR" });
    expect(tenant.requestsTo("GET", "/PasswordVault/API/Accounts/loop").length).toBeLessThanOrEqual(6);
  });
});

describe("hooks", () => {
  it("beforeRequest runs before Authorization is added; afterResponse may replace the response", async () => {
    ({ tenant } = await vaultTenant());
    const seen: Array<string | null> = [];
    client = makeClient(tenant, {
      hooks: {
        beforeRequest: [
          (request, info) => {
            seen.push(request.headers.get("authorization"));
            request.headers.set("x-correlation-id", `corr-${info.attempt}`);
          },
        ],
        afterResponse: [(response) => (response.status === 200 ? new Response(JSON.stringify({ value: [], count: 42 }), { status: 200 }) : undefined)],
      },
    });
    const { data } = await client.gen2.GET("/Accounts");
    expect(data.count).toBe(42);
    expect(seen).toEqual([null]);
    expect(tenant.requestsTo("GET", "/PasswordVault/API/Accounts")[0]!.headers["x-correlation-id"]).toBe("corr-1");
  });
});
