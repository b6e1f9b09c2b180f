// One class for "the credentials were refused at logon", whatever the logon kind, the deployment and the
// status the server chose: LogonFailedError, itself an AuthenticationError. A session that the server
// stops accepting mid-way stays a plain AuthenticationError (not a LogonFailedError), unless the fresh
// logon it causes is refused.
import { afterEach, describe, expect, it } from "vitest";
import { gen1Logon, pkiLogon, pkipnLogon, platformToken, radiusLogon, samlLogon, vaultLogon } from "../../src/auth/index.js";
import type { AuthStrategy } from "../../src/auth/types.js";
import type { Deployment } from "../../src/deployment.js";
import { AuthenticationError, BadRequestError, ForbiddenError, LogonFailedError, ServerError } from "../../src/errors/status-errors.js";
import { startFakeTenant, type FakeResponse, type FakeTenant } from "../support/fake-tenant.js";
import { makeClient, PASSWORD, USER } from "./helpers.js";

const SECRET = "Canary-ClientSecret-4e1b";
const tenants: FakeTenant[] = [];
async function tenant(): Promise<FakeTenant> {
  const t = await startFakeTenant();
  tenants.push(t);
  return t;
}
afterEach(async () => {
  await Promise.all(tenants.splice(0).map((t) => t.close()));
});

const PASWS013E = { status: 403, json: { ErrorCode: "PASWS013E", ErrorMessage: "Authentication failure for User [api-user]." } };

interface Refusal {
  name: string;
  auth: () => AuthStrategy;
  /** The logon route and what it answers. */
  route: [string, FakeResponse];
  status: number;
  privilegeCloud?: boolean;
}

const REFUSALS: Refusal[] = [
  { name: "vault CyberArk, 403 PASWS013E", auth: () => vaultLogon({ username: USER, password: PASSWORD }), route: ["/PasswordVault/API/auth/CyberArk/Logon", PASWS013E], status: 403 },
  {
    name: "vault LDAP, 401",
    auth: () => vaultLogon({ method: "LDAP", username: USER, password: PASSWORD }),
    route: ["/PasswordVault/API/auth/LDAP/Logon", { status: 401, json: { ErrorCode: "PASWS013E", ErrorMessage: "no" } }],
    status: 401,
  },
  { name: "RADIUS, 403", auth: () => radiusLogon({ username: USER, password: PASSWORD, otp: "123456" }), route: ["/PasswordVault/API/auth/RADIUS/Logon", PASWS013E], status: 403 },
  {
    name: "RADIUS challenging past maxChallenges, 500",
    auth: () => radiusLogon({ username: USER, password: PASSWORD, otp: () => "1", maxChallenges: 1 }),
    route: ["/PasswordVault/API/auth/RADIUS/Logon", { status: 500, json: { ErrorCode: "ITATS542I", ErrorMessage: "Enter code" } }],
    status: 500,
  },
  {
    name: "SAML, 400 PASWS035E",
    auth: () => samlLogon({ samlResponse: "PHNhbWw-canary" }),
    route: ["/PasswordVault/API/auth/SAML/Logon", { status: 400, json: { ErrorCode: "PASWS035E", ErrorMessage: "Authentication failure. Please contact your Administrator." } }],
    status: 400,
  },
  { name: "SAML, 403", auth: () => samlLogon({ samlResponse: "PHNhbWw-canary" }), route: ["/PasswordVault/API/auth/SAML/Logon", { status: 403, json: {} }], status: 403 },
  { name: "PKI, 403", auth: () => pkiLogon(), route: ["/PasswordVault/API/auth/PKI/Logon", PASWS013E], status: 403 },
  { name: "PKIPN, 401", auth: () => pkipnLogon(), route: ["/PasswordVault/API/auth/PKIPN/Logon", { status: 401, json: {} }], status: 401 },
  {
    name: "Gen 1, 403",
    auth: () => gen1Logon({ username: USER, password: PASSWORD }),
    route: ["/PasswordVault/WebServices/auth/Cyberark/CyberArkAuthenticationService.svc/Logon", PASWS013E],
    status: 403,
  },
  {
    name: "Privilege Cloud platform token, 401 invalid_client",
    auth: () => platformToken({ clientId: "svc", clientSecret: SECRET }),
    route: ["/oauth2/platformtoken", { status: 401, json: { error: "invalid_client", error_description: "Client authentication failed" } }],
    status: 401,
    privilegeCloud: true,
  },
  {
    name: "Privilege Cloud platform token, 400 invalid_grant",
    auth: () => platformToken({ clientId: "svc", clientSecret: SECRET }),
    route: ["/oauth2/platformtoken", { status: 400, json: { error: "invalid_grant", error_description: "bad credentials" } }],
    status: 400,
    privilegeCloud: true,
  },
];

function deploymentOf(t: FakeTenant, privilegeCloud: boolean | undefined): Deployment {
  return privilegeCloud
    ? { type: "privilege-cloud", subdomain: "mycompany", allowInsecureHttp: true, overrides: { pvwaRoot: t.url, pcloudRoot: t.url, identityUrl: t.url } }
    : { type: "self-hosted", url: t.url, allowInsecureHttp: true };
}

describe("credentials refused at logon", () => {
  it.each(REFUSALS.map((r) => [r.name, r] as const))("%s: LogonFailedError, an AuthenticationError, kind AUTHENTICATION_FAILED", async (_, refusal) => {
    const t = await tenant();
    const [path, answer] = refusal.route;
    t.route("POST", path, () => answer);
    t.authed("GET", "/PasswordVault/API/Accounts", () => ({ json: { value: [] } }), { bearer: refusal.privilegeCloud });
    const client = makeClient(t, { deployment: deploymentOf(t, refusal.privilegeCloud), auth: refusal.auth() });
    const error = await client.gen2.GET("/Accounts").catch((e: unknown) => e);
    await client.close();
    expect(error).toBeInstanceOf(LogonFailedError);
    expect(error).toBeInstanceOf(AuthenticationError);
    expect(error).toMatchObject({ kind: "AUTHENTICATION_FAILED", status: refusal.status, duringLogon: true });
    expect((error as Error).message).toMatch(/^Logon request POST /);
    // The call itself never left without a session.
    expect(t.requestsTo("GET", "/PasswordVault/API/Accounts")).toHaveLength(0);
    for (const canary of [PASSWORD, SECRET, "PHNhbWw-canary"]) expect(JSON.stringify(error) + String(error)).not.toContain(canary);
  });

  it("a 400 at logon that does not refuse the credentials (bad parameters) stays a BadRequestError", async () => {
    const t = await tenant();
    t.route("POST", "/PasswordVault/API/auth/CyberArk/Logon", () => ({ status: 400, json: { ErrorCode: "PASWS167E", ErrorMessage: "There are some invalid parameters" } }));
    const client = makeClient(t);
    const error = await client.logon().catch((e: unknown) => e);
    await client.close();
    expect(error).toBeInstanceOf(BadRequestError);
    expect(error).not.toBeInstanceOf(AuthenticationError);
  });

  it("an Identity 400 invalid_request (a malformed request, not a refusal) stays a BadRequestError", async () => {
    const t = await tenant();
    t.route("POST", "/oauth2/platformtoken", () => ({ status: 400, json: { error: "invalid_request", error_description: "grant_type missing" } }));
    const client = makeClient(t, { deployment: deploymentOf(t, true), auth: platformToken({ clientId: "svc", clientSecret: SECRET }) });
    const error = await client.logon().catch((e: unknown) => e);
    await client.close();
    expect(error).toBeInstanceOf(BadRequestError);
    expect(error).not.toBeInstanceOf(AuthenticationError);
  });
});

describe("refused sessions and refused credentials stay apart", () => {
  it("a session the server keeps refusing after a fresh logon: AuthenticationError, not LogonFailedError", async () => {
    const t = await tenant();
    t.vaultLogon({ username: USER, password: PASSWORD });
    // The logon works, the call never does (a token the API side does not accept).
    t.route("GET", "/PasswordVault/API/Accounts", () => ({ status: 401, json: { ErrorCode: "PASWS006E", ErrorMessage: "expired" } }));
    const client = makeClient(t);
    const error = await client.gen2.GET("/Accounts").catch((e: unknown) => e);
    await client.close();
    expect(error).toBeInstanceOf(AuthenticationError);
    expect(error).not.toBeInstanceOf(LogonFailedError);
    expect(error).toMatchObject({ status: 401, duringLogon: false });
    expect((error as Error).message).toMatch(/refused the session even right after a fresh logon/);
  });

  it("a session that expired and whose fresh logon is refused (password changed meanwhile): LogonFailedError", async () => {
    const t = await tenant();
    let password = PASSWORD;
    t.route("POST", "/PasswordVault/API/auth/CyberArk/Logon", (req) =>
      (req.json as { password: string }).password === password ? { json: t.issueToken() } : PASWS013E,
    );
    t.authed("GET", "/PasswordVault/API/Accounts", () => ({ json: { value: [] } }));
    const client = makeClient(t);
    await client.gen2.GET("/Accounts");
    t.expireSessions();
    password = "changed-elsewhere";
    const error = await client.gen2.GET("/Accounts").catch((e: unknown) => e);
    await client.close();
    expect(error).toBeInstanceOf(LogonFailedError);
    expect(error).toMatchObject({ status: 403, duringLogon: true });
  });

  it("a 403 on a call (authenticated, not permitted) is a ForbiddenError, not an AuthenticationError", async () => {
    const t = await tenant();
    t.vaultLogon({ username: USER, password: PASSWORD });
    t.authed("GET", "/PasswordVault/API/Accounts", () => ({ status: 403, json: { ErrorCode: "PASWS041E", ErrorMessage: "not permitted" } }));
    const client = makeClient(t);
    const error = await client.gen2.GET("/Accounts").catch((e: unknown) => e);
    await client.close();
    expect(error).toBeInstanceOf(ForbiddenError);
    expect(error).not.toBeInstanceOf(AuthenticationError);
  });
});

describe("a refused logoff is an ordinary HTTP error about the logoff, never a refused logon", () => {
  const GEN1_SERVICE = "/PasswordVault/WebServices/auth/Cyberark/CyberArkAuthenticationService.svc";
  const KINDS = [
    {
      name: "Gen 2",
      logoffPath: "/PasswordVault/API/Auth/Logoff",
      setup: (t: FakeTenant) => t.vaultLogon({ username: USER, password: PASSWORD }),
      auth: () => vaultLogon({ username: USER, password: PASSWORD }),
    },
    {
      name: "Gen 1",
      logoffPath: `${GEN1_SERVICE}/Logoff`,
      setup: (t: FakeTenant) => t.route("POST", `${GEN1_SERVICE}/Logon`, () => ({ json: { CyberArkLogonResult: t.issueToken() } })),
      auth: () => gen1Logon({ username: USER, password: PASSWORD }),
    },
  ];
  const ANSWERS = [
    { answer: { status: 403, json: { ErrorCode: "PASWS041E", ErrorMessage: "forbidden by rule" } }, type: ForbiddenError },
    // The code that means "credentials refused" at logon: at logoff it refuses nothing of the caller's.
    { answer: PASWS013E, type: ForbiddenError },
    { answer: { status: 400, json: { ErrorCode: "PASWS013E", ErrorMessage: "Authentication failure" } }, type: BadRequestError },
    { answer: { status: 500, json: { ErrorCode: "CAWS00001E", ErrorMessage: "boom" } }, type: ServerError },
  ];

  for (const kind of KINDS) {
    it.each(ANSWERS.map((a) => [a.answer.status, a.answer.json.ErrorCode, a] as const))(`${kind.name} logoff answered %i %s`, async (_status, _code, { answer, type }) => {
      const t = await tenant();
      kind.setup(t);
      t.route("POST", kind.logoffPath, () => answer);
      const client = makeClient(t, { auth: kind.auth() });
      await client.logon();
      const error = await client.logoff().then(
        () => undefined,
        (e: unknown) => e,
      );
      await client.close();
      expect(error).toBeInstanceOf(type);
      expect(error).not.toBeInstanceOf(LogonFailedError);
      expect(error).not.toBeInstanceOf(AuthenticationError);
      expect(error).toMatchObject({ status: answer.status, duringLogon: false, duringLogoff: true, kind: "HTTP_ERROR" });
      const message = (error as Error).message;
      expect(message).toMatch(new RegExp(`^Logoff request POST ${kind.logoffPath.replace(/\./g, "\\.")} failed with HTTP ${answer.status}: `));
      expect(message).not.toMatch(/logon/i);
      expect(JSON.parse(JSON.stringify(error))).toMatchObject({ duringLogoff: true });
      expect(JSON.parse(JSON.stringify(error))).not.toHaveProperty("duringLogon");
    });

    it(`${kind.name} logoff answered 401: the session is gone already, which is what logoff wants`, async () => {
      const t = await tenant();
      kind.setup(t);
      t.route("POST", kind.logoffPath, () => ({ status: 401, json: { ErrorCode: "PASWS006E", ErrorMessage: "expired" } }));
      const client = makeClient(t, { auth: kind.auth() });
      await client.logon();
      await expect(client.logoff()).resolves.toBeUndefined();
      expect(t.requestsTo("POST", kind.logoffPath)).toHaveLength(1);
      await client.close();
    });
  }

  it("close() logs the refused logoff as such, and swallows it", async () => {
    const t = await tenant();
    KINDS[0]!.setup(t);
    t.route("POST", KINDS[0]!.logoffPath, () => PASWS013E);
    const lines: Array<[string, unknown]> = [];
    const client = makeClient(t, { logger: { error: (message, meta) => void lines.push([message, meta]) } });
    await client.logon();
    await client.close();
    expect(lines).toHaveLength(1);
    expect(lines[0]![0]).toBe("logoff failed while closing the client");
    expect(JSON.stringify(lines[0]![1])).toMatch(/Logoff request POST \/PasswordVault\/API\/Auth\/Logoff failed with HTTP 403: the logoff was refused/);
  });
});
