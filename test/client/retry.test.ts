// 429 / 5xx / network retries per method and operation, time budget, timeouts and aborts.
import { afterEach, describe, expect, it } from "vitest";
import { RequestAbortedError } from "../../src/errors/aborted.js";
import { CyberArkHttpError } from "../../src/errors/http-error.js";
import { NetworkError } from "../../src/errors/network.js";
import { RateLimitError, ServerError } from "../../src/errors/status-errors.js";
import { TimeoutError } from "../../src/errors/timeout.js";
import type { FakeResponse, FakeTenant } from "../support/fake-tenant.js";
import { makeClient, vaultTenant, type TestClient } from "./helpers.js";

let tenant: FakeTenant;
let client: TestClient;
afterEach(async () => {
  await client?.close();
  await tenant?.close();
});

/** Routes `method path` to answer the scripted replies in order, then the last one forever. */
async function scripted(method: string, path: string | RegExp, replies: FakeResponse[], clientOptions: Parameters<typeof makeClient>[1] = {}) {
  ({ tenant } = await vaultTenant());
  let i = 0;
  tenant.authed(method, path, () => replies[Math.min(i++, replies.length - 1)]!);
  client = makeClient(tenant, clientOptions);
  return () => tenant.requestsTo(method, path).length;
}

const ok = { json: { id: "1_1" } };
const getOne = () => client.gen2.GET("/Accounts/{id}", { params: { path: { id: "1_1" } } });

describe("429", () => {
  it("waits Retry-After seconds, then succeeds", async () => {
    const count = await scripted("GET", "/PasswordVault/API/Accounts/1_1", [{ status: 429, headers: { "retry-after": "1" } }, ok]);
    const started = Date.now();
    await getOne();
    expect(Date.now() - started).toBeGreaterThanOrEqual(950);
    expect(count()).toBe(2);
  });

  it("accepts Retry-After as an HTTP date", async () => {
    const when = new Date(Date.now() + 1500).toUTCString();
    const count = await scripted("GET", "/PasswordVault/API/Accounts/1_1", [{ status: 429, headers: { "retry-after": when } }, ok]);
    const started = Date.now();
    await getOne();
    // HTTP dates have one-second resolution.
    expect(Date.now() - started).toBeGreaterThanOrEqual(400);
    expect(count()).toBe(2);
  });

  it("without Retry-After backs off and retries any method, even POST", async () => {
    const count = await scripted("POST", "/PasswordVault/API/Accounts", [{ status: 429 }, { status: 429 }, { status: 201, json: { id: "2_2" } }]);
    const { data } = await client.gen2.POST("/Accounts", { body: { safeName: "S", platformId: "P" } });
    expect(data.id).toBe("2_2");
    expect(count()).toBe(3);
  });

  it("gives up with RateLimitError after the retry limit", async () => {
    const count = await scripted("GET", "/PasswordVault/API/Accounts/1_1", [{ status: 429, json: { ErrorCode: "X", ErrorMessage: "slow down" } }], {
      retry: { rateLimitLimit: 2, baseDelayMs: 1, maxDelayMs: 5 },
    });
    const error = await getOne().catch((e: unknown) => e);
    expect(error).toBeInstanceOf(RateLimitError);
    expect(error).toMatchObject({ status: 429, attempts: 3, kind: "RATE_LIMITED" });
    expect((error as Error).message).toMatch(/after 3 attempt/);
    expect(count()).toBe(3);
  });

  it("a Retry-After beyond the budget holds no later call either: each meets its own 429 and ends at once", async () => {
    const count = await scripted("GET", "/PasswordVault/API/Accounts/1_1", [ok, { status: 429, headers: { "retry-after": "3600" } }]);
    await getOne();
    const started = Date.now();
    for (let i = 0; i < 2; i++) {
      const error = await getOne().catch((e: unknown) => e);
      expect(error).toBeInstanceOf(RateLimitError);
      expect((error as RateLimitError).retryAfterMs).toBe(3_600_000);
    }
    // Not held by the client-wide pause until the 60 s time limit: two requests, answered at once.
    expect(Date.now() - started).toBeLessThan(5_000);
    expect(count()).toBe(3);
  });

  it("gives up at once when Retry-After is beyond the time budget", async () => {
    const count = await scripted("GET", "/PasswordVault/API/Accounts/1_1", [{ status: 429, headers: { "retry-after": "120" } }], {
      retry: { budgetMs: 5_000 },
    });
    const started = Date.now();
    const error = await getOne().catch((e: unknown) => e);
    expect(Date.now() - started).toBeLessThan(1000);
    expect(error).toBeInstanceOf(RateLimitError);
    expect(error).toMatchObject({ retryAfterMs: 120_000 });
    expect(count()).toBe(1);
  });
});

describe("5xx and network errors", () => {
  it("retries GET on 503", async () => {
    const count = await scripted("GET", "/PasswordVault/API/Accounts/1_1", [{ status: 503 }, { status: 502 }, ok]);
    await getOne();
    expect(count()).toBe(3);
  });

  it("does not retry POST on 503", async () => {
    const count = await scripted("POST", "/PasswordVault/API/Accounts", [{ status: 503 }, { status: 201, json: {} }]);
    const error = await client.gen2.POST("/Accounts", { body: { safeName: "S", platformId: "P" } }).catch((e: unknown) => e);
    expect(error).toBeInstanceOf(CyberArkHttpError);
    expect(error).toMatchObject({ status: 503 });
    expect(count()).toBe(1);
  });

  it("never retries a secret-changing operation", async () => {
    const count = await scripted("POST", "/PasswordVault/API/Accounts/1_1/Change", [{ status: 504 }, { status: 200 }], {
      retry: { methods: ["GET", "HEAD", "PUT", "DELETE", "POST"] },
    });
    const error = await client.gen2.POST("/Accounts/{id}/Change", { params: { path: { id: "1_1" } } }).catch((e: unknown) => e);
    expect(error).toMatchObject({ status: 504 });
    expect(count()).toBe(1);
  });

  it.each(["/accounts/{id}/change", "/Accounts/{accountId}/Change/", "/Accounts/{id}/./Change", "/Accounts/{id}/%43hange", "/ACCOUNTS/{id}/CHANGE?x=1"])(
    "never retries a secret-changing operation spelled %s (the server routes it to the same operation)",
    async (path) => {
      const count = await scripted("POST", /^\/PasswordVault\/API\/accounts\/1_1\/(?:c|%43)hange\/?$/i, [{ status: 504 }, { status: 200 }], {
        retry: { methods: ["GET", "HEAD", "PUT", "DELETE", "POST"] },
      });
      const gen2 = client.gen2 as unknown as { POST(path: string, init: object): Promise<unknown> };
      const error = await gen2.POST(path, { params: { path: { id: "1_1", accountId: "1_1" } } }).catch((e: unknown) => e);
      expect(error).toMatchObject({ status: 504 });
      expect(count()).toBe(1);
    },
  );

  it("retries a 500 without ErrorCode or with a transient code, not one with another ErrorCode", async () => {
    let count = await scripted("PUT", "/PasswordVault/API/Accounts/1_1", [{ status: 500, text: "" }, { status: 500, json: { ErrorCode: "ITADM111E", ErrorMessage: "busy" } }, ok]);
    await client.gen2.PUT("/Accounts/{id}", { params: { path: { id: "1_1" } }, body: { name: "n" } });
    expect(count()).toBe(3);
    await client.close();
    await tenant.close();

    count = await scripted("GET", "/PasswordVault/API/Accounts/1_1", [{ status: 500, json: { ErrorCode: "CAWS00001E", ErrorMessage: "Page doesn't exist" } }, ok]);
    const error = await getOne().catch((e: unknown) => e);
    expect(error).toBeInstanceOf(ServerError);
    expect(error).toMatchObject({ errorCode: "CAWS00001E", errorMessage: "Page doesn't exist" });
    expect(count()).toBe(1);
  });

  it("keeps the PUT body for each retry", async () => {
    const count = await scripted("PUT", "/PasswordVault/API/Accounts/1_1", [{ status: 503 }, ok]);
    await client.gen2.PUT("/Accounts/{id}", { params: { path: { id: "1_1" } }, body: { name: "renamed" } });
    expect(count()).toBe(2);
    expect(tenant.requestsTo("PUT", "/PasswordVault/API/Accounts/1_1").map((r) => r.json)).toEqual([{ name: "renamed" }, { name: "renamed" }]);
  });

  it("retries GET after a dropped connection, but not POST", async () => {
    let count = await scripted("GET", "/PasswordVault/API/Accounts/1_1", [{ destroy: true }, ok]);
    await getOne();
    expect(count()).toBe(2);
    count = await scripted("POST", "/PasswordVault/API/Accounts", [{ destroy: true }, { status: 201, json: {} }]);
    const error = await client.gen2.POST("/Accounts", { body: { safeName: "S", platformId: "P" } }).catch((e: unknown) => e);
    expect(error).toBeInstanceOf(NetworkError);
    expect((error as Error).message).toMatch(/POST \/PasswordVault\/API\/Accounts got no response/);
    expect(count()).toBe(1);
  });

  it("retries a GET whose answer is cut mid-body (status and headers arrived), not a POST", async () => {
    const big = { json: { id: "1_1", name: "x".repeat(20_000) } };
    let count = await scripted("GET", "/PasswordVault/API/Accounts/1_1", [{ ...big, cutBody: true }, big]);
    const { data } = await getOne();
    expect(data).toEqual(big.json);
    expect(count()).toBe(2);
    count = await scripted("POST", "/PasswordVault/API/Accounts", [{ status: 201, json: { id: "1_1", name: "x".repeat(20_000) }, cutBody: true }]);
    const error = await client.gen2.POST("/Accounts", { body: { safeName: "S", platformId: "P" } }).catch((e: unknown) => e);
    expect(error).toBeInstanceOf(NetworkError);
    expect(count()).toBe(1);
  });

  it("retry can be switched off per request and per client", async () => {
    const count = await scripted("GET", "/PasswordVault/API/Accounts/1_1", [{ status: 503 }, ok]);
    await expect(client.gen2.GET("/Accounts/{id}", { params: { path: { id: "1_1" } }, retry: false })).rejects.toMatchObject({ status: 503 });
    expect(count()).toBe(1);
    await client.close();
    client = makeClient(tenant, { retry: false });
    await expect(getOne()).resolves.toBeDefined();
  });

  it("calls beforeRetry hooks with the reason and delay", async () => {
    const seen: Array<{ reason: string; status?: number; attempt: number }> = [];
    await scripted("GET", "/PasswordVault/API/Accounts/1_1", [{ status: 503 }, { status: 429, headers: { "retry-after": "0" } }, ok], {
      hooks: { beforeRetry: [(info) => void seen.push({ reason: info.reason, status: info.status, attempt: info.attempt })] },
    });
    await getOne();
    expect(seen).toEqual([
      { reason: "server-error", status: 503, attempt: 1 },
      { reason: "rate-limited", status: 429, attempt: 2 },
    ]);
  });
});

describe("timeouts and aborts interrupt waits", () => {
  it("a per-request timeout interrupts a Retry-After wait", async () => {
    await scripted("GET", "/PasswordVault/API/Accounts/1_1", [{ status: 429, headers: { "retry-after": "20" } }]);
    const started = Date.now();
    const error = await client.gen2.GET("/Accounts/{id}", { params: { path: { id: "1_1" } }, timeoutMs: 300 }).catch((e: unknown) => e);
    expect(error).toBeInstanceOf(TimeoutError);
    expect(Date.now() - started).toBeLessThan(2000);
  });

  it("the client timeout interrupts a slow response", async () => {
    await scripted("GET", "/PasswordVault/API/Accounts/1_1", [{ ...ok, delayMs: 5_000 }], { timeoutMs: 300 });
    const started = Date.now();
    await expect(getOne()).rejects.toBeInstanceOf(TimeoutError);
    expect(Date.now() - started).toBeLessThan(2000);
  });

  it("the caller's AbortSignal interrupts a backoff wait", async () => {
    await scripted("GET", "/PasswordVault/API/Accounts/1_1", [{ status: 503 }], { retry: { baseDelayMs: 20_000, maxDelayMs: 20_000, budgetMs: 60_000 } });
    const controller = new AbortController();
    const reason = new Error("user cancelled");
    setTimeout(() => controller.abort(reason), 200);
    const started = Date.now();
    const error = await client.gen2.GET("/Accounts/{id}", { params: { path: { id: "1_1" } }, signal: controller.signal }).catch((e: unknown) => e);
    expect(error).toBeInstanceOf(RequestAbortedError);
    expect((error as Error).cause).toBe(reason);
    expect(Date.now() - started).toBeLessThan(2000);
  });

  it("a timeout interrupts waiting for a slow logon, and an aborted signal sends nothing", async () => {
    ({ tenant } = await vaultTenant());
    tenant.route("POST", "/PasswordVault/API/auth/CyberArk/Logon", () => ({ json: tenant.issueToken(), delayMs: 1_500 }));
    client = makeClient(tenant);
    const started = Date.now();
    await expect(client.gen2.GET("/Accounts", { timeoutMs: 200 })).rejects.toBeInstanceOf(TimeoutError);
    expect(Date.now() - started).toBeLessThan(1500);

    const aborted = AbortSignal.abort();
    tenant.clear();
    await expect(client.gen2.GET("/Accounts", { signal: aborted })).rejects.toBeInstanceOf(RequestAbortedError);
    expect(tenant.requestsTo("GET", "/PasswordVault/API/Accounts")).toHaveLength(0);
  });
});
