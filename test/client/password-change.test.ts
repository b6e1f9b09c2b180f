// A logon that changes an expired password: the change is asked for once; re-logons use the new password.
// Vault logons ask for concurrent sessions unless told otherwise.
import { afterEach, describe, expect, it } from "vitest";
import { gen1Logon, samlLogon, vaultLogon } from "../../src/auth/index.js";
import { startFakeTenant, type FakeTenant, type RecordedRequest } from "../support/fake-tenant.js";
import { makeClient, PASSWORD, USER } from "./helpers.js";

const NEW_PASSWORD = "N3w-Canary-pw-9c1e";
const tenants: FakeTenant[] = [];
afterEach(async () => {
  await Promise.all(tenants.splice(0).map((t) => t.close()));
});

/** A vault whose password for USER is PASSWORD until a logon changes it to NEW_PASSWORD. */
async function expiredPasswordTenant(logonPath: string, answer: (token: string) => unknown): Promise<FakeTenant> {
  const t = await startFakeTenant();
  tenants.push(t);
  let current = PASSWORD;
  let mustChange = true;
  t.route("POST", logonPath, (req: RecordedRequest) => {
    const body = req.json as { password?: string; newPassword?: string };
    const refuse = { status: 403, json: { ErrorCode: "PASWS013E", ErrorMessage: "Authentication failure." } };
    if (body.password !== current) return refuse;
    if (mustChange) {
      if (body.newPassword === undefined) return { status: 403, json: { ErrorCode: "ITATS012E", ErrorMessage: "Password expired." } };
      current = body.newPassword;
      mustChange = false;
    }
    return { json: answer(t.issueToken()) };
  });
  t.authed("GET", "/PasswordVault/API/Accounts", () => ({ json: { value: [], count: 0 } }));
  return t;
}

describe("a logon with newPassword", () => {
  for (const [name, path, auth, answer] of [
    ["vaultLogon", "/PasswordVault/API/auth/CyberArk/Logon", () => vaultLogon({ username: USER, password: PASSWORD, newPassword: NEW_PASSWORD }), (token: string) => token],
    ["gen1Logon", "/PasswordVault/WebServices/auth/Cyberark/CyberArkAuthenticationService.svc/Logon", () => gen1Logon({ username: USER, password: PASSWORD, newPassword: NEW_PASSWORD }), (token: string) => ({ CyberArkLogonResult: token })],
  ] as const) {
    it(`${name}: changes the password once; the re-logon after the session ended sends the new password alone`, async () => {
      const t = await expiredPasswordTenant(path, answer);
      const client = makeClient(t, { auth: auth() });
      await client.gen2.GET("/Accounts");
      t.expireSessions();
      await client.gen2.GET("/Accounts"); // 401, re-logon, replay
      const logons = t.requestsTo("POST", path).map((r) => r.json as Record<string, unknown>);
      expect(logons.map((b) => [b["password"], b["newPassword"]])).toEqual([
        [PASSWORD, NEW_PASSWORD],
        [NEW_PASSWORD, undefined],
      ]);
      await client.close();
    });
  }

  it("keeps asking for the change while it has not succeeded", async () => {
    const t = await startFakeTenant();
    tenants.push(t);
    t.route("POST", "/PasswordVault/API/auth/CyberArk/Logon", () => ({ status: 503 }));
    const client = makeClient(t, { auth: vaultLogon({ username: USER, password: PASSWORD, newPassword: NEW_PASSWORD }) });
    await expect(client.gen2.GET("/Accounts")).rejects.toThrow();
    await expect(client.gen2.GET("/Accounts")).rejects.toThrow();
    const logons = t.requestsTo("POST", "/PasswordVault/API/auth/CyberArk/Logon").map((r) => r.json as Record<string, unknown>);
    expect(logons.length).toBeGreaterThanOrEqual(2);
    expect(logons.every((b) => b["password"] === PASSWORD && b["newPassword"] === NEW_PASSWORD)).toBe(true);
    await client.close();
  });
});

describe("concurrent sessions", () => {
  it("vault and SAML logons ask for them by default, and send false when told", async () => {
    const t = await startFakeTenant();
    tenants.push(t);
    t.vaultLogon({ username: USER, password: PASSWORD });
    t.route("POST", "/PasswordVault/API/auth/SAML/Logon", () => ({ json: t.issueToken() }));
    t.authed("GET", "/PasswordVault/API/Accounts", () => ({ json: { value: [], count: 0 } }));
    for (const auth of [vaultLogon({ username: USER, password: PASSWORD }), vaultLogon({ username: USER, password: PASSWORD, concurrentSession: false }), samlLogon({ samlResponse: "PHNhbWw" })]) {
      const client = makeClient(t, { auth });
      await client.gen2.GET("/Accounts");
      await client.close();
    }
    const vault = t.requestsTo("POST", "/PasswordVault/API/auth/CyberArk/Logon").map((r) => (r.json as Record<string, unknown>)["concurrentSession"]);
    expect(vault).toEqual([true, false]);
    expect(t.requestsTo("POST", "/PasswordVault/API/auth/SAML/Logon")[0]?.form?.get("concurrentSession")).toBe("true");
  });
});
