// The mock logs on like a tenant: Gen 2 and Gen 1 vault logons answer a fresh token Prism accepts,
// a refused password (empty, or starting with "wrong") gets the PVWA's 403 PASWS013E, and the
// password is never echoed: not in the answer, not in the mock's log. Canary passwords prove the last.
import { randomBytes } from "node:crypto";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { REFUSED_PREFIX } from "../../scripts/mock/credentials.js";
import { startMock, type RunningMock } from "../../scripts/mock/start-mock.js";
import { createCyberArkClient, gen1Logon, LogonFailedError, vaultLogon, type VaultLogonMethod } from "../../src/index.js";

const GEN2 = "/PasswordVault/API";
const GEN1 = "/PasswordVault/WebServices/auth/Cyberark/CyberArkAuthenticationService.svc";

let mock: RunningMock;
const log: string[] = [];
beforeAll(async () => {
  mock = await startMock({ onLine: (line) => log.push(line), startTimeoutMs: 170_000 });
  return () => mock.close();
});

const canary = (): string => `${REFUSED_PREFIX}-Canary-${randomBytes(6).toString("hex")}`;

async function post(path: string, body: unknown, headers: Record<string, string> = {}): Promise<{ status: number; text: string; headers: string }> {
  const res = await fetch(`${mock.url}${path}`, { method: "POST", headers: { "content-type": "application/json", ...headers }, body: JSON.stringify(body) });
  return { status: res.status, text: await res.text(), headers: JSON.stringify([...res.headers]) };
}

/** A secured route answers with the token (Prism only checks that Authorization is present). */
async function accepted(token: string): Promise<number> {
  const res = await fetch(`${mock.url}${GEN2}/Safes`, { headers: { authorization: token } });
  await res.body?.cancel();
  return res.status;
}

describe("Gen 2 logon", () => {
  it.each(["CyberArk", "LDAP", "RADIUS"])("%s: any other password answers a fresh session token the mock accepts", async (method) => {
    const first = await post(`${GEN2}/auth/${method}/Logon`, { username: "automation", password: "any-password", concurrentSession: true });
    const second = await post(`${GEN2}/auth/${method}/Logon`, { username: "automation", password: "any-password", concurrentSession: true });
    expect(first.status).toBe(200);
    const token = JSON.parse(first.text) as unknown;
    expect(typeof token).toBe("string");
    // psPAS tells a Gen 2 token from a Gen 1 one by its length (>= 180).
    expect((token as string).length).toBeGreaterThanOrEqual(180);
    expect(JSON.parse(second.text)).not.toBe(token);
    expect(await accepted(token as string)).toBe(200);
  });

  it("Windows (no password in the body) answers a token, not Prism's null", async () => {
    const { status, text } = await post(`${GEN2}/auth/Windows/Logon`, { concurrentSession: true });
    expect(status).toBe(200);
    expect(JSON.parse(text)).toEqual(expect.stringMatching(/^.{180,}$/));
  });

  it.each(["CyberArk", "LDAP", "RADIUS"])("%s: a refused password gets 403 PASWS013E naming the user, never the password", async (method) => {
    const password = canary();
    const refused = await post(`${GEN2}/auth/${method}/Logon`, { username: "automation", password });
    expect(refused.status).toBe(403);
    expect(JSON.parse(refused.text)).toEqual({ ErrorCode: "PASWS013E", ErrorMessage: "Authentication failure for User [automation]." });
    expect(refused.text + refused.headers).not.toContain(password);
    expect(log.join("\n")).not.toContain(password);
  });

  it("an empty password is refused too; a password in the user name field is not echoed", async () => {
    expect((await post(`${GEN2}/auth/CyberArk/Logon`, { username: "automation", password: "" })).status).toBe(403);
    const password = canary();
    const refused = await post(`${GEN2}/auth/CyberArk/Logon`, { username: `automation ${password}`, password });
    expect(refused.status).toBe(403);
    expect(refused.text).not.toContain(password);
  });

  it("matches the route's letter case as IIS does (Auth/cyberark)", async () => {
    const ok = await post(`${GEN2}/Auth/cyberark/Logon`, { username: "automation", password: "any-password" });
    expect(ok.status).toBe(200);
    expect((await post(`${GEN2}/AUTH/CYBERARK/LOGON`, { username: "automation", password: canary() })).status).toBe(403);
  });

  it("Prism still checks the request: a body without a password breaks the spec and gets no token", async () => {
    const { status, headers } = await post(`${GEN2}/auth/CyberArk/Logon`, { username: "automation" });
    expect(status).toBe(400);
    expect(headers).toContain("sl-violations");
  });

  it("Prism's chosen answers stand (Prefer: code=409, the expired-password answer)", async () => {
    const { status } = await post(`${GEN2}/auth/CyberArk/Logon`, { username: "automation", password: "any-password" }, { prefer: "code=409" });
    expect(status).toBe(409);
  });

  it("logoff ends the session with 200", async () => {
    const token = JSON.parse((await post(`${GEN2}/auth/CyberArk/Logon`, { username: "automation", password: "p" })).text) as string;
    const res = await fetch(`${mock.url}${GEN2}/Auth/Logoff`, { method: "POST", headers: { authorization: token } });
    await res.body?.cancel();
    expect(res.status).toBe(200);
  });
});

describe("Gen 1 logon", () => {
  it("answers {CyberArkLogonResult} with a token the mock accepts; logoff answers 200", async () => {
    const { status, text } = await post(`${GEN1}/Logon`, { username: "automation", password: "any-password" });
    expect(status).toBe(200);
    const token = (JSON.parse(text) as { CyberArkLogonResult: string }).CyberArkLogonResult;
    expect(token).toEqual(expect.stringMatching(/^.{180,}$/));
    expect(await accepted(token)).toBe(200);
    // The spec's Gen 1 logoff takes no body.
    const logoff = await fetch(`${mock.url}${GEN1}/Logoff`, { method: "POST", headers: { authorization: token } });
    expect(logoff.status).toBe(200);
    expect(await logoff.json()).toEqual({});
  });

  it("refuses a refused password with 403 PASWS013E and does not echo it", async () => {
    const password = canary();
    const refused = await post(`${GEN1.replace("Cyberark", "CyberArk")}/Logon`, { username: "automation", password });
    expect(refused.status).toBe(403);
    expect(JSON.parse(refused.text)).toMatchObject({ ErrorCode: "PASWS013E" });
    expect(refused.text + refused.headers + log.join("\n")).not.toContain(password);
  });
});

describe("the client against the mock", () => {
  const deployment = () => ({ type: "self-hosted" as const, url: mock.url, allowInsecureHttp: true });

  it.each<VaultLogonMethod>(["CyberArk", "LDAP"])("vaultLogon (%s) logs on, calls, and logs off", async (method) => {
    const client = createCyberArkClient({ deployment: deployment(), auth: vaultLogon({ method, username: "automation", password: "any-password" }), retry: false });
    try {
      const { response } = await client.gen2.GET("/Safes/{safeUrlId}", { params: { path: { safeUrlId: "Finance" } } });
      expect(response.status).toBe(200);
      await expect(client.logoff()).resolves.toBeUndefined();
    } finally {
      await client.close();
    }
  });

  it.each([
    ["vaultLogon", (password: string) => vaultLogon({ username: "automation", password })],
    ["gen1Logon", (password: string) => gen1Logon({ username: "automation", password })],
  ] as const)("%s with a refused password fails as LogonFailedError without the password", async (_name, auth) => {
    const password = canary();
    const client = createCyberArkClient({ deployment: deployment(), auth: auth(password), retry: false });
    try {
      const error = await client.gen2.GET("/Safes/{safeUrlId}", { params: { path: { safeUrlId: "Finance" } } }).catch((e: unknown) => e);
      expect(error).toBeInstanceOf(LogonFailedError);
      expect((error as LogonFailedError).errorCode).toBe("PASWS013E");
      expect(`${String(error)} ${JSON.stringify(error)}`).not.toContain(password);
    } finally {
      await client.close();
    }
  });
});
