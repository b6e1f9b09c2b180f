// Time limits past what a Node timer holds (2^31 - 1 ms) fire at once: refused up front, clearly.
import { afterEach, describe, expect, it } from "vitest";
import { MAX_TIMER_MS } from "../../src/core/time-limit.js";
import { discoverPrivilegeCloud } from "../../src/discovery/platform-discovery.js";
import { ConfigurationError } from "../../src/errors/configuration.js";
import type { FakeTenant } from "../support/fake-tenant.js";
import { makeClient, vaultTenant } from "./helpers.js";

const THIRTY_DAYS = 30 * 24 * 3600 * 1000;
let tenant: FakeTenant | undefined;
afterEach(async () => {
  await tenant?.close();
  tenant = undefined;
});

describe("time limits", () => {
  it("a client, a call or a retry delay of 30 days is a ConfigurationError that says how to ask for no limit", async () => {
    ({ tenant } = await vaultTenant());
    expect(() => makeClient(tenant!, { timeoutMs: THIRTY_DAYS })).toThrow(ConfigurationError);
    expect(() => makeClient(tenant!, { timeoutMs: THIRTY_DAYS })).toThrow(/timeoutMs must be a number of milliseconds from 0 to 2147483647 .*0 means no limit/);
    for (const key of ["baseDelayMs", "maxDelayMs", "budgetMs"]) {
      expect(() => makeClient(tenant!, { retry: { [key]: THIRTY_DAYS } }), key).toThrow(new RegExp(`retry.${key} must be`));
    }
    const client = makeClient(tenant!);
    try {
      await expect(client.gen2.GET("/Accounts", { timeoutMs: THIRTY_DAYS })).rejects.toBeInstanceOf(ConfigurationError);
      await expect(client.gen2.GET("/Accounts", { timeoutMs: Number.NaN })).rejects.toBeInstanceOf(ConfigurationError);
      // The largest a timer holds works, as does 0 (no limit).
      await expect(client.gen2.GET("/Accounts", { timeoutMs: MAX_TIMER_MS })).resolves.toMatchObject({ data: { count: 1 } });
      await expect(client.gen2.GET("/Accounts", { timeoutMs: 0 })).resolves.toMatchObject({ data: { count: 1 } });
    } finally {
      await client.close();
    }
    await expect(discoverPrivilegeCloud("acme", { timeoutMs: THIRTY_DAYS })).rejects.toBeInstanceOf(ConfigurationError);
  });
});
