// Area 4: transport and server faults. The server closes the connection mid-body, stalls (the
// per-request timeout fires), answers 401 to every call (one re-logon, then a typed error),
// answers 429 forever (retries stop at the budget), redirects to another origin (nothing, and no
// Authorization header, reaches it), and lets the session token expire between paging calls (the
// iterator logs on again and continues without losing or repeating an item).
import fc from "fast-check";
import { afterAll, beforeAll, beforeEach, describe, expect, it } from "vitest";
import { staticToken, vaultLogon } from "../../src/auth/index.js";
import { DEFAULT_RETRY } from "../../src/index.js";
import { CyberArkError } from "../../src/errors/base.js";
import { AuthenticationError, RateLimitError } from "../../src/errors/status-errors.js";
import { RequestAbortedError } from "../../src/errors/aborted.js";
import { TimeoutError } from "../../src/errors/timeout.js";
import { UnsafeRedirectError } from "../../src/errors/unsafe-redirect.js";
import { hardeningClient, type HardeningClient, type HardeningOptions } from "../support/hardening-client.js";
import { sendJson, startServer, type HardeningServer } from "../support/hardening-server.js";
import { useTally } from "../support/hardening-tally.js";
import { startTenant, tokenNumber, type Tenant } from "../support/hardening-tenant.js";

const tally = useTally("faults");

let tenant: Tenant;
/** Another origin: whatever reaches it was carried off the deployment. */
let foreign: HardeningServer;
const clients: HardeningClient[] = [];

beforeAll(async () => {
  tenant = await startTenant();
  foreign = await startServer((_req, res) => sendJson(res, 200, { stolen: true }));
});

afterAll(async () => {
  await Promise.all(clients.map((c) => c.close()));
  await tenant?.close();
  await foreign?.close();
});

beforeEach(() => {
  tenant.reset();
  foreign.requests.length = 0;
});

function client(options: Partial<HardeningOptions> = {}): HardeningClient {
  const c = hardeningClient(tenant.server.url, { auth: vaultLogon({ username: "hardening", password: "pw-faults-1" }), ...options });
  clients.push(c);
  return c;
}

async function outcome<T>(p: Promise<T>): Promise<{ value?: T; error?: unknown; ms: number }> {
  const started = Date.now();
  try {
    return { value: await p, ms: Date.now() - started };
  } catch (error) {
    return { error, ms: Date.now() - started };
  }
}

/** Records one input: problems become tally failures; returns them for the assertion. */
function judged(label: string, problems: string[]): string[] {
  tally.tried();
  if (problems.length > 0) tally.failed(`${label}: ${problems.join("; ")}`);
  return problems;
}

async function drain(items: AsyncIterable<unknown>): Promise<number> {
  let n = 0;
  for await (const _ of items) n++;
  return n;
}

const typeName = (e: unknown) => (e as Error)?.constructor?.name ?? typeof e;

describe("connection closed mid-body", () => {
  it("every cut point gives a typed error, for single calls and for paging", async () => {
    const body = Buffer.from(JSON.stringify({ value: Array.from({ length: 40 }, (_, i) => ({ id: `${i}`, name: `account-${i}` })), count: 40 }));
    const failures: string[] = [];
    const c = client({ retry: false });
    await fc.assert(
      fc.asyncProperty(
        fc.record({ cut: fc.nat({ max: body.length - 1 }), declared: fc.boolean(), delayMs: fc.integer({ min: 0, max: 15 }), paging: fc.boolean() }),
        async ({ cut, declared, delayMs, paging }) => {
          tenant.api = (_req, res) => {
            res.writeHead(200, declared ? { "content-type": "application/json", "content-length": String(body.length) } : { "content-type": "application/json" });
            res.write(body.subarray(0, cut));
            setTimeout(() => res.socket?.destroy(), delayMs);
          };
          const result = await outcome(
            paging ? drain(c.paginate("/Accounts")) : c.api.GET("/Accounts").then(() => 1),
          );
          const problems: string[] = [];
          // Undeclared length: a clean close after the cut may be read as the end of a (truncated) body.
          if (result.error === undefined) problems.push("succeeded on a truncated body");
          else if (!(result.error instanceof CyberArkError)) problems.push(`untyped ${typeName(result.error)}: ${String((result.error as Error).message)}`);
          const p = judged(`cut at ${cut}/${body.length} ${declared ? "with" : "without"} Content-Length, ${paging ? "paginate" : "GET"}`, problems);
          if (p.length > 0) failures.push(p.join("; "));
          return true;
        },
      ),
      { numRuns: 60 },
    );
    expect([...new Set(failures)].slice(0, 5), `${failures.length} of 60 cuts failed`).toEqual([]);
  }, 60_000);
});

describe("stalls and timeouts", () => {
  const cases: Array<[string, (t: Tenant) => void, "api" | "logon"]> = [
    ["no response at all", (t) => (t.api = () => undefined), "api"],
    ["headers, then silence", (t) => (t.api = (_q, res) => void res.writeHead(200, { "content-type": "application/json" })), "api"],
    ["half a body, then silence", (t) => (t.api = (_q, res) => {
      res.writeHead(200, { "content-type": "application/json" });
      res.write('{"value": [');
    }), "api"],
    ["logon never answers", (t) => (t.logonDelayMs = 60_000), "logon"],
  ];
  it.each(cases)("%s: the timeout fires as a TimeoutError", async (label, arrange) => {
    arrange(tenant);
    const timeoutMs = 300;
    const c = client({ timeoutMs });
    const result = await outcome(c.api.GET("/Accounts"));
    const problems: string[] = [];
    if (!(result.error instanceof TimeoutError)) problems.push(`got ${typeName(result.error)}: ${String((result.error as Error)?.message)}`);
    if (result.ms > timeoutMs + 1_500) problems.push(`took ${result.ms} ms for a ${timeoutMs} ms timeout`);
    expect(judged(label, problems)).toEqual([]);
  });

  it("a caller's abort interrupts a stalled call at once", async () => {
    tenant.api = () => undefined;
    const c = client({ timeoutMs: 30_000 });
    const controller = new AbortController();
    setTimeout(() => controller.abort(new Error("caller gave up")), 150);
    const result = await outcome(c.api.GET("/Accounts", { signal: controller.signal }));
    const problems: string[] = [];
    if (!(result.error instanceof RequestAbortedError)) problems.push(`got ${typeName(result.error)}`);
    if (result.ms > 1_500) problems.push(`took ${result.ms} ms`);
    expect(judged("abort during a stall", problems)).toEqual([]);
  });
});

describe("401 on every call", () => {
  it.each(["GET", "POST"] as const)("%s: one re-logon, the request replayed once (body intact), then AuthenticationError", async (method) => {
    tenant.accepts = () => false;
    const c = client();
    const body = { name: "replay-me", platformId: "WinDomain", safeName: "S1", secret: "s3cr3t-body" };
    const result = await outcome(method === "GET" ? c.api.GET("/Accounts") : c.api.POST("/Accounts", { body }));
    const problems: string[] = [];
    if (!(result.error instanceof AuthenticationError)) problems.push(`got ${typeName(result.error)}`);
    if (tenant.state.logons !== 2) problems.push(`${tenant.state.logons} logons, expected 2 (first + one renewal)`);
    if (tenant.state.apiRequests !== 2) problems.push(`${tenant.state.apiRequests} API requests, expected 2 (first + one replay)`);
    if (method === "POST") {
      const posted = tenant.server.requests.filter((r) => r.method === "POST" && r.rawUrl.endsWith("/Accounts")).map((r) => r.body.toString("utf8"));
      if (posted.length !== 2 || posted.some((b) => b !== JSON.stringify(body))) problems.push(`replayed bodies differ: ${JSON.stringify(posted)}`);
    }
    expect(judged(`401 forever (${method})`, problems)).toEqual([]);
  });

  it("a fixed token is not renewed: one request, then AuthenticationError", async () => {
    tenant.accepts = () => false;
    const c = client({ auth: staticToken({ token: "fixed-token-hardening" }) });
    const result = await outcome(c.api.GET("/Accounts"));
    const problems: string[] = [];
    if (!(result.error instanceof AuthenticationError)) problems.push(`got ${typeName(result.error)}`);
    if (tenant.state.apiRequests !== 1 || tenant.state.logons !== 0) problems.push(`${tenant.state.apiRequests} requests, ${tenant.state.logons} logons`);
    expect(judged("401 forever (static token)", problems)).toEqual([]);
  });
});

describe("429 forever", () => {
  // `limit` = rateLimitLimit: retries after the first attempt. High limits make the time budget the
  // stopping rule; the default limit (5) stops a server that asks for no wait at all.
  const cases: Array<{ label: string; retryAfter?: string; budgetMs: number; limit?: number; maxMs: number; method: "GET" | "POST"; expectWaitMs?: number }> = [
    { label: "no Retry-After: backoff until the budget", budgetMs: 800, limit: 10_000, maxMs: 2_000, method: "GET" },
    { label: "no Retry-After, POST (429 is retried for any method)", budgetMs: 600, limit: 10_000, maxMs: 2_000, method: "POST" },
    { label: "Retry-After: 1 within a 1.5 s budget", retryAfter: "1", budgetMs: 1_500, limit: 10_000, maxMs: 3_000, method: "GET" },
    { label: "Retry-After: 3600 beyond the budget: no wait", retryAfter: "3600", budgetMs: 5_000, maxMs: 1_000, method: "GET", expectWaitMs: 3_600_000 },
    // A server that accepted nothing and asks for no wait: the adaptive rate then sends one request per
    // second (flow control), so the default limit of 5 retries takes about 5 s, not a busy loop.
    { label: "Retry-After: 0, default retry limit", retryAfter: "0", budgetMs: 60_000, maxMs: 7_000, method: "GET" },
    { label: "Retry-After: an HTTP date in the past, default retry limit", retryAfter: "Wed, 21 Oct 2015 07:28:00 GMT", budgetMs: 60_000, maxMs: 7_000, method: "GET" },
    { label: "Retry-After: garbage", retryAfter: "soon-ish", budgetMs: 600, limit: 10_000, maxMs: 2_000, method: "GET" },
  ];
  it.each(cases)("$label", async ({ label, retryAfter, budgetMs, limit, maxMs, method, expectWaitMs }) => {
    tenant.api = (_q, res) => sendJson(res, 429, { ErrorCode: "CAWS00429E", ErrorMessage: "Too many requests" }, retryAfter ? { "retry-after": retryAfter } : {});
    const retry = { budgetMs, baseDelayMs: 20, maxDelayMs: 150, ...(limit === undefined ? {} : { rateLimitLimit: limit }) };
    const c = client({ retry });
    const result = await outcome(method === "GET" ? c.api.GET("/Accounts") : c.api.POST("/Accounts", { body: { name: "x" } }));
    const problems: string[] = [];
    if (!(result.error instanceof RateLimitError)) problems.push(`got ${typeName(result.error)}`);
    if (result.ms > maxMs) problems.push(`took ${result.ms} ms with a ${budgetMs} ms budget`);
    const maxAttempts = (limit ?? DEFAULT_RETRY.rateLimitLimit) + 1;
    if (tenant.state.apiRequests < 1 || tenant.state.apiRequests > maxAttempts) problems.push(`${tenant.state.apiRequests} attempts, at most ${maxAttempts} allowed`);
    if (limit === undefined && expectWaitMs === undefined && tenant.state.apiRequests !== maxAttempts) problems.push(`${tenant.state.apiRequests} attempts, expected ${maxAttempts}`);
    if (expectWaitMs !== undefined) {
      if (tenant.state.apiRequests !== 1) problems.push(`${tenant.state.apiRequests} attempts, expected 1`);
      if ((result.error as RateLimitError)?.retryAfterMs !== expectWaitMs) problems.push(`retryAfterMs ${(result.error as RateLimitError)?.retryAfterMs}`);
    }
    expect(judged(`429 forever: ${label}`, problems)).toEqual([]);
  });
});

describe("redirects to another origin", () => {
  const statuses = [301, 302, 303, 307, 308];
  it("GET, POST and logon: refused with UnsafeRedirectError, nothing reaches the other origin", async () => {
    const problems: string[] = [];
    for (const status of statuses) {
      for (const target of ["api-get", "api-post", "logon", "same-origin-then-foreign"] as const) {
        tenant.reset();
        foreign.requests.length = 0;
        const foreignUrl = `${foreign.url}/PasswordVault/API/Accounts?stolen=1`;
        tenant.api = (req, res) => {
          if (target === "same-origin-then-foreign" && !(req.url ?? "").includes("hop=1")) {
            res.writeHead(status, { location: "/PasswordVault/API/Accounts?hop=1" });
          } else {
            res.writeHead(status, { location: foreignUrl });
          }
          res.end();
        };
        if (target === "logon") {
          // The logon request itself is redirected: the password must not follow.
          const logon = hardeningClient(tenant.server.url, { auth: vaultLogon({ username: "u", password: "pw-redirect" }) });
          clients.push(logon);
          tenant.server.handler = wrapLogonRedirect(tenant.server.handler, status, foreignUrl);
          const r = await outcome(logon.api.GET("/Accounts"));
          tenant.server.handler = unwrap(tenant.server.handler);
          check(r.error, `${status} on logon`);
        } else {
          const c = client();
          const r = await outcome(target === "api-post" ? c.api.POST("/Accounts", { body: { name: "x" } }) : c.api.GET("/Accounts"));
          check(r.error, `${status} ${target}`);
        }
      }
    }
    function check(error: unknown, label: string): void {
      const p: string[] = [];
      if (!(error instanceof UnsafeRedirectError)) p.push(`got ${typeName(error)}: ${String((error as Error)?.message)}`);
      if (foreign.requests.length > 0) {
        p.push(`${foreign.requests.length} request(s) reached the other origin` + (foreign.requests.some((r) => r.headers.authorization) ? " WITH Authorization" : ""));
      }
      problems.push(...judged(`redirect ${label}`, p));
    }
    expect(problems).toEqual([]);
  });
});

// Wraps the tenant's handler so the logon answers with a redirect (restored by unwrap).
const ORIGINAL = Symbol("original handler");
type Wrapped = HardeningServer["handler"] & { [ORIGINAL]?: HardeningServer["handler"] };
function wrapLogonRedirect(inner: HardeningServer["handler"], status: number, location: string): Wrapped {
  const wrapped: Wrapped = (req, res, body) => {
    if (/\/Logon$/i.test((req.url ?? "").split("?")[0] ?? "")) {
      res.writeHead(status, { location });
      res.end();
      return;
    }
    return inner(req, res, body);
  };
  wrapped[ORIGINAL] = inner;
  return wrapped;
}
function unwrap(handler: Wrapped): HardeningServer["handler"] {
  return handler[ORIGINAL] ?? handler;
}

describe("session expiring between paging calls", () => {
  it("the iterator logs on again and yields every item exactly once, in order", async () => {
    const failures: string[] = [];
    let runsWithRenewal = 0;
    await fc.assert(
      fc.asyncProperty(
        fc.record({
          style: fc.constantFrom("nextLink" as const, "offset" as const),
          total: fc.integer({ min: 0, max: 260 }),
          pageSize: fc.integer({ min: 1, max: 40 }),
          readAhead: fc.integer({ min: 0, max: 3 }),
          // Requests a token survives; above the read-ahead so concurrent replays share one renewal.
          extraLife: fc.integer({ min: 1, max: 5 }),
        }),
        async ({ style, total, pageSize, readAhead, extraLife }) => {
          tenant.reset();
          const lifetime = readAhead + 1 + extraLife;
          const issuedAt = new Map<number, number>();
          tenant.accepts = (token, state) => {
            const n = tokenNumber(token);
            if (n !== state.issued.length) return false; // only the newest token is valid
            if (!issuedAt.has(n)) issuedAt.set(n, state.apiRequests);
            return state.apiRequests - (issuedAt.get(n) ?? 0) <= lifetime;
          };
          const seenQueries: string[] = [];
          tenant.api = (req, res) => {
            const url = new URL(req.url ?? "/", "http://x");
            seenQueries.push(url.search);
            const q = (name: string) => Number(url.searchParams.get(name) ?? NaN);
            const offset = style === "nextLink" ? q("offset") : q("Offset");
            const limit = style === "nextLink" ? q("limit") : q("Limit");
            const ids = Array.from({ length: Math.max(0, Math.min(limit, total - offset)) }, (_, i) => ({ id: `${offset + i}` }));
            if (style === "nextLink") {
              const next = offset + limit < total ? { nextLink: `PasswordVault/API/Accounts?offset=${offset + limit}&limit=${limit}&search=abc` } : {};
              sendJson(res, 200, { value: ids, count: total, ...next });
            } else {
              sendJson(res, 200, { LiveSessions: ids, Total: total });
            }
          };
          const c = client();
          const collected: string[] = [];
          const iterate = async () => {
            const items =
              style === "nextLink"
                ? c.paginate("/Accounts", { params: { query: { search: "abc", savedFilter: "Regular" } } }, { pageSize, readAhead })
                : c.paginate("/LiveSessions", {}, { pageSize, readAhead });
            for await (const item of items) collected.push(String((item as { id?: unknown }).id));
          };
          const result = await outcome(iterate());
          const problems: string[] = [];
          if (result.error !== undefined) problems.push(`${typeName(result.error)}: ${String((result.error as Error).message).slice(0, 200)}`);
          const expected = Array.from({ length: total }, (_, i) => `${i}`);
          if (collected.join(",") !== expected.join(",")) {
            const dup = collected.length - new Set(collected).size;
            problems.push(`got ${collected.length} items (${dup} repeated), expected ${total}`);
          }
          if (style === "nextLink" && seenQueries.some((s) => !s.includes("search=abc") || !s.includes("savedFilter=Regular"))) {
            problems.push("a follow-up page lost the original query (search / savedFilter)");
          }
          if (tenant.state.logons > 1) runsWithRenewal++;
          const label = `${style} total ${total} pageSize ${pageSize} readAhead ${readAhead} token life ${lifetime} requests (${tenant.state.logons} logons)`;
          const p = judged(label, problems);
          if (p.length > 0) failures.push(`${label}: ${p.join("; ")}`);
          return true;
        },
      ),
      { numRuns: 40 },
    );
    expect(failures.slice(0, 5), `${failures.length} of 40 paging runs failed`).toEqual([]);
    // The property only means something if tokens did expire mid-iteration in most runs.
    expect(runsWithRenewal).toBeGreaterThan(10);
  }, 90_000);
});

describe("failures nobody waits for", () => {
  it("a consumer that stops early while read-ahead pages fail leaves no unhandled rejection", async () => {
    let rejections = 0;
    let runsWithFailingPages = 0;
    const onRejection = (): void => void rejections++;
    process.on("unhandledRejection", onRejection);
    try {
      await fc.assert(
        fc.asyncProperty(fc.integer({ min: 1, max: 4 }), fc.integer({ min: 0, max: 3 }), fc.constantFrom("cut", "500", "stall"), async (readAhead, stopAfterPages, failure) => {
          tenant.reset();
          tenant.api = (req, res) => {
            const url = new URL(req.url ?? "/", "http://x");
            const offset = Number(url.searchParams.get("offset") ?? 0);
            const limit = Number(url.searchParams.get("limit") ?? 10);
            if (offset === 0) {
              const value = Array.from({ length: limit }, (_, i) => ({ id: `${i}` }));
              return sendJson(res, 200, { value, count: 1_000, nextLink: `PasswordVault/API/Accounts?offset=${limit}&limit=${limit}` });
            }
            // Every prefetched page after the first fails in its own way.
            if (failure === "500") return sendJson(res, 500, { ErrorCode: "CAWS00001E", ErrorMessage: "boom" });
            res.writeHead(200, { "content-type": "application/json", "content-length": "5000" });
            res.write('{"value": [');
            if (failure === "cut") setTimeout(() => res.socket?.destroy(), 5);
          };
          const c = client({ timeoutMs: 500, retry: false });
          let pages = 0;
          const result = await outcome((async () => {
            for await (const _ of c.paginate("/Accounts", {}, { pageSize: 10, readAhead })) {
              void _;
              if (++pages > stopAfterPages * 10) break;
            }
          })());
          // Give abandoned prefetches time to settle (and to reject, if they were going to).
          await new Promise((r) => setTimeout(r, 30));
          // Only termination and unhandled rejections are judged here; error types are the cut test's.
          const problems: string[] = [];
          if (result.ms > 5_000) problems.push(`took ${result.ms} ms`);
          if (tenant.state.apiRequests >= 2) runsWithFailingPages++;
          return judged(`stop after ${stopAfterPages} page(s), readAhead ${readAhead}, later pages ${failure}`, problems).length === 0;
        }),
        { numRuns: 25 },
      );
      await new Promise((r) => setTimeout(r, 600));
      expect(rejections, "unhandled rejections").toBe(0);
      expect(runsWithFailingPages, "runs in which a failing page was requested").toBeGreaterThan(5);
    } finally {
      process.off("unhandledRejection", onRejection);
    }
  }, 60_000);

  it("a logger whose every method throws never turns a success into a failure", async () => {
    tenant.api = (_q, res) => sendJson(res, 200, { value: [], count: 0 });
    const boom = (): never => {
      throw new Error("logger exploded");
    };
    const c = client({ logger: { debug: boom, info: boom, warn: boom, error: boom } });
    const result = await outcome(c.api.GET("/Accounts"));
    expect(judged("throwing logger", result.error === undefined ? [] : [`call failed: ${String(result.error)}`])).toEqual([]);
  });
});
