// Every error path a server or proxy can put text into, one case each, against a server on
// 127.0.0.1 that echoes the client's secrets (the password and the session token it issued) in
// bodies, headers, Location, nextLink, content types and key names. Each error must be a
// CyberArkError, and no canary may appear in its message, String(), stack, JSON, util.inspect
// output, any of its fields or its cause, in any letter case (a host name comes back lower-cased).
import { inspect } from "node:util";
import { afterEach, describe, expect, it } from "vitest";
import { radiusLogon, staticToken, tokenProvider, vaultLogon } from "../../src/auth/index.js";
import { createTestClient, type TestClient as CoreClient } from "../support/test-client.js";
import { RequestAbortedError } from "../../src/errors/aborted.js";
import { CyberArkError } from "../../src/errors/base.js";
import { ConfigurationError } from "../../src/errors/configuration.js";
import { InvalidResponseError } from "../../src/errors/invalid-response.js";
import { NetworkError } from "../../src/errors/network.js";
import { ResponseTooLargeError } from "../../src/errors/response-too-large.js";
import { UnsafeNextLinkError } from "../../src/errors/unsafe-next-link.js";
import { sealError } from "../../src/errors/seal.js";
import { UnexpectedError } from "../../src/errors/unexpected.js";
import { UnsafeRedirectError } from "../../src/errors/unsafe-redirect.js";
import { SecretRegistry } from "../../src/logging/secret-registry.js";
import { paginate } from "../../src/paging/paginate.js";
import { MalformedPageError } from "../../src/paging/malformed-page-error.js";
import { startFakeTenant, type FakeTenant } from "../support/fake-tenant.js";
import { testOperations, type TestPaths } from "../paging/wrapped-client.js";

const PASSWORD = "Canary-Echo-Password-7Qx";
/** Issued by the test tenant: upper-case letters so a lower-cased echo is told apart, and longer than any clip. */
const TOKEN = "TokCANARYEchoToken0123456789-Abcdefghij-Klmnopqrstuvwxyz-0123456789";
const CANARIES = [PASSWORD, TOKEN];

const cleanups: Array<() => Promise<void>> = [];
afterEach(async () => {
  await Promise.all(cleanups.splice(0).map((c) => c()));
});

const API = "/PasswordVault/API";
const LOGON = `${API}/auth/CyberArk/Logon`;

async function tenantIssuing(token = TOKEN): Promise<FakeTenant> {
  const tenant = await startFakeTenant();
  tenant.route("POST", LOGON, () => ({ json: token }));
  tenant.route("POST", `${API}/Auth/Logoff`, () => ({ status: 200 }));
  cleanups.push(() => tenant.close());
  return tenant;
}

type Core = ReturnType<typeof createTestClient<TestPaths, {}, {}>>;

function clientOf(tenant: FakeTenant, options: Partial<Parameters<typeof createTestClient>[0]> = {}): Core {
  const client = createTestClient<TestPaths, {}, {}>(
    {
      deployment: { type: "self-hosted", url: tenant.url, allowInsecureHttp: true },
      auth: vaultLogon({ username: "echo-user", password: PASSWORD }),
      proxy: false,
      retry: false,
      ...options,
    },
    { gen2: testOperations, gen1: {}, pcloud: {} },
  );
  cleanups.push(() => client.close());
  return client;
}

/** Everything a caller can print or serialise of an error, its cause included. */
function surfaces(error: unknown, depth = 0): string[] {
  if (!(error instanceof Error) || depth > 3) return error === undefined ? [] : [inspect(error, { depth: 10 })];
  const out = [error.message, String(error), String(error.stack), JSON.stringify(error), inspect(error), inspect(error, { depth: 10, showHidden: true })];
  for (const key of Object.getOwnPropertyNames(error)) out.push(`${key}=${inspect((error as unknown as Record<string, unknown>)[key], { depth: 10 })}`);
  return [...out, ...surfaces(error.cause, depth + 1)];
}

/** The failure of `act`: a CyberArkError of `type` in which no canary shows, in any letter case. */
async function expectSealed<T extends CyberArkError>(act: () => Promise<unknown>, type: abstract new (...args: never[]) => T, canaries = CANARIES): Promise<T> {
  const error = await act().then(
    () => undefined,
    (e: unknown) => e,
  );
  expect(error, "the call should fail").toBeInstanceOf(CyberArkError);
  expect(error).toBeInstanceOf(type);
  for (const text of surfaces(error)) {
    for (const canary of canaries) expect(text.toLowerCase(), `canary in ${text.slice(0, 300)}`).not.toContain(canary.toLowerCase());
  }
  return error as T;
}

async function allPages(client: Core): Promise<void> {
  for await (const item of paginate(client.gen2, testOperations, "/Accounts", undefined, { pageSize: 10 })) void item;
}

describe("redirects", () => {
  it("a redirect loop echoing the token in every Location: NetworkError", async () => {
    const tenant = await tenantIssuing();
    let hop = 0;
    tenant.route("GET", `${API}/Accounts`, () => ({ status: 302, headers: { location: `${API}/Loop/${TOKEN}` } }));
    tenant.route("GET", new RegExp(`^${API}/Loop/`), () => ({ status: 302, headers: { location: `${API}/Loop/${TOKEN}/${++hop}` } }));
    const error = await expectSealed(() => clientOf(tenant).gen2.GET("/Accounts"), NetworkError);
    expect(error.message).toBe(`GET /PasswordVault/API/Accounts at ${new URL(tenant.url).host}: stopped after 5 redirects`);
  });

  it("a logon redirect loop echoing the password in every Location: NetworkError", async () => {
    const tenant = await tenantIssuing();
    tenant.route("POST", new RegExp(`^${LOGON}`), (req) => ({ status: 307, headers: { location: `${LOGON}/${encodeURIComponent((req.json as { password: string }).password)}` } }));
    const error = await expectSealed(() => clientOf(tenant).logon(), NetworkError);
    // Which logon, and the host it tried.
    expect(error.message).toBe(`logon (cyberark): POST ${LOGON} at ${new URL(tenant.url).host}: stopped after 5 redirects`);
  });

  it("a redirect to another origin named after the token (which URL parsing lower-cases): UnsafeRedirectError", async () => {
    const tenant = await tenantIssuing();
    tenant.route("GET", `${API}/Accounts`, () => ({ status: 302, headers: { location: `http://${TOKEN}.example:9/steal?t=${TOKEN}` } }));
    const error = await expectSealed(() => clientOf(tenant).gen2.GET("/Accounts"), UnsafeRedirectError);
    expect(error.toOrigin).toBe("http://[REDACTED].example:9");
  });

  it("a logon redirect to a Location holding the password as user info: UnsafeRedirectError", async () => {
    const tenant = await tenantIssuing();
    tenant.route("POST", LOGON, () => ({ status: 302, headers: { location: `${tenant.url.replace("://", `://echo-user:${PASSWORD}@`)}/x` } }));
    await expectSealed(() => clientOf(tenant).logon(), UnsafeRedirectError);
  });

  it("a logon redirect to a Location that is no URL, holding the password: InvalidResponseError", async () => {
    const tenant = await tenantIssuing();
    tenant.route("POST", LOGON, () => ({ status: 302, headers: { location: `http://[${PASSWORD}/x` } }));
    await expectSealed(() => clientOf(tenant).logon(), InvalidResponseError);
  });
});

describe("response bodies and headers", () => {
  it("an HTML page or broken JSON on 200 with the token in its content type: InvalidResponseError", async () => {
    const tenant = await tenantIssuing();
    let html = true;
    tenant.route("GET", `${API}/Accounts`, () =>
      html
        ? { headers: { "content-type": `text/html; charset=${TOKEN}` }, text: "<html><body>Sign in</body></html>" }
        : { headers: { "content-type": `application/json; profile="${encodeURIComponent(TOKEN).toLowerCase()}"` }, text: '{"value": [' },
    );
    const client = clientOf(tenant);
    const first = await expectSealed(() => client.gen2.GET("/Accounts"), InvalidResponseError);
    expect(first.contentType).toBe("text/html; charset=[REDACTED]");
    html = false;
    await expectSealed(() => client.gen2.GET("/Accounts"), InvalidResponseError);
  });

  it("a body over maxResponseBytes at a path the server chose to echo the token: ResponseTooLargeError", async () => {
    const tenant = await tenantIssuing();
    tenant.route("GET", `${API}/Accounts`, () => ({ status: 302, headers: { location: `${API}/Big/${TOKEN}` } }));
    tenant.route("GET", new RegExp(`^${API}/Big/`), () => ({ text: "x".repeat(5_000) }));
    const error = await expectSealed(() => clientOf(tenant, { maxResponseBytes: 1_000 }).gen2.GET("/Accounts"), ResponseTooLargeError);
    expect(error.url).toBe(`${tenant.url}${API}/Big/[REDACTED]`);
  });

  it("an error body echoing the token with mixed-case percent escapes, JSON \\u escapes and HTML references", async () => {
    const tenant = await tenantIssuing();
    const mixedPercent = [...TOKEN].map((c, i) => (i % 2 ? `%${c.charCodeAt(0).toString(16)}` : `%${c.charCodeAt(0).toString(16).toUpperCase()}`)).join("");
    const mixedJson = [...TOKEN].map((c, i) => (i % 3 ? c : `\\u${c.charCodeAt(0).toString(16).padStart(4, "0").toUpperCase()}`)).join("");
    const html = [...TOKEN].map((c, i) => (i % 2 ? c : `&#${c.charCodeAt(0)};`)).join("");
    tenant.route("GET", `${API}/Accounts`, () => ({
      status: 400,
      headers: { "content-type": "application/json" },
      text: `{"ErrorCode":"PASWS167E","ErrorMessage":"bad token ${mixedPercent} / ${mixedJson} / ${html}","Details":[{"ErrorMessage":"${mixedJson}"}]}`,
    }));
    const error = await expectSealed(() => clientOf(tenant).gen2.GET("/Accounts"), CyberArkError);
    expect(error.message).toContain("bad token [REDACTED] / [REDACTED] / [REDACTED]");
  });

  it("values under secret-named keys in server text are redacted even when the client never knew them", async () => {
    const tenant = await tenantIssuing();
    tenant.route("GET", `${API}/Accounts`, () => ({
      status: 400,
      json: { ErrorCode: "PASWS167E", ErrorMessage: 'rejected client_secret=Unknown-Canary-Value&x=1 and {"password": "Unknown-Canary-Value"}' },
    }));
    const error = await expectSealed(() => clientOf(tenant).gen2.GET("/Accounts"), CyberArkError, [...CANARIES, "Unknown-Canary-Value"]);
    expect(error.message).toContain('rejected client_secret=[REDACTED]&x=1 and {"password": "[REDACTED]"}');
  });

  it("server Details with a __proto__ key stay data: no inherited text, the prototype is Object's", async () => {
    const tenant = await tenantIssuing();
    tenant.route("GET", `${API}/Accounts`, () => ({
      status: 400,
      headers: { "content-type": "application/json" },
      text: '{"ErrorCode":"PASWS167E","ErrorMessage":"bad","Details":{"__proto__":{"ErrorCode":"INHERITED","ErrorMessage":"inherited text"}}}',
    }));
    const error = await expectSealed(() => clientOf(tenant).gen2.GET("/Accounts"), CyberArkError);
    const details = (error as CyberArkError & { errorDetails: Record<string, unknown> }).errorDetails;
    expect(Object.getPrototypeOf(details)).toBe(Object.prototype);
    expect(Object.keys(details)).toEqual(["__proto__"]);
    expect((details as { ErrorMessage?: unknown }).ErrorMessage).toBeUndefined();
    expect(error.message).not.toContain("inherited text");
    expect(`${String(details)}`).toBe("[object Object]");
  });
});

describe("paging", () => {
  it("a nextLink to a host named after the token: UnsafeNextLinkError", async () => {
    const tenant = await tenantIssuing();
    tenant.tokens.add(TOKEN);
    tenant.authed("GET", `${API}/Accounts`, () => ({ json: { value: [{ id: "1" }], count: 20, nextLink: `https://${TOKEN}.example/api/Accounts?offset=10` } }));
    const client = clientOf(tenant, { auth: staticToken({ token: TOKEN }) });
    const error = await expectSealed(() => allPages(client), UnsafeNextLinkError);
    expect(error.linkOrigin).toBe("https://[REDACTED].example");
  });

  it("a page whose key names echo the token, longer than the key clip: MalformedPageError", async () => {
    const tenant = await tenantIssuing();
    tenant.tokens.add(TOKEN);
    tenant.authed("GET", `${API}/Accounts`, () => ({ json: { [TOKEN]: [], [`${TOKEN}-suffix`]: 1 } }));
    // The clip keeps 40 characters: the start of the token is what must not show.
    const error = await expectSealed(() => allPages(clientOf(tenant, { auth: staticToken({ token: TOKEN }) })), MalformedPageError, [TOKEN.slice(0, 30)]);
    expect(error.message).toContain('keys present: "[REDACTED]", "[REDACTED]-suffix"');
  });
});

describe("tokens that cannot be sent", () => {
  it("a logon answering a token with CR/LF: ConfigurationError, the token not quoted", async () => {
    const tenant = await tenantIssuing(`${TOKEN}\r\nX-Injected: 1`);
    const error = await expectSealed(() => clientOf(tenant).gen2.GET("/Accounts"), ConfigurationError);
    expect(error.message).toMatch(/cannot be sent in an HTTP header/);
  });

  it("a token provider giving a token with NUL or a character above U+00FF: ConfigurationError", async () => {
    const tenant = await tenantIssuing();
    for (const token of [`${TOKEN}\u0000`, `${TOKEN}\u0100`]) {
      await expectSealed(() => clientOf(tenant, { auth: tokenProvider(() => token) }).gen2.GET("/Accounts"), ConfigurationError);
    }
  });
});

describe("anything else thrown on a call's path", () => {
  it("becomes an UnexpectedError: one quoting the token keeps no cause, a clean one is kept as cause", async () => {
    const tenant = await tenantIssuing();
    tenant.tokens.add(TOKEN);
    tenant.authed("GET", `${API}/Accounts`, () => ({ json: { value: [] } }));
    const own = new Error("rejected by the caller's contract check");
    let thrown: Error = new TypeError(`Headers.set: "${TOKEN}" is an invalid header value.`);
    const client = clientOf(tenant, { auth: staticToken({ token: TOKEN }), hooks: { afterResponse: [() => { throw thrown; }] } });
    const quoting = await expectSealed(() => client.gen2.GET("/Accounts"), UnexpectedError);
    expect(quoting.message).toBe('TypeError: Headers.set: "[REDACTED]" is an invalid header value.');
    expect(quoting.cause).toBeUndefined();
    thrown = own;
    const clean = await expectSealed(() => client.gen2.GET("/Accounts"), UnexpectedError);
    expect(clean.cause).toBe(own);
    expect(clean.message).toBe("Error: rejected by the caller's contract check");
  });
});

describe("paging stopped by the caller", () => {
  it("between pages: RequestAbortedError, the caller's reason as its cause", async () => {
    const tenant = await tenantIssuing();
    tenant.tokens.add(TOKEN);
    tenant.authed("GET", `${API}/Accounts`, (req) => {
      const offset = Number(req.query.get("offset") ?? 0);
      return { json: { value: Array.from({ length: 10 }, (_, i) => ({ id: `${offset + i}` })), count: 100, nextLink: `Accounts?offset=${offset + 10}` } };
    });
    const controller = new AbortController();
    const reason = new Error("the caller stopped");
    const pages = paginate(clientOf(tenant, { auth: staticToken({ token: TOKEN }) }).gen2, testOperations, "/Accounts", { signal: controller.signal }, { pageSize: 10 });
    const error = await expectSealed(async () => {
      for await (const item of pages) if (item) controller.abort(reason);
    }, RequestAbortedError);
    expect(error.cause).toBe(reason);
  });
});

describe("sealing", () => {
  it("a logon callback's error quoting the password: UnexpectedError, the password not quoted", async () => {
    const tenant = await tenantIssuing();
    tenant.route("POST", `${API}/auth/RADIUS/Logon`, () => ({ status: 500, json: { ErrorCode: "ITATS542I", ErrorMessage: "Enter the code" } }));
    const otp = () => {
      throw new TypeError(`no code for ${PASSWORD}`);
    };
    const error = await expectSealed(() => clientOf(tenant, { auth: radiusLogon({ username: "u", password: PASSWORD, otp }) }).logon(), UnexpectedError);
    expect(error.message).toBe("TypeError: no code for [REDACTED]");
  });

  it("every text field of an error is redacted, its stack too even when it was formatted before", () => {
    const registry = new SecretRegistry();
    registry.add(TOKEN);
    const error = new NetworkError(`failed at /x/${TOKEN}`, { method: "GET", urlPath: `/x/${TOKEN}` });
    void error.stack;
    sealError(error, (text) => registry.redact(text));
    for (const text of surfaces(error)) expect(text).not.toContain(TOKEN);
    expect(error.urlPath).toBe("/x/[REDACTED]");
  });
});

describe("short secrets", () => {
  it("a one-character password is redacted as a whole value, and does not shred the message", async () => {
    const tenant = await tenantIssuing();
    tenant.route("POST", LOGON, () => ({
      status: 403,
      json: { ErrorCode: "PASWS013E", ErrorMessage: "Authentication failure: response expected from the password provider", Details: { value: "p" } },
    }));
    const error = await expectSealed(() => clientOf(tenant, { auth: vaultLogon({ username: "u", password: "p" }) }).logon(), CyberArkError, []);
    expect(error.message).toContain("Authentication failure: response expected from the password provider");
    expect((error as CyberArkError & { errorDetails: unknown }).errorDetails).toEqual({ value: "[REDACTED]" });
  });
});
