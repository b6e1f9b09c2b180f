// How long a client keeps redacting a token, through its real logon, renewal and logoff paths: the
// current and the previous token are redacted, older ones are forgotten, so the set a long-running
// service matches stays two logons' worth however many renewals it goes through. (That an old token
// then shows in clear is the observable proof; the server here echoes tokens no real one would.)
import { afterEach, describe, expect, it } from "vitest";
import { vaultLogon } from "../../src/auth/index.js";
import { createTestClient, type TestClient as CoreClient } from "../support/test-client.js";
import { CyberArkError } from "../../src/errors/base.js";
import { startFakeTenant, type FakeTenant } from "../support/fake-tenant.js";
import { fixtureApi, type FixtureGen1Paths, type FixturePaths } from "../client/fixture-api.js";

const cleanups: Array<() => Promise<void>> = [];
afterEach(async () => {
  await Promise.all(cleanups.splice(0).map((c) => c()));
});

type Client = ReturnType<typeof createTestClient<FixturePaths, FixtureGen1Paths, {}>>;

/** Every logon issues a new token; GET /Accounts fails with a 400 and logoff with a 500, both echoing the last three tokens, newest first. */
async function echoingTenant(): Promise<{ tenant: FakeTenant; issued: string[]; client: Client }> {
  const tenant = await startFakeTenant();
  const issued: string[] = [];
  const echo = () => ({ ErrorCode: "PASWS167E", ErrorMessage: `echo ${issued.slice(-3).reverse().join(" ")}` });
  tenant.route("POST", "/PasswordVault/API/auth/CyberArk/Logon", () => {
    const token = `Canary-Renewed-${issued.length}-${tenant.issueToken()}`;
    tenant.tokens.add(token);
    issued.push(token);
    return { json: token };
  });
  tenant.authed("GET", "/PasswordVault/API/Accounts", () => ({ status: 400, json: echo() }));
  tenant.authed("POST", "/PasswordVault/API/Auth/Logoff", () => ({ status: 500, json: echo() }));
  const client = createTestClient<FixturePaths, FixtureGen1Paths, {}>(
    {
      deployment: { type: "self-hosted", url: tenant.url, allowInsecureHttp: true },
      auth: vaultLogon({ username: "lifetime-user", password: "Canary-Lifetime-Password" }),
      proxy: false,
      retry: false,
    },
    fixtureApi,
  );
  cleanups.push(() => client.close(), () => tenant.close());
  return { tenant, issued, client };
}

function messageOf(error: unknown): string {
  expect(error).toBeInstanceOf(CyberArkError);
  return (error as CyberArkError & { errorMessage: string }).errorMessage;
}

const echoed = async (client: Client): Promise<string> => messageOf(await client.gen2.GET("/Accounts").catch((e: unknown) => e));

describe("the client's live secrets", () => {
  it("over 1,000 renewals after a 401, only the current and the previous token stay redacted", async () => {
    const { tenant, issued, client } = await echoingTenant();
    await client.logon();
    for (let renewal = 1; renewal <= 1_000; renewal++) {
      // The session ends on the server: the next call gets a 401, logs on again and is replayed.
      tenant.expireSessions();
      const message = await echoed(client);
      expect(issued).toHaveLength(renewal + 1);
      const older = renewal >= 2 ? ` ${issued[renewal - 2]}` : "";
      expect(message).toBe(`echo [REDACTED] [REDACTED]${older}`);
    }
  }, 120_000);

  it("a logoff forgets the tokens before the ended session at once, and the ended one after the next logon", async () => {
    const { tenant, issued, client } = await echoingTenant();
    await client.logon();
    tenant.expireSessions();
    expect(await echoed(client)).toBe("echo [REDACTED] [REDACTED]");
    // Logged off with token 2: token 1 is forgotten, token 2 (whose answers may still come) is not.
    expect(messageOf(await client.logoff().catch((e: unknown) => e))).toBe(`echo [REDACTED] ${issued[0]}`);
    expect(await echoed(client)).toBe(`echo [REDACTED] [REDACTED] ${issued[0]}`);
    tenant.expireSessions();
    expect(await echoed(client)).toBe(`echo [REDACTED] [REDACTED] ${issued[1]}`);
  });
});
