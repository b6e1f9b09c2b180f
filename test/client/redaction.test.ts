// Canary secrets (password, token, client secret, OTP, SAMLResponse) must not appear in any error
// message, toJSON, util.inspect, or log line, even when the server echoes them back.
import { inspect } from "node:util";
import { afterEach, describe, expect, it } from "vitest";
import { platformToken, radiusLogon, samlLogon, vaultLogon } from "../../src/auth/index.js";
import { startFakeTenant, type FakeTenant } from "../support/fake-tenant.js";
import { makeClient } from "./helpers.js";

const CANARY_PASSWORD = "Canary-Pw-3b9f1e+/=";
const CANARY_SECRET = "Canary-ClientSecret-a1b2c3";
const CANARY_OTP = "Canary-Otp-774411";
const CANARY_SAML = "Canary-SAML-PHNhbWxwOlJlc3BvbnNl";

const tenants: FakeTenant[] = [];
afterEach(async () => {
  await Promise.all(tenants.splice(0).map((t) => t.close()));
});
async function tenant() {
  const t = await startFakeTenant();
  tenants.push(t);
  return t;
}

function capture() {
  const lines: string[] = [];
  const record = (level: string) => (msg: string, meta?: unknown) => void lines.push(`${level} ${msg} ${JSON.stringify(meta ?? {})}`);
  return { lines, logger: { debug: record("debug"), info: record("info"), warn: record("warn"), error: record("error") } };
}

function surfaces(error: unknown): string[] {
  const e = error as Error & { toJSON?: () => unknown };
  return [e.message, JSON.stringify(e), inspect(e), inspect(e, { depth: 10, showHidden: true }), String(e.stack)];
}

function expectClean(texts: string[], canaries: string[]) {
  for (const text of texts) {
    for (const canary of canaries) {
      expect(text).not.toContain(canary);
      expect(text).not.toContain(encodeURIComponent(canary));
    }
  }
}

describe("canary secrets", () => {
  it("password echoed by a failed logon", async () => {
    const t = await tenant();
    t.route("POST", "/PasswordVault/API/auth/CyberArk/Logon", (req) => ({
      status: 403,
      json: { ErrorCode: "PASWS013E", ErrorMessage: `Authentication failure: ${(req.json as { password: string }).password}`, Details: { password: CANARY_PASSWORD, hint: CANARY_PASSWORD } },
    }));
    const { lines, logger } = capture();
    const client = makeClient(t, { auth: vaultLogon({ username: "u", password: CANARY_PASSWORD }), logger });
    const error = await client.gen2.GET("/Accounts").catch((e: unknown) => e);
    expect((error as Error).message).toContain("[REDACTED]");
    expectClean([...surfaces(error), ...lines], [CANARY_PASSWORD]);
    await client.close();
  });

  it("token and password echoed by an API error, and every log line of a normal session", async () => {
    const t = await tenant();
    t.vaultLogon({ username: "u", password: CANARY_PASSWORD });
    t.authed("GET", "/PasswordVault/API/Accounts", () => ({ json: { value: [] } }));
    t.authed("POST", "/PasswordVault/API/Accounts", (req) => ({
      status: 400,
      json: {
        ErrorCode: "PASWS167E",
        ErrorMessage: `bad token ${String(req.headers["authorization"])} for secret ${(req.json as { secret: string }).secret}`,
        Details: [{ ErrorCode: "X", ErrorMessage: `secret=${(req.json as { secret: string }).secret}` }],
      },
    }));
    t.authed("POST", "/PasswordVault/API/Auth/Logoff", () => ({ status: 200 }));
    const { lines, logger } = capture();
    // "debug": the request and response lines too, not only the default "info" ones.
    const client = makeClient(t, { auth: vaultLogon({ username: "u", password: CANARY_PASSWORD }), logger, logLevel: "debug" });
    await client.gen2.GET("/Accounts");
    const error = await client.gen2
      .POST("/Accounts", { body: { safeName: "S", platformId: "P", secret: CANARY_PASSWORD } })
      .catch((e: unknown) => e);
    await client.close();
    const token = [...t.tokens][0]!;
    expect(lines.length).toBeGreaterThan(3);
    expectClean([...surfaces(error), ...lines], [CANARY_PASSWORD, token]);
  });

  it("client secret echoed by Identity", async () => {
    const identity = await tenant();
    identity.route("POST", "/oauth2/platformtoken", (req) => ({
      status: 400,
      json: { error: "invalid_client", error_description: `unknown secret ${req.form?.get("client_secret")}` },
    }));
    const { lines, logger } = capture();
    const client = makeClient(identity, {
      deployment: { type: "privilege-cloud", subdomain: "x", allowInsecureHttp: true, overrides: { pvwaRoot: identity.url, identityUrl: identity.url } },
      auth: platformToken({ clientId: "svc", clientSecret: CANARY_SECRET }),
      logger,
    });
    const error = await client.gen2.GET("/Accounts").catch((e: unknown) => e);
    expect(error).toMatchObject({ identityError: "invalid_client" });
    expectClean([...surfaces(error), ...lines], [CANARY_SECRET]);
    await client.close();
  });

  it("OTP and SAMLResponse echoed back", async () => {
    const t = await tenant();
    t.route("POST", "/PasswordVault/API/auth/RADIUS/Logon", (req) => {
      const body = req.json as { password: string };
      if (body.password === CANARY_PASSWORD) return { status: 500, json: { ErrorCode: "ITATS542I", ErrorMessage: "Enter code" } };
      return { status: 403, json: { ErrorCode: "PASWS013E", ErrorMessage: `wrong code ${body.password}` } };
    });
    t.route("POST", "/PasswordVault/API/auth/SAML/Logon", (req) => ({
      status: 400,
      text: `bad assertion ${req.form?.get("SAMLResponse")}`,
    }));
    const { lines, logger } = capture();
    const radius = makeClient(t, { auth: radiusLogon({ username: "u", password: CANARY_PASSWORD, otp: () => CANARY_OTP }), logger });
    const e1 = await radius.gen2.GET("/Accounts").catch((e: unknown) => e);
    const saml = makeClient(t, { auth: samlLogon({ samlResponse: CANARY_SAML }), logger });
    const e2 = await saml.gen2.GET("/Accounts").catch((e: unknown) => e);
    expect((e1 as Error).message).toContain("wrong code [REDACTED]");
    expectClean([...surfaces(e1), ...surfaces(e2), ...lines], [CANARY_PASSWORD, CANARY_OTP, CANARY_SAML]);
    await radius.close();
    await saml.close();
  });
});
