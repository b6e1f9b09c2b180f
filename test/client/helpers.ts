// Shared set-up for client tests: a fake tenant plus a client pointed at it.
import { createTestClient, type TestClient as CoreClient } from "../support/test-client.js";
import type { CyberArkClientOptions } from "../../src/client.js";
import { vaultLogon } from "../../src/auth/vault-logon.js";
import { startFakeTenant, type FakeTenant, type FakeTenantOptions } from "../support/fake-tenant.js";
import { fixtureApi, type FixtureGen1Paths, type FixturePaths } from "./fixture-api.js";

export const USER = "api-user";
export const PASSWORD = "Canary-Pa55word-7f3a1c";

export type TestClient = CoreClient<FixturePaths, FixtureGen1Paths, {}>;

export function makeClient(tenant: FakeTenant, overrides: Partial<CyberArkClientOptions> = {}): TestClient {
  return createTestClient<FixturePaths, FixtureGen1Paths, {}>(
    {
      deployment: { type: "self-hosted", url: tenant.url, allowInsecureHttp: true },
      auth: vaultLogon({ username: USER, password: PASSWORD }),
      retry: { baseDelayMs: 5, maxDelayMs: 20 },
      proxy: false,
      ...overrides,
    },
    fixtureApi,
  );
}

/** A tenant with vault logon for USER and an authenticated GET /Accounts. */
export async function vaultTenant(options?: FakeTenantOptions): Promise<{ tenant: FakeTenant; logons: { readonly count: number } }> {
  const tenant = await startFakeTenant(options);
  const logons = tenant.vaultLogon({ username: USER, password: PASSWORD });
  tenant.authed("GET", "/PasswordVault/API/Accounts", () => ({ json: { value: [{ id: "1_1", name: "a" }], count: 1 } }));
  return { tenant, logons };
}
