// Every auth method against the fake tenant: request shape, header form (raw vs Bearer), logoff.
import { afterAll, afterEach, beforeAll, describe, expect, it } from "vitest";
import {
  gen1Logon,
  pkiLogon,
  pkipnLogon,
  platformToken,
  radiusLogon,
  samlLogon,
  staticToken,
  tokenProvider,
  vaultLogon,
} from "../../src/auth/index.js";
import { createTestClient, type TestClient as CoreClient } from "../support/test-client.js";
import { ConfigurationError } from "../../src/errors/configuration.js";
import { AuthenticationError, LogonFailedError } from "../../src/errors/status-errors.js";
import { createTestPki, type TestPki } from "../support/certs.js";
import { authorizationOf, startFakeTenant, type FakeTenant } from "../support/fake-tenant.js";
import { fixtureApi, type FixtureGen1Paths, type FixturePaths } from "./fixture-api.js";
import { makeClient, PASSWORD, USER } from "./helpers.js";

const tenants: FakeTenant[] = [];
async function tenant(options?: Parameters<typeof startFakeTenant>[0]): Promise<FakeTenant> {
  const t = await startFakeTenant(options);
  tenants.push(t);
  return t;
}
afterEach(async () => {
  await Promise.all(tenants.splice(0).map((t) => t.close()));
});

const accounts = (t: FakeTenant, bearer = false) =>
  t.authed("GET", "/PasswordVault/API/Accounts", () => ({ json: { value: [], count: 0 } }), { bearer });

describe("Gen 2 vault logon", () => {
  it("CyberArk: posts username/password, sends the raw token, logs off with it", async () => {
    const t = await tenant();
    const logons = t.vaultLogon({ username: USER, password: PASSWORD });
    accounts(t);
    t.authed("POST", "/PasswordVault/API/Auth/Logoff", () => ({ status: 200 }));
    const client = makeClient(t);
    await client.gen2.GET("/Accounts");
    const token = [...t.tokens][0]!;
    const get = t.requestsTo("GET", "/PasswordVault/API/Accounts")[0]!;
    expect(authorizationOf(get)).toBe(token);
    expect(get.headers["content-type"]).toBeUndefined();

    await client.logoff();
    const logoff = t.requestsTo("POST", "/PasswordVault/API/Auth/Logoff");
    expect(logoff).toHaveLength(1);
    expect(authorizationOf(logoff[0]!)).toBe(token);

    // After logoff the next call logs on again.
    await client.gen2.GET("/Accounts");
    expect(logons.count).toBe(2);
    await client.close();
  });

  it("LDAP: method in the path, newPassword and concurrentSession in the body", async () => {
    const t = await tenant();
    t.vaultLogon({ username: USER, password: PASSWORD, method: "LDAP" });
    accounts(t);
    const client = makeClient(t, {
      auth: vaultLogon({ method: "LDAP", username: USER, password: PASSWORD, newPassword: "N3w-Canary-pw", concurrentSession: true }),
    });
    await client.gen2.GET("/Accounts");
    const logon = t.requestsTo("POST", "/PasswordVault/API/auth/LDAP/Logon")[0]!;
    expect(logon.json).toEqual({ username: USER, password: PASSWORD, newPassword: "N3w-Canary-pw", concurrentSession: true });
    expect(logon.headers["content-type"]).toMatch(/application\/json/);
    await client.close();
  });

  it("a refused password (403 PASWS013E) is a LogonFailedError", async () => {
    const t = await tenant();
    t.vaultLogon({ username: USER, password: "other" });
    accounts(t);
    const client = makeClient(t);
    const error = await client.gen2.GET("/Accounts").catch((e: unknown) => e);
    expect(error).toBeInstanceOf(LogonFailedError);
    expect(error).toMatchObject({ status: 403, errorCode: "PASWS013E", kind: "AUTHENTICATION_FAILED", duringLogon: true });
    expect((error as Error).message).toMatch(/logon failed/i);
    // No API call was attempted without a session.
    expect(t.requestsTo("GET", "/PasswordVault/API/Accounts")).toHaveLength(0);
    await client.close();
  });

  it("a logon answering 200 with an HTML page is an InvalidResponseError, not a token", async () => {
    const t = await tenant();
    t.route("POST", "/PasswordVault/API/auth/CyberArk/Logon", () => ({ headers: { "content-type": "text/html" }, text: "<html>sign in</html>" }));
    const client = makeClient(t);
    await expect(client.gen2.GET("/Accounts")).rejects.toMatchObject({ kind: "INVALID_RESPONSE", message: expect.stringMatching(/HTML/) });
    await client.close();
  });
});

describe("RADIUS", () => {
  it("append mode sends password<delimiter>otp", async () => {
    const t = await tenant();
    t.vaultLogon({ username: USER, password: `${PASSWORD}#123456`, method: "RADIUS" });
    accounts(t);
    const client = makeClient(t, { auth: radiusLogon({ username: USER, password: PASSWORD, otp: "123456", delimiter: "#" }) });
    await client.gen2.GET("/Accounts");
    expect(t.requestsTo("POST", "/PasswordVault/API/auth/RADIUS/Logon")[0]!.json).toEqual({ username: USER, password: `${PASSWORD}#123456`, concurrentSession: true });
    await client.close();
  });

  it("append mode defaults to a comma and can ask a callback for the OTP", async () => {
    const t = await tenant();
    t.vaultLogon({ username: USER, password: `${PASSWORD},777888`, method: "RADIUS" });
    accounts(t);
    const client = makeClient(t, { auth: radiusLogon({ username: USER, password: PASSWORD, mode: "append", otp: async () => "777888" }) });
    await client.gen2.GET("/Accounts");
    await client.close();
  });

  function challengeTenant(t: FakeTenant, answers: string[]): { prompts: string[] } {
    const prompts: string[] = [];
    let step = 0;
    t.route("POST", "/PasswordVault/API/auth/RADIUS/Logon", (req) => {
      const body = req.json as { username: string; password: string };
      const cookie = String(req.headers["cookie"] ?? "");
      if (step === 0) {
        if (body.password !== PASSWORD) return { status: 403, json: { ErrorCode: "PASWS013E", ErrorMessage: "bad" } };
        step = 1;
        return {
          status: 500,
          headers: { "set-cookie": ["RADIUSSESSION=abc123; Path=/; HttpOnly"] },
          json: { ErrorCode: "ITATS542I", ErrorMessage: "Enter the code sent to your phone" },
        };
      }
      // Challenge answers must come in the same cookie session, with only username and password.
      if (!cookie.includes("RADIUSSESSION=abc123")) return { status: 400, json: { ErrorCode: "X", ErrorMessage: "no session" } };
      if (Object.keys(body).sort().join() !== "password,username") return { status: 400, json: { ErrorCode: "X", ErrorMessage: "body" } };
      if (body.password !== answers[step - 1]) return { status: 403, json: { ErrorCode: "PASWS013E", ErrorMessage: "bad code" } };
      if (step < answers.length) {
        step++;
        return { status: 500, json: { ErrorCode: "ITATS542I", ErrorMessage: `Next challenge ${step}` } };
      }
      return { json: t.issueToken() };
    });
    return { prompts };
  }

  it("challenge mode answers ITATS542I prompts in the same cookie session until a token comes", async () => {
    const t = await tenant();
    challengeTenant(t, ["111111", "222222"]);
    accounts(t);
    const prompts: string[] = [];
    const client = makeClient(t, {
      auth: radiusLogon({
        username: USER,
        password: PASSWORD,
        concurrentSession: true,
        otp: (prompt) => {
          prompts.push(prompt);
          return prompts.length === 1 ? "111111" : "222222";
        },
      }),
    });
    await client.gen2.GET("/Accounts");
    expect(prompts).toEqual(["Enter the code sent to your phone", "Next challenge 2"]);
    const posts = t.requestsTo("POST", "/PasswordVault/API/auth/RADIUS/Logon");
    expect(posts).toHaveLength(3);
    expect(posts[0]!.json).toEqual({ username: USER, password: PASSWORD, concurrentSession: true });
    expect(posts[1]!.json).toEqual({ username: USER, password: "111111" });
    // The API call carries the logon cookies too (load-balancer affinity).
    expect(String(t.requestsTo("GET", "/PasswordVault/API/Accounts")[0]!.headers["cookie"])).toContain("RADIUSSESSION=abc123");
    await client.close();
  });

  it("a challenge without an otp callback, or too many challenges, fails as a logon failure", async () => {
    const t = await tenant();
    challengeTenant(t, ["1", "2", "3"]);
    const noCallback = makeClient(t, { auth: radiusLogon({ username: USER, password: PASSWORD }) });
    const e1 = await noCallback.gen2.GET("/Accounts").catch((e: unknown) => e);
    expect(e1).toBeInstanceOf(LogonFailedError);
    expect((e1 as Error).message).toMatch(/otp callback/);
    await noCallback.close();

    const t2 = await tenant();
    challengeTenant(t2, ["1", "1", "1", "1"]);
    const limited = makeClient(t2, { auth: radiusLogon({ username: USER, password: PASSWORD, otp: () => "1", maxChallenges: 2 }) });
    const e2 = await limited.gen2.GET("/Accounts").catch((e: unknown) => e);
    expect(e2).toBeInstanceOf(LogonFailedError);
    expect((e2 as Error).message).toMatch(/kept challenging after 2/);
    expect(t2.requestsTo("POST", "/PasswordVault/API/auth/RADIUS/Logon")).toHaveLength(3);
    await limited.close();
  });
});

describe("Gen 1 logon", () => {
  it("reads CyberArkLogonResult, sends it raw, logs off at the Gen 1 service", async () => {
    const t = await tenant();
    t.route("POST", "/PasswordVault/WebServices/auth/Cyberark/CyberArkAuthenticationService.svc/Logon", (req) => {
      const body = req.json as Record<string, unknown>;
      if (body["password"] !== PASSWORD) return { status: 403, json: { ErrorCode: "PASWS013E", ErrorMessage: "no" } };
      return { json: { CyberArkLogonResult: t.issueToken() } };
    });
    t.authed("GET", "/PasswordVault/WebServices/PIMServices.svc/Server", () => ({ json: { ExternalVersion: "12.6.0" } }));
    t.authed("POST", "/PasswordVault/WebServices/auth/Cyberark/CyberArkAuthenticationService.svc/Logoff", () => ({ json: {} }));
    const client = makeClient(t, { auth: gen1Logon({ username: USER, password: PASSWORD, connectionNumber: 3, useRadiusAuthentication: false }) });
    const { data } = await client.gen1.GET("/PIMServices.svc/Server");
    expect(data.ExternalVersion).toBe("12.6.0");
    const logon = t.requestsTo("POST", /CyberArkAuthenticationService\.svc\/Logon$/)[0]!;
    expect(logon.json).toEqual({ username: USER, password: PASSWORD, connectionNumber: 3, useRadiusAuthentication: false });
    await client.close();
    const logoff = t.requestsTo("POST", /CyberArkAuthenticationService\.svc\/Logoff$/);
    expect(logoff).toHaveLength(1);
    expect(t.tokens.has(authorizationOf(logoff[0]!)!)).toBe(true);
    // As psPAS sends it and the spec declares it: no body.
    expect(logoff[0]!.body).toBe("");
  });
});

describe("SAML", () => {
  it("posts a form with apiUse=true and a fresh SAMLResponse at each logon", async () => {
    const t = await tenant();
    let issued = 0;
    t.route("POST", "/PasswordVault/API/auth/SAML/Logon", (req) => {
      if (req.form?.get("apiUse") !== "true" || !req.form.get("SAMLResponse")?.startsWith("PHNhbWw")) return { status: 400, json: {} };
      issued++;
      return { json: t.issueToken() };
    });
    accounts(t);
    let calls = 0;
    const client = makeClient(t, {
      auth: samlLogon({ samlResponse: async () => `PHNhbWw-${++calls}`, concurrentSession: false }),
    });
    await client.gen2.GET("/Accounts");
    t.expireSessions();
    await client.gen2.GET("/Accounts");
    expect(issued).toBe(2);
    const forms = t.requestsTo("POST", "/PasswordVault/API/auth/SAML/Logon").map((r) => Object.fromEntries(r.form!));
    expect(forms).toEqual([
      { concurrentSession: "false", apiUse: "true", SAMLResponse: "PHNhbWw-1" },
      { concurrentSession: "false", apiUse: "true", SAMLResponse: "PHNhbWw-2" },
    ]);
    expect(t.requestsTo("POST", "/PasswordVault/API/auth/SAML/Logon")[0]!.headers["content-type"]).toMatch(/x-www-form-urlencoded/);
    await client.close();
  });
});

describe("PKI and PKIPN over TLS with a client certificate", () => {
  let pki: TestPki;
  beforeAll(() => {
    pki = createTestPki();
  });
  afterAll(() => pki.cleanup());

  it.each([
    ["PKI", pkiLogon({ concurrentSession: true }), { concurrentSession: true }],
    ["PKIPN", pkipnLogon(), { secureMode: true, type: "pkipn" }],
  ] as const)("%s logon presents the certificate and posts the expected body", async (kind, auth, body) => {
    const t = await tenant({ tls: { cert: pki.serverCert, key: pki.serverKey, ca: pki.caCert, requestCert: true } });
    t.route("POST", `/PasswordVault/API/auth/${kind}/Logon`, (req) =>
      req.clientCertSubject === "api-user" ? { json: t.issueToken() } : { status: 403, json: { ErrorCode: "PASWS013E", ErrorMessage: "no cert" } },
    );
    accounts(t);
    const client = createTestClient<FixturePaths, FixtureGen1Paths, {}>(
      {
        deployment: { type: "self-hosted", url: t.url.replace("127.0.0.1", "localhost") },
        auth,
        tls: { ca: pki.caCert, cert: pki.clientCert, key: pki.clientKey },
        proxy: false,
      },
      fixtureApi,
    );
    await client.gen2.GET("/Accounts");
    expect(t.requestsTo("POST", `/PasswordVault/API/auth/${kind}/Logon`)[0]!.json).toEqual(body);
    await client.close();
  });
});

describe("Privilege Cloud platform token", () => {
  async function cloud(expiresIn = 3600) {
    const api = await tenant();
    const identity = await tenant();
    const issued = identity.platformToken({ clientId: "svc@cyberark.cloud.1", clientSecret: "Canary-ClientSecret-91", expiresIn, validAt: api });
    accounts(api, true);
    api.authed("GET", "/api/discovered-accounts", () => ({ json: { value: [] } }), { bearer: true });
    const deployment = {
      type: "privilege-cloud" as const,
      subdomain: "mycompany",
      allowInsecureHttp: true,
      overrides: { pvwaRoot: api.url, pcloudRoot: api.url, identityUrl: identity.url },
    };
    return { api, identity, issued, deployment };
  }

  it("posts client credentials form-encoded and sends Bearer to the API (Gen 2 and /api)", async () => {
    const { api, identity, deployment } = await cloud();
    const client = createTestClient<FixturePaths, FixtureGen1Paths, { "/discovered-accounts": { get: { parameters: {}; responses: { 200: { content: { "application/json": { value?: unknown[] } } } } } } }>(
      { deployment, auth: platformToken({ clientId: "svc@cyberark.cloud.1", clientSecret: "Canary-ClientSecret-91" }), proxy: false },
      fixtureApi,
    );
    await client.gen2.GET("/Accounts");
    await client.pcloud!.GET("/discovered-accounts");
    const tokenRequest = identity.requestsTo("POST", "/oauth2/platformtoken")[0]!;
    expect(Object.fromEntries(tokenRequest.form!)).toEqual({
      grant_type: "client_credentials",
      client_id: "svc@cyberark.cloud.1",
      client_secret: "Canary-ClientSecret-91",
    });
    expect(authorizationOf(tokenRequest)).toBeUndefined();
    const token = [...api.tokens][0]!;
    for (const r of api.requests) expect(authorizationOf(r)).toBe(`Bearer ${token}`);
    await client.close();
  });

  it("renews the token before expires_in runs out, without a 401 round trip", async () => {
    const { api, issued, deployment } = await cloud(1);
    const client = makeClient(api, {
      deployment,
      auth: platformToken({ clientId: "svc@cyberark.cloud.1", clientSecret: "Canary-ClientSecret-91", renewBeforeSeconds: 0.6 }),
    });
    await client.gen2.GET("/Accounts");
    expect(issued.count).toBe(1);
    await client.gen2.GET("/Accounts");
    expect(issued.count).toBe(1);
    await new Promise((r) => setTimeout(r, 500));
    await client.gen2.GET("/Accounts");
    expect(issued.count).toBe(2);
    const gets = api.requestsTo("GET", "/PasswordVault/API/Accounts");
    expect(gets).toHaveLength(3);
    expect(authorizationOf(gets[2]!)).not.toBe(authorizationOf(gets[0]!));
    await client.close();
  });

  it("an Identity refusal carries error/error_description and is an AuthenticationError", async () => {
    const { deployment, api } = await cloud();
    const client = makeClient(api, { deployment, auth: platformToken({ clientId: "svc@cyberark.cloud.1", clientSecret: "wrong-secret" }) });
    const error = await client.gen2.GET("/Accounts").catch((e: unknown) => e);
    expect(error).toBeInstanceOf(AuthenticationError);
    expect(error).toMatchObject({ status: 401, identityError: "invalid_client", identityErrorDescription: "Client authentication failed" });
    expect((error as Error).message).toContain("invalid_client");
    await client.close();
  });

  it("needs an Identity URL", async () => {
    const api = await tenant();
    const client = makeClient(api, {
      deployment: { type: "privilege-cloud", subdomain: "mycompany", allowInsecureHttp: true, overrides: { pvwaRoot: api.url } },
      auth: platformToken({ clientId: "a", clientSecret: "b" }),
    });
    await expect(client.gen2.GET("/Accounts")).rejects.toBeInstanceOf(ConfigurationError);
    expect(() => platformToken({ clientId: "", clientSecret: "x" })).toThrow(ConfigurationError);
    await client.close();
  });

  it("vault, RADIUS and Gen 1 logons refuse a missing username or password before any request", () => {
    const missing = [{ username: "u", password: "" }, { username: "", password: "p" }, { password: "p" }] as Array<{ username: string; password: string }>;
    for (const options of missing) {
      expect(() => vaultLogon(options)).toThrow(/vaultLogon needs a username and a password/);
      expect(() => radiusLogon(options)).toThrow(ConfigurationError);
      expect(() => gen1Logon(options)).toThrow(ConfigurationError);
    }
  });
});

describe("ready tokens and token providers", () => {
  it("staticToken sends raw or Bearer and treats a 401 as final (no logon loop)", async () => {
    const t = await tenant();
    accounts(t);
    const token = t.issueToken();
    const raw = makeClient(t, { auth: staticToken({ token }) });
    await raw.gen2.GET("/Accounts");
    expect(authorizationOf(t.requests.at(-1)!)).toBe(token);
    t.expireSessions();
    await expect(raw.gen2.GET("/Accounts")).rejects.toBeInstanceOf(AuthenticationError);
    expect(t.requests).toHaveLength(2);
    await raw.close();

    const t2 = await tenant();
    accounts(t2, true);
    const bearer = makeClient(t2, { auth: staticToken({ token: t2.issueToken(), scheme: "bearer" }) });
    await bearer.gen2.GET("/Accounts");
    expect(authorizationOf(t2.requests[0]!)).toMatch(/^Bearer /);
    await bearer.close();
  });

  it("tokenProvider is asked at first use and again after a 401", async () => {
    const t = await tenant();
    accounts(t, true);
    let calls = 0;
    const client = makeClient(t, {
      auth: tokenProvider(
        async () => {
          calls++;
          return { token: t.issueToken(), expiresAt: new Date(Date.now() + 60_000) };
        },
        { scheme: "bearer" },
      ),
    });
    await client.gen2.GET("/Accounts");
    t.expireSessions();
    await client.gen2.GET("/Accounts");
    expect(calls).toBe(2);
    expect(t.requests.map((r) => r.method)).toEqual(["GET", "GET", "GET"]);
    await client.close();
  });
});

describe("disposal", () => {
  it("await using logs off and closes", async () => {
    const t = await tenant();
    t.vaultLogon({ username: USER, password: PASSWORD });
    accounts(t);
    t.authed("POST", "/PasswordVault/API/Auth/Logoff", () => ({ status: 200 }));
    {
      await using client = makeClient(t);
      await client.gen2.GET("/Accounts");
    }
    expect(t.requestsTo("POST", "/PasswordVault/API/Auth/Logoff")).toHaveLength(1);
  });

  it("logon() logs on eagerly; close() without a session sends nothing", async () => {
    const t = await tenant();
    const logons = t.vaultLogon({ username: USER, password: PASSWORD });
    const eager = makeClient(t);
    await eager.logon();
    expect(logons.count).toBe(1);
    await eager.close();
    const idle = makeClient(t);
    await idle.close();
    expect(t.requestsTo("POST", "/PasswordVault/API/Auth/Logoff")).toHaveLength(1);
  });
});
