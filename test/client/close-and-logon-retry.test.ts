// close() ends everything at once and leaves no session open; a logon that failed for a passing reason is
// tried again, except where a second try could repeat a password change or spend a one-time password.
import { afterEach, describe, expect, it } from "vitest";
import { radiusLogon, vaultLogon } from "../../src/auth/index.js";
import { TransportClosedError } from "../../src/errors/transport-closed.js";
import { startFakeTenant, type FakeTenant, type RecordedRequest } from "../support/fake-tenant.js";
import { makeClient, PASSWORD, USER } from "./helpers.js";

const LOGON = "/PasswordVault/API/auth/CyberArk/Logon";
const tenants: FakeTenant[] = [];
afterEach(async () => {
  await Promise.all(tenants.splice(0).map((t) => t.close()));
});

async function tenantWithLogon(answers: Array<(req: RecordedRequest) => { status?: number; json?: unknown; delayMs?: number; destroy?: boolean }>): Promise<FakeTenant> {
  const t = await startFakeTenant();
  tenants.push(t);
  let n = 0;
  t.route("POST", LOGON, (req) => (answers[Math.min(n++, answers.length - 1)] ?? (() => ({ status: 500 })))(req));
  t.route("POST", "/PasswordVault/API/auth/RADIUS/Logon", () => ({ status: 503 }));
  t.authed("GET", "/PasswordVault/API/Accounts", () => ({ json: { value: [], count: 0 } }));
  t.authed("POST", "/PasswordVault/API/Auth/Logoff", () => ({ json: {} }));
  return t;
}
const ok = (t: () => FakeTenant) => () => ({ json: t().issueToken() });

describe("logon retries", () => {
  it("a 503 and a dropped connection on logon are tried again; every waiting call succeeds with one session", async () => {
    let t!: FakeTenant;
    t = await tenantWithLogon([() => ({ status: 503 }), () => ({ destroy: true }), ok(() => t)]);
    const client = makeClient(t, { retry: { baseDelayMs: 1, maxDelayMs: 2 } });
    const results = await Promise.allSettled(Array.from({ length: 10 }, () => client.gen2.GET("/Accounts")));
    expect(results.filter((r) => r.status === "rejected")).toEqual([]);
    expect(t.requestsTo("POST", LOGON)).toHaveLength(3);
    await client.close();
  });

  it("is bounded, and never repeats a logon that carries a password change or a one-time password", async () => {
    const t = await tenantWithLogon([() => ({ status: 503 })]);
    const plain = makeClient(t, { retry: { baseDelayMs: 1, maxDelayMs: 2 } });
    await expect(plain.gen2.GET("/Accounts")).rejects.toMatchObject({ status: 503 });
    expect(t.requestsTo("POST", LOGON)).toHaveLength(3); // the first try and two more
    await plain.close();
    t.clear();

    const changing = makeClient(t, { retry: { baseDelayMs: 1, maxDelayMs: 2 }, auth: vaultLogon({ username: USER, password: PASSWORD, newPassword: "N3w-pw-0c1d" }) });
    await expect(changing.gen2.GET("/Accounts")).rejects.toMatchObject({ status: 503 });
    expect(t.requestsTo("POST", LOGON)).toHaveLength(1);
    await changing.close();

    const radius = makeClient(t, { retry: { baseDelayMs: 1, maxDelayMs: 2 }, auth: radiusLogon({ username: USER, password: PASSWORD, otp: "123456" }) });
    await expect(radius.gen2.GET("/Accounts")).rejects.toMatchObject({ status: 503 });
    expect(t.requestsTo("POST", "/PasswordVault/API/auth/RADIUS/Logon")).toHaveLength(1);
    await radius.close();
  });

  it("a refused password is never tried again", async () => {
    const t = await tenantWithLogon([() => ({ status: 403, json: { ErrorCode: "PASWS013E" } })]);
    const client = makeClient(t, { retry: { baseDelayMs: 1, maxDelayMs: 2 } });
    await expect(client.gen2.GET("/Accounts")).rejects.toMatchObject({ status: 403 });
    expect(t.requestsTo("POST", LOGON)).toHaveLength(1);
    await client.close();
  });
});

describe("close()", () => {
  it("returns at once with a logon hung and no time limit, and ends every waiting call with TransportClosedError", async () => {
    const t = await tenantWithLogon([() => ({ delayMs: 60_000, json: "never" })]);
    const client = makeClient(t, { timeoutMs: 0 });
    const calls = Array.from({ length: 5 }, () => client.gen2.GET("/Accounts").catch((e: unknown) => e));
    await new Promise((r) => setTimeout(r, 50)); // the logon is on the wire
    const started = performance.now();
    await client.close();
    const errors = await Promise.all(calls);
    expect(performance.now() - started).toBeLessThan(1_000);
    for (const e of errors) expect(e).toBeInstanceOf(TransportClosedError);
  });

  it("refuses calls from the moment it starts, logs off the session it has, and opens no new one", async () => {
    let t!: FakeTenant;
    t = await tenantWithLogon([ok(() => t)]);
    t.authed("POST", "/PasswordVault/API/Auth/Logoff", () => ({ json: {}, delayMs: 100 }));
    const client = makeClient(t);
    await client.gen2.GET("/Accounts");
    expect(client.sessionInfo()).toEqual({ loggedOn: true, expiresAt: undefined });
    const closing = client.close();
    const during = await client.gen2.GET("/Accounts").catch((e: unknown) => e); // while the logoff is under way
    await closing;
    expect(during).toBeInstanceOf(TransportClosedError);
    await expect(client.gen2.GET("/Accounts")).rejects.toBeInstanceOf(TransportClosedError);
    await expect(client.logon()).rejects.toBeInstanceOf(TransportClosedError);
    expect(t.requestsTo("POST", LOGON)).toHaveLength(1);
    expect(t.requestsTo("POST", "/PasswordVault/API/Auth/Logoff")).toHaveLength(1);
    expect(client.sessionInfo().loggedOn).toBe(false);
    await client.close(); // twice is fine
  });

  it("ends a call waiting out a retry delay", async () => {
    let t!: FakeTenant;
    t = await tenantWithLogon([ok(() => t)]);
    t.authed("GET", "/PasswordVault/API/Safes", () => ({ status: 503 }));
    const client = makeClient(t, { retry: { baseDelayMs: 30_000, maxDelayMs: 30_000 }, timeoutMs: 0 });
    await client.gen2.GET("/Accounts");
    const waiting = (client.gen2.GET as unknown as (p: string) => Promise<unknown>)("/Safes").catch((e: unknown) => e);
    await new Promise((r) => setTimeout(r, 50));
    const started = performance.now();
    await client.close();
    expect(await waiting).toBeInstanceOf(TransportClosedError);
    expect(performance.now() - started).toBeLessThan(1_000);
  });
});
