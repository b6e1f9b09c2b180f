// A client's log level: which messages reach the logger at which level, the CYBERARK_LOG_LEVEL
// environment variable (read once, when the client is created; the option wins), and that clients
// never share it.
import { afterEach, beforeEach, describe, expect, it, vi } from "vitest";
import { vaultLogon } from "../../src/auth/index.js";
import type { CyberArkClientOptions } from "../../src/client.js";
import { discoverPrivilegeCloud } from "../../src/discovery/platform-discovery.js";
import { ConfigurationError } from "../../src/errors/configuration.js";
import type { LogLevel } from "../../src/logging/log-level.js";
import type { FakeTenant } from "../support/fake-tenant.js";
import { makeClient, PASSWORD, USER, vaultTenant } from "./helpers.js";

type Line = [level: string, message: string];

function capture(): { lines: Line[]; all: unknown[][]; logger: NonNullable<CyberArkClientOptions["logger"]> } {
  const lines: Line[] = [];
  const all: unknown[][] = [];
  const push = (level: string) => (message: string, meta?: unknown) => {
    lines.push([level, message]);
    all.push([level, message, meta]);
  };
  return { lines, all, logger: { debug: push("debug"), info: push("info"), warn: push("warn"), error: push("error") } };
}

let tenant: FakeTenant | undefined;
beforeEach(() => {
  // The machine's own setting must not leak into these tests.
  vi.stubEnv("CYBERARK_LOG_LEVEL", "");
});
afterEach(async () => {
  vi.unstubAllEnvs();
  await tenant?.close();
  tenant = undefined;
});

/** A session with one retried call (503, then 200) and a logoff. */
async function session(logLevel: LogLevel | undefined): Promise<Line[]> {
  ({ tenant } = await vaultTenant());
  let calls = 0;
  tenant.authed("GET", "/PasswordVault/API/Accounts/1_1", () => (++calls === 1 ? { status: 503, json: {} } : { json: { id: "1_1" } }));
  tenant.authed("POST", "/PasswordVault/API/Auth/Logoff", () => ({ status: 200 }));
  const { lines, logger } = capture();
  const client = makeClient(tenant, { logger, ...(logLevel === undefined ? {} : { logLevel }) });
  await client.gen2.GET("/Accounts/{id}", { params: { path: { id: "1_1" } } });
  await client.close();
  return lines;
}

const INFO_LINES: Line[] = [
  ["info", "logging on"],
  ["info", "logged on"],
  ["info", "retrying GET /PasswordVault/API/Accounts/1_1: server-error"],
  ["info", "logging off"],
];

describe("levels", () => {
  it('default "info": logons, retries and logoffs, no per-request lines', async () => {
    expect(await session(undefined)).toEqual(INFO_LINES);
  });

  it('"debug": also one line per request sent and per response', async () => {
    const lines = await session("debug");
    expect(lines.filter(([level]) => level === "debug").map(([, m]) => m)).toEqual(["request", "request", "response"]);
    expect(lines.filter(([level]) => level !== "debug")).toEqual(INFO_LINES);
  });

  it('"warn", "error", "silent": nothing from a session that went well', async () => {
    for (const level of ["warn", "error", "silent"] as const) {
      expect(await session(level), level).toEqual([]);
      await tenant?.close();
      tenant = undefined;
    }
  });

  it('a refused logon is a warning ("warn" passes it, "error" does not)', async () => {
    ({ tenant } = await vaultTenant());
    for (const [level, expected] of [["warn", [["warn", "logon failed"]]], ["error", []]] as const) {
      const { lines, logger } = capture();
      const client = makeClient(tenant, { logger, logLevel: level, auth: vaultLogon({ username: USER, password: "Wrong-Canary-pw" }) });
      await expect(client.logon()).rejects.toThrow();
      await client.close();
      expect(lines, level).toEqual(expected);
    }
  });

  it('a logoff that fails while closing (swallowed by close()) is an error ("error" passes it, "silent" does not)', async () => {
    ({ tenant } = await vaultTenant());
    tenant.authed("POST", "/PasswordVault/API/Auth/Logoff", () => ({ status: 500, json: { ErrorCode: "CAWS00001E", ErrorMessage: "boom" } }));
    for (const [level, expected] of [["error", [["error", "logoff failed while closing the client"]]], ["silent", []]] as const) {
      const { lines, logger } = capture();
      const client = makeClient(tenant, { logger, logLevel: level });
      await client.logon();
      await client.close();
      expect(lines, level).toEqual(expected);
    }
  });

  it("no line at any level holds the password or the token", async () => {
    ({ tenant } = await vaultTenant());
    tenant.authed("POST", "/PasswordVault/API/Auth/Logoff", () => ({ status: 500, json: { ErrorMessage: `cannot end ${PASSWORD}` } }));
    const { all, logger } = capture();
    const client = makeClient(tenant, { logger, logLevel: "debug" });
    await client.gen2.GET("/Accounts");
    await client.close();
    const text = JSON.stringify(all);
    expect(text).toContain("logoff failed while closing the client");
    for (const canary of [PASSWORD, ...tenant.tokens]) expect(text).not.toContain(canary);
  });
});

describe("CYBERARK_LOG_LEVEL", () => {
  it("sets the level when the option is absent; the option wins over it", async () => {
    vi.stubEnv("CYBERARK_LOG_LEVEL", "debug");
    expect((await session(undefined)).some(([level]) => level === "debug")).toBe(true);
    await tenant?.close();
    expect(await session("error")).toEqual([]);
  });

  it("is read once, when the client is created", async () => {
    ({ tenant } = await vaultTenant());
    vi.stubEnv("CYBERARK_LOG_LEVEL", "silent");
    const { lines, logger } = capture();
    const client = makeClient(tenant, { logger });
    vi.stubEnv("CYBERARK_LOG_LEVEL", "debug");
    await client.gen2.GET("/Accounts");
    await client.close();
    expect(lines).toEqual([]);
  });

  it("an unknown value is a ConfigurationError at creation naming the allowed values; a valid option overrides it", async () => {
    ({ tenant } = await vaultTenant());
    vi.stubEnv("CYBERARK_LOG_LEVEL", "verbose");
    expect(() => makeClient(tenant!)).toThrow(ConfigurationError);
    expect(() => makeClient(tenant!)).toThrow('CYBERARK_LOG_LEVEL is not a log level; use one of "debug", "info", "warn", "error", "silent"');
    await makeClient(tenant, { logLevel: "info" }).close();
    expect(() => makeClient(tenant!, { logLevel: "loud" as LogLevel })).toThrow(/^logLevel is not a log level/);
    // Platform discovery reads it too, before sending anything.
    await expect(discoverPrivilegeCloud("acme", { discoveryUrl: "http://127.0.0.1:9", allowInsecureHttp: true })).rejects.toThrow(/^CYBERARK_LOG_LEVEL is not a log level/);
    await expect(
      discoverPrivilegeCloud("acme", { discoveryUrl: "http://127.0.0.1:9", allowInsecureHttp: true, logLevel: "loud" as LogLevel }),
    ).rejects.toThrow(/^logLevel is not a log level/);
  });
});

it("two clients keep their own levels", async () => {
  ({ tenant } = await vaultTenant());
  const quiet = capture();
  const loud = capture();
  const a = makeClient(tenant, { logger: quiet.logger, logLevel: "silent" });
  const b = makeClient(tenant, { logger: loud.logger, logLevel: "debug" });
  await Promise.all([a.gen2.GET("/Accounts"), b.gen2.GET("/Accounts")]);
  await Promise.all([a.close(), b.close()]);
  expect(quiet.lines).toEqual([]);
  expect(loud.lines.map(([level]) => level)).toContain("debug");
});

it("an async hook that rejects at every level breaks neither the call nor the process (no unhandled rejection)", async () => {
  ({ tenant } = await vaultTenant());
  let calls = 0;
  tenant.authed("GET", "/PasswordVault/API/Accounts/1_1", () => (++calls === 1 ? { status: 503, json: {} } : { json: { id: "1_1" } }));
  tenant.authed("POST", "/PasswordVault/API/Auth/Logoff", () => ({ status: 500, json: { ErrorCode: "CAWS00001E", ErrorMessage: "boom" } }));
  const unhandled: unknown[] = [];
  const onUnhandled = (reason: unknown): void => void unhandled.push(reason);
  process.on("unhandledRejection", onUnhandled);
  try {
    const levels = new Set<string>();
    const rejecting = (level: string) => async (): Promise<void> => {
      levels.add(level);
      throw new Error(`log shipper down (${level})`);
    };
    const logger = { debug: rejecting("debug"), info: rejecting("info"), warn: rejecting("warn"), error: rejecting("error") };
    // insecureSkipVerify: its warning is the one warn line of a session that goes well.
    const client = makeClient(tenant, { logger, logLevel: "debug", tls: { insecureSkipVerify: true } });
    const { data } = await client.gen2.GET("/Accounts/{id}", { params: { path: { id: "1_1" } } });
    expect(data).toEqual({ id: "1_1" });
    // Its logoff fails: logged at error, swallowed by close().
    await client.close();
    expect([...levels].sort()).toEqual(["debug", "error", "info", "warn"]);
    // Node reports an unhandled rejection after the microtasks of the tick it happened in.
    await new Promise((resolve) => setTimeout(resolve, 20));
    expect(unhandled).toEqual([]);
  } finally {
    process.off("unhandledRejection", onUnhandled);
  }
});
