// Area 3: canary passwords, tokens, client secrets, OTPs and SAML responses pushed through every
// error path and the logger. A server on 127.0.0.1 echoes the secrets back the ways real servers
// and proxies do (raw, percent- and form-encoded, JSON-escaped, HTML-escaped, cut by padding) in
// logon failures, API errors, redirects, broken connections and timeouts. No canary may appear in
// an error's message, String(), stack, JSON or util.inspect output, in any log line or meta, or in
// what caller hooks are shown.
import type { IncomingMessage, ServerResponse } from "node:http";
import { inspect } from "node:util";
import fc from "fast-check";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { platformToken, radiusLogon, samlLogon, vaultLogon, type AuthStrategy } from "../../src/auth/index.js";
import type { Hooks } from "../../src/core/hooks.js";
import { hardeningClient, type HardeningClient } from "../support/hardening-client.js";
import { sendJson, startServer, type HardeningServer } from "../support/hardening-server.js";
import { useTally } from "../support/hardening-tally.js";

const tally = useTally("secrets");

interface Canaries {
  password: string;
  newPassword: string;
  token: string;
  clientSecret: string;
  otp: string;
  saml: string;
}

/** The part of each canary that survives every echo encoding unchanged (letters and digits only). */
type Cores = Record<keyof Canaries, string>;

type Encoding = (s: string) => string;

const ENCODINGS: Record<string, Encoding> = {
  raw: (s) => s,
  percent: (s) => encodeURIComponent(s),
  "percent-lower": (s) => encodeURIComponent(s).replace(/%[0-9A-F]{2}/g, (m) => m.toLowerCase()),
  form: (s) => new URLSearchParams({ v: s }).toString().slice(2),
  "double-percent": (s) => encodeURIComponent(encodeURIComponent(s)),
  "json-escaped": (s) => JSON.stringify(s).slice(1, -1),
  "json-ascii": (s) => JSON.stringify(s).slice(1, -1).replace(/[\u007f-\uffff]/g, (c) => `\\u${c.charCodeAt(0).toString(16).padStart(4, "0")}`),
  html: (s) => s.replace(/&/g, "&amp;").replace(/</g, "&lt;").replace(/>/g, "&gt;").replace(/"/g, "&quot;").replace(/'/g, "&#39;"),
};

interface Run {
  canaries: Canaries;
  cores: Cores;
  encode: Encoding;
  /** Filler before an echo, so clipping at fixed lengths can fall inside a secret. */
  pad: string;
}

/** Server behaviour of one scenario: logon, Identity and API routes. */
type Behaviour = (req: IncomingMessage, res: ServerResponse, body: Buffer, run: Run) => void;

interface Scenario {
  name: string;
  auth: (c: Canaries) => AuthStrategy;
  server: Behaviour;
  /** What the caller does; the outcome (success or error) is inspected. */
  act: (client: HardeningClient, c: Canaries) => Promise<unknown>;
  /** The caller itself put secrets into the request (hooks are shown the caller's own request). */
  callerSentSecrets?: boolean;
}

const path = (req: IncomingMessage) => (req.url ?? "").split("?")[0] ?? "";
const isLogon = (req: IncomingMessage) => /\/auth\/[^/]+\/Logon$/i.test(path(req)) || path(req).endsWith("/oauth2/platformtoken");
const echo = (run: Run, s: string) => `${run.pad}'${run.encode(s)}'`;

function issueToken(req: IncomingMessage, res: ServerResponse, run: Run): boolean {
  if (!isLogon(req)) return false;
  if (path(req).endsWith("/oauth2/platformtoken")) sendJson(res, 200, { access_token: run.canaries.token, token_type: "Bearer", expires_in: 3600 });
  else sendJson(res, 200, run.canaries.token);
  return true;
}

const getAccounts = (client: HardeningClient) => client.api.GET("/Accounts");
const vault = (c: Canaries) => vaultLogon({ username: "hardening-user", password: c.password, newPassword: c.newPassword });

const SCENARIOS: Scenario[] = [
  {
    name: "logon 403 PASWS013E echoing the password",
    auth: vault,
    server: (_req, res, _b, run) =>
      sendJson(res, 403, { ErrorCode: "PASWS013E", ErrorMessage: `Authentication failure for password ${echo(run, run.canaries.password)}` }),
    act: (client) => client.logon(),
  },
  {
    name: "logon 500 plain text echoing password and new password",
    auth: vault,
    server: (_req, res, _b, run) => {
      res.writeHead(500, { "content-type": "text/plain" });
      res.end(`Request Error ${echo(run, run.canaries.password)} newPassword=${run.encode(run.canaries.newPassword)} end`);
    },
    act: (client) => client.logon(),
  },
  {
    name: "logon 401 HTML page echoing the form",
    auth: vault,
    server: (_req, res, _b, run) => {
      res.writeHead(401, { "content-type": "text/html" });
      res.end(`<html><body><input name="password" value="${run.encode(run.canaries.password)}"></body></html>`);
    },
    act: (client) => client.logon(),
  },
  {
    name: "logon 409 with Details naming the new password",
    auth: vault,
    server: (_req, res, _b, run) =>
      sendJson(res, 409, {
        ErrorCode: "ITATS004E",
        ErrorMessage: "Password change failed",
        Details: [{ ErrorCode: "X", ErrorMessage: `new value ${echo(run, run.canaries.newPassword)} is too weak` }, { password: run.canaries.password }],
      }),
    act: (client) => client.logon(),
  },
  {
    name: "logon 200 without a token, echoing the request",
    auth: vault,
    server: (_req, res, body, run) => sendJson(res, 200, { Message: `got ${run.pad}${body.toString("utf8")}` }),
    act: (client) => client.logon(),
  },
  {
    name: "logon connection dropped mid-body",
    auth: vault,
    server: (_req, res, _b, run) => {
      res.writeHead(200, { "content-type": "application/json", "content-length": "4096" });
      res.write(`"${run.canaries.token.slice(0, 5)}`);
      setTimeout(() => res.socket?.destroy(), 5);
    },
    act: (client) => client.logon(),
  },
  {
    name: "API 400 echoing the token in message and Details",
    auth: vault,
    server: (req, res, _b, run) =>
      issueToken(req, res, run) ||
      sendJson(res, 400, {
        ErrorCode: "PASWS167E",
        ErrorMessage: `There are some invalid parameters ${echo(run, run.canaries.token)}`,
        Details: { token: run.canaries.token, note: `auth ${run.encode(run.canaries.token)}` },
      }),
    act: (client) => getAccounts(client),
  },
  {
    name: "API 404 with an Identity-style body echoing the token",
    auth: vault,
    server: (req, res, _b, run) =>
      issueToken(req, res, run) ||
      sendJson(res, 404, { error: `invalid_token ${run.encode(run.canaries.token)}`, error_description: `token ${echo(run, run.canaries.token)} unknown` }),
    act: (client) => getAccounts(client),
  },
  {
    name: "API 401 on every call, body echoing the Authorization header",
    auth: vault,
    server: (req, res, _b, run) => {
      if (issueToken(req, res, run)) return;
      res.writeHead(401, { "content-type": "text/plain", "www-authenticate": `Bearer ${run.canaries.token}` });
      res.end(`Authorization: ${String(req.headers.authorization)} rejected ${echo(run, run.canaries.token)}`);
    },
    act: (client) => getAccounts(client),
  },
  {
    name: "API 429 then 500 echoing the token",
    auth: vault,
    server: (req, res, _b, run) => {
      if (issueToken(req, res, run)) return;
      const n = (run as Run & { n?: number }).n = ((run as Run & { n?: number }).n ?? 0) + 1;
      if (n === 1) sendJson(res, 429, { ErrorMessage: `slow down ${echo(run, run.canaries.token)}` }, { "retry-after": "0" });
      else sendJson(res, 500, { ErrorCode: "CAWS00001E", ErrorMessage: `failed for ${echo(run, run.canaries.token)}` });
    },
    act: (client) => getAccounts(client),
  },
  {
    name: "API redirect to another origin carrying the token",
    auth: vault,
    server: (req, res, _b, run) => {
      if (issueToken(req, res, run)) return;
      res.writeHead(302, { location: `http://127.0.0.1:9/steal?token=${encodeURIComponent(run.canaries.token)}&t=${run.canaries.token}` });
      res.end();
    },
    act: (client) => getAccounts(client),
  },
  {
    name: "API 200 with truncated JSON holding the token",
    auth: vault,
    server: (req, res, _b, run) => {
      if (issueToken(req, res, run)) return;
      res.writeHead(200, { "content-type": "application/json" });
      res.end(`{"value": [{"secret": "${run.encode(run.canaries.token)}", "x": `);
    },
    act: (client) => getAccounts(client),
  },
  {
    name: "API connection dropped after the token was echoed in part of the body",
    auth: vault,
    server: (req, res, _b, run) => {
      if (issueToken(req, res, run)) return;
      res.writeHead(200, { "content-type": "application/json", "content-length": "100000" });
      res.write(`{"token": "${run.canaries.token}`);
      setTimeout(() => res.socket?.destroy(), 5);
    },
    act: (client) => getAccounts(client),
  },
  {
    name: "API stalls until the per-request timeout",
    auth: vault,
    server: (req, res, _b, run) => {
      if (issueToken(req, res, run)) return;
      res.writeHead(200, { "content-type": "application/json" });
      res.write(`{"token": "${run.canaries.token}", `);
    },
    act: (client) => client.api.GET("/Accounts", { timeoutMs: 150 }),
  },
  {
    name: "caller puts the password in a query and the server answers 500 with the URL",
    auth: vault,
    server: (req, res, _b, run) => {
      if (issueToken(req, res, run)) return;
      sendJson(res, 500, { ErrorMessage: `failed: ${req.url ?? ""}` });
    },
    act: (client, c) => client.api.GET("/Accounts", { params: { query: { search: c.password, filter: `safeName eq ${c.token}` } } }),
    callerSentSecrets: true,
  },
  {
    name: "logoff fails with a 500 echoing the token",
    auth: vault,
    server: (req, res, _b, run) => {
      if (issueToken(req, res, run)) return;
      if (/\/Auth\/Logoff$/i.test(path(req))) sendJson(res, 500, { ErrorCode: "CAWS00001E", ErrorMessage: `cannot end ${echo(run, run.canaries.token)}` });
      else sendJson(res, 200, { value: [] });
    },
    act: async (client) => {
      await client.api.GET("/Accounts");
      await client.logoff();
    },
  },
  {
    name: "Identity 401 echoing the client secret in error and error_description",
    auth: (c) => platformToken({ clientId: "svc-hardening", clientSecret: c.clientSecret }),
    server: (_req, res, _b, run) =>
      sendJson(res, 401, { error: `invalid_client ${run.encode(run.canaries.clientSecret)}`, error_description: `secret ${echo(run, run.canaries.clientSecret)} is wrong` }),
    act: (client) => client.logon(),
  },
  {
    name: "Identity 200 without access_token, echoing the form",
    auth: (c) => platformToken({ clientId: "svc-hardening", clientSecret: c.clientSecret }),
    server: (_req, res, body, run) => sendJson(res, 200, { echo: `${run.pad}${body.toString("utf8")}` }),
    act: (client) => client.logon(),
  },
  {
    name: "platform token accepted, API 501 echoing the bearer token",
    auth: (c) => platformToken({ clientId: "svc-hardening", clientSecret: c.clientSecret }),
    server: (req, res, _b, run) =>
      issueToken(req, res, run) ||
      sendJson(res, 501, { ErrorCode: "PASWS999E", ErrorMessage: `not here ${echo(run, String(req.headers.authorization))}` }),
    act: (client) => getAccounts(client),
  },
  {
    name: "RADIUS append mode refused, echoing password,otp",
    auth: (c) => radiusLogon({ username: "hardening-user", password: c.password, otp: c.otp }),
    // The request body is echoed as received (already JSON); only the bare OTP gets the run's encoding.
    server: (_req, res, body, run) =>
      sendJson(res, 403, { ErrorCode: "ITATS214E", ErrorMessage: `RADIUS refused ${run.pad}${body.toString("utf8")} otp ${run.encode(run.canaries.otp)}` }),
    act: (client) => client.logon(),
  },
  {
    name: "RADIUS challenge answered by callback, then refused echoing the OTP",
    auth: (c) => radiusLogon({ username: "hardening-user", password: c.password, otp: () => c.otp }),
    server: (_req, res, body, run) => {
      if (body.toString("utf8").includes(run.cores.password)) sendJson(res, 500, { ErrorCode: "ITATS542I", ErrorMessage: "Enter the code" });
      else sendJson(res, 401, { ErrorCode: "ITATS215E", ErrorMessage: `code ${echo(run, run.canaries.otp)} expired` });
    },
    act: (client) => client.logon(),
  },
  {
    name: "SAML logon refused, echoing the SAMLResponse",
    auth: (c) => samlLogon({ samlResponse: c.saml }),
    server: (_req, res, body, run) => {
      res.writeHead(400, { "content-type": "text/plain" });
      res.end(`bad request body ${run.pad}${body.toString("utf8")} / ${run.encode(run.canaries.saml)}`);
    },
    act: (client) => client.logon(),
  },
];

let server: HardeningServer;
let current: { run: Run; scenario: Scenario } | undefined;

beforeAll(async () => {
  server = await startServer((req, res, body) => {
    if (!current) {
      res.writeHead(503);
      res.end();
      return;
    }
    current.scenario.server(req, res, body, current.run);
  });
});

afterAll(async () => {
  await server?.close();
});

/** Everything a user could see or log from one call. */
function observe(outcome: unknown): string[] {
  const out: string[] = [];
  const add = (value: unknown, depth = 0): void => {
    if (value === undefined || value === null || depth > 4) return;
    if (value instanceof Error) {
      out.push(value.message, String(value), value.stack ?? "");
      try {
        out.push(JSON.stringify(value));
      } catch (e) {
        out.push(`JSON.stringify threw ${(e as Error).message}`);
      }
      out.push(inspect(value, { depth: 10, showHidden: true }));
      for (const [k, v] of Object.entries(value)) out.push(`${k}=${typeof v === "string" ? v : inspect(v, { depth: 10 })}`);
      add(value.cause, depth + 1);
      return;
    }
    out.push(inspect(value, { depth: 10, showHidden: true }));
  };
  add(outcome);
  return out;
}

function leaks(texts: string[], cores: Cores): string[] {
  const found: string[] = [];
  for (const [kind, core] of Object.entries(cores)) {
    const hit = texts.find((t) => t.includes(core));
    if (hit !== undefined) {
      const at = hit.indexOf(core);
      found.push(`${kind} in ${JSON.stringify(hit.slice(Math.max(0, at - 60), at + core.length + 20))}`);
    }
  }
  return found;
}

let serial = 0;
const around = fc.string({ unit: "grapheme", maxLength: 6 });
const canaryArb = fc.record({ a: around, b: around });

const runArb = fc.record({
  scenario: fc.nat({ max: SCENARIOS.length - 1 }),
  encoding: fc.constantFrom(...Object.keys(ENCODINGS)),
  // Around 200 and 400: the lengths at which error texts are clipped.
  pad: fc.oneof(fc.constant(0), fc.integer({ min: 150, max: 420 })),
  parts: fc.array(canaryArb, { minLength: 6, maxLength: 6 }),
});

interface RunInput {
  scenario: number;
  encoding: string;
  pad: number;
  parts: Array<{ a: string; b: string }>;
}

async function check(input: RunInput): Promise<string[]> {
  const scenario = SCENARIOS[input.scenario]!;
  const id = `${process.pid}x${++serial}`;
  const kinds: Array<keyof Canaries> = ["password", "newPassword", "token", "clientSecret", "otp", "saml"];
  const cores = {} as Cores;
  const canaries = {} as Canaries;
  kinds.forEach((kind, i) => {
    const core = `CANARY${kind.toUpperCase()}${id}`;
    cores[kind] = core;
    const part = input.parts[i]!;
    // Tokens keep a token-like alphabet (servers issue those); other secrets take any characters.
    canaries[kind] = kind === "token" ? `tok_${core}_${id}` : `${part.a}${core}${part.b}`;
  });
  const run: Run = { canaries, cores, encode: ENCODINGS[input.encoding]!, pad: "p".repeat(input.pad) };
  current = { run, scenario };

  const logLines: string[] = [];
  const log = (level: string) => (msg: string, meta?: unknown) => logLines.push(`${level} ${msg} ${meta === undefined ? "" : inspect(meta, { depth: 20 })}`);
  const hookSeen: string[] = [];
  const hooks: Hooks = {
    beforeRequest: [(request, info) => void hookSeen.push(`before ${inspect([...request.headers])} ${inspect(info)}`)],
    afterResponse: [(response, info) => void hookSeen.push(`after ${inspect([...response.headers])} ${inspect(info)}`)],
    beforeRetry: [(info) => void hookSeen.push(`retry ${inspect(info)}`)],
  };
  const client = hardeningClient(server.url, {
    auth: scenario.auth(canaries),
    logger: { debug: log("debug"), info: log("info"), warn: log("warn"), error: log("error") },
    hooks,
    timeoutMs: 5_000,
    retry: { limit: 1, rateLimitLimit: 1, baseDelayMs: 1, maxDelayMs: 5 },
    // The test server plays the Identity tenant too.
    identityUrl: `${server.url}/identity`,
  });

  let outcome: unknown;
  try {
    outcome = await scenario.act(client, canaries);
  } catch (e) {
    outcome = e;
  } finally {
    await client.close();
  }
  const problems: string[] = [];
  if (!(outcome instanceof Error)) problems.push(`expected a failure, the call succeeded`);
  for (const l of leaks(observe(outcome), cores)) problems.push(`error leaks ${l}`);
  for (const l of leaks(logLines, cores)) problems.push(`log leaks ${l}`);
  if (!scenario.callerSentSecrets) for (const l of leaks(hookSeen, cores)) problems.push(`hook sees ${l}`);
  return problems;
}

describe("canary secrets never leak", () => {
  it("through every error path, log line and hook, whatever the server echoes", async () => {
    // Every input runs (no stop at the first leak) so the count shows how widespread a leak is.
    const failures: string[] = [];
    const seed = Date.now() % 2 ** 31;
    await fc.assert(
      fc.asyncProperty(runArb, async (input) => {
        tally.tried();
        const problems = await check(input);
        if (problems.length > 0) {
          const note = `${SCENARIOS[input.scenario]!.name} [${input.encoding}, pad ${input.pad}]: ${problems.join("; ")}`;
          tally.failed(note);
          failures.push(note);
        }
        return true;
      }),
      { numRuns: 350, seed, examples: SCENARIOS.map((_, i) => [{ scenario: i, encoding: "raw", pad: 0, parts: Array.from({ length: 6 }, () => ({ a: "", b: "" })) }]) },
    );
    expect(failures.slice(0, 10), `${failures.length} leaking inputs (fast-check seed ${seed})`).toEqual([]);
  }, 120_000);
});

// One deterministic case per leak class the property above can only hit by chance, so a
// regression names its cause directly.
describe("leak classes, one case each", () => {
  const seen = (texts: string[], needle: string) => texts.some((t) => t.includes(needle));

  async function failureOf(auth: AuthStrategy, behaviour: Behaviour, act: (c: HardeningClient) => Promise<unknown>, hooks?: Hooks) {
    const logs: string[] = [];
    const canaries: Canaries = { password: "", newPassword: "", token: "tok_CANARYTOKENDET0001", clientSecret: "", otp: "", saml: "" };
    const cores = { password: "-", newPassword: "-", token: "-", clientSecret: "-", otp: "-", saml: "-" };
    current = { run: { canaries, cores, encode: ENCODINGS["raw"]!, pad: "" }, scenario: { name: "det", auth: () => auth, server: behaviour, act } };
    const log = (msg: string, meta?: unknown) => logs.push(`${msg} ${inspect(meta, { depth: 20 })}`);
    const client = hardeningClient(server.url, {
      auth,
      logger: { debug: log, info: log, warn: log, error: log },
      hooks,
      retry: { limit: 1, rateLimitLimit: 1, baseDelayMs: 1, maxDelayMs: 5 },
      identityUrl: `${server.url}/identity`,
    });
    let outcome: unknown;
    try {
      outcome = await act(client);
    } catch (e) {
      outcome = e;
    } finally {
      await client.close();
    }
    return { texts: [...observe(outcome), ...logs], outcome };
  }

  it("the Identity `error` field is redacted like error_description", async () => {
    tally.tried();
    const secret = "CANARYCLIENTSECRETDET0001";
    const { texts } = await failureOf(
      platformToken({ clientId: "svc", clientSecret: secret }),
      (_req, res) => sendJson(res, 401, { error: `invalid_client ${secret}`, error_description: "bad credentials" }),
      (c) => c.logon(),
    );
    if (seen(texts, secret)) tally.failed("Identity `error` field echoing the client secret is not redacted");
    expect(seen(texts, secret), "client secret visible in the error").toBe(false);
  });

  it("a secret cut by the 200-character clip of a plain-text error body does not leak its start", async () => {
    tally.tried();
    const core = "CANARYPASSWORDDET0002";
    const password = `Pw${core}-tail-${"z".repeat(30)}`;
    const { texts } = await failureOf(
      vaultLogon({ username: "u", password }),
      (_req, res) => {
        res.writeHead(500, { "content-type": "text/plain" });
        // The clip at 200 characters falls in "-tail-zzz...", after the core.
        res.end(`${"x".repeat(200 - 2 - core.length - 8)}${password} end of message`);
      },
      (c) => c.logon(),
    );
    if (seen(texts, core)) tally.failed("plain-text error body clipped before redaction leaks the start of the password");
    expect(seen(texts, core), "start of the password visible in the error").toBe(false);
  });

  it("beforeRequest hooks never see the Authorization header, also on the replay after a 401", async () => {
    tally.tried();
    const headersSeen: string[] = [];
    let tokens = 0;
    let apiCalls = 0;
    const { outcome } = await failureOf(
      vaultLogon({ username: "u", password: "pw-det-3" }),
      (req, res) => {
        if (isLogon(req)) return sendJson(res, 200, `tok_CANARYTOKENDET0003_${++tokens}`);
        // First API call: the session "expired"; the replay succeeds.
        if (++apiCalls === 1) return sendJson(res, 401, { ErrorCode: "PASWS006E" });
        sendJson(res, 200, { value: [] });
      },
      (c) => c.api.GET("/Accounts"),
      { beforeRequest: [(request) => void headersSeen.push(inspect([...request.headers]))] },
    );
    expect(outcome, "the replay should succeed").not.toBeInstanceOf(Error);
    const leaked = seen(headersSeen, "CANARYTOKENDET0003");
    if (leaked) tally.failed("beforeRequest hook sees the previous attempt's Authorization header on the replay");
    expect(headersSeen.length).toBe(2);
    expect(leaked, `headers shown to the hook: ${headersSeen.join(" | ")}`).toBe(false);
  });
});
