// The "Contract-test your automation" example of the README, run against the suite's mock so the
// documented example keeps working. Only the URL comes from the suite; the rest is what a user writes.
import { beforeAll, describe, expect, it } from "vitest";
import {
  createCyberArkClient,
  LogonFailedError,
  NotFoundError,
  vaultLogon,
  type CyberArkClient,
  type SelfHostedDeployment,
} from "../../src/index.js";
import { mockTenant } from "./mock-state.js";

let deployment: SelfHostedDeployment;
let client: CyberArkClient<SelfHostedDeployment>;
beforeAll(async () => {
  const mockUrl = (await mockTenant()).url; // README: process.env.CYBERARK_MOCK_URL
  deployment = { type: "self-hosted", url: mockUrl, allowInsecureHttp: true };
  client = createCyberArkClient({
    deployment,
    auth: vaultLogon({ username: "svc-automation", password: "any-password" }), // the mock accepts any other password
    retry: false,
    hooks: {
      afterResponse: [
        (response) => {
          // Prism flags a request that breaks the spec in this header (or answers 422).
          const violations = response.headers.get("sl-violations");
          if (violations) throw new Error(`request breaks the API contract: ${violations}`);
        },
      ],
    },
  });
  return () => client.close();
});

describe("README: contract-test your automation", () => {
  it("adds an account with a body the API accepts", async () => {
    const { data } = await client.gen2.POST("/Accounts", {
      body: { safeName: "Finance", platformId: "WinDomain", address: "srv01.example.com", userName: "svc-backup" },
    });
    expect(data.id).toEqual(expect.any(String));
  });

  it("handles a missing safe", async () => {
    const call = client.gen2.GET("/Safes/{safeUrlId}", {
      params: { path: { safeUrlId: "NoSuchSafe" } },
      headers: { Prefer: "code=404" }, // ask the mock for the documented 404
    });
    await expect(call).rejects.toBeInstanceOf(NotFoundError);
  });

  it("reports a refused logon", async () => {
    const refused = createCyberArkClient({ deployment, auth: vaultLogon({ username: "svc-automation", password: "wrong-password" }) });
    try {
      await expect(refused.gen2.GET("/Safes")).rejects.toBeInstanceOf(LogonFailedError);
    } finally {
      await refused.close();
    }
  });

  it("would catch a body that breaks the contract", async () => {
    // @ts-expect-error numberOfDaysRetention must be a number: the type checker catches it first
    const call = client.gen2.POST("/Safes", { body: { safeName: "Finance", numberOfDaysRetention: "seven" } });
    await expect(call).rejects.toThrow(/breaks the API contract: .*numberOfDaysRetention/);
  });
});
