// Area 2: generated status codes, content types and bodies. Whatever the server answers, a call
// resolves with the parsed data of a 2xx, or rejects with a CyberArkError subclass that says what
// happened: never a raw SyntaxError/TypeError, never an unhandled rejection, and bodies beyond the
// client's size limit are refused with ResponseTooLargeError.
import { inspect } from "node:util";
import fc from "fast-check";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { staticToken } from "../../src/auth/index.js";
import { CyberArkError } from "../../src/errors/base.js";
import { CyberArkHttpError } from "../../src/errors/http-error.js";
import { NetworkError } from "../../src/errors/network.js";
import { ResponseTooLargeError } from "../../src/errors/response-too-large.js";
import { sendJson } from "../support/hardening-server.js";
import { hardeningClient, type HardeningClient } from "../support/hardening-client.js";
import { NO_BODY_STATUSES, responseArbitrary, sendCanned, type CannedResponse } from "../support/hardening-responses.js";
import { startServer, type HardeningServer } from "../support/hardening-server.js";
import { useTally } from "../support/hardening-tally.js";

const tally = useTally("response-bodies");
const LIMIT = 64 * 1024;

let server: HardeningServer;
let client: HardeningClient;
let current: CannedResponse | undefined;

beforeAll(async () => {
  server = await startServer((_req, res) => {
    if (current) sendCanned(res, current);
    else res.end();
  });
  // No retries: each input is judged on one exchange (the retry rules are area 4's subject).
  // Its 429s are canned answers among others, not a rate limit: no adaptive pacing.
  client = hardeningClient(server.url, { auth: staticToken({ token: "hardening-body-token" }), retry: false, maxResponseBytes: LIMIT, flowControl: { adaptiveRate: false } });
});

afterAll(async () => {
  await client?.close();
  await server?.close();
});

function expectedData(canned: CannedResponse): { ok: true; value: unknown } | { ok: false } {
  if (NO_BODY_STATUSES.has(canned.status) || canned.body.length === 0) return { ok: true, value: undefined };
  const text = canned.body.toString("utf8");
  try {
    return { ok: true, value: JSON.parse(text) };
  } catch {
    return /^text\/plain/i.test(canned.contentType ?? "") ? { ok: true, value: text } : { ok: false };
  }
}

/** Problems with the outcome of one canned answer; empty when acceptable. */
async function judge(canned: CannedResponse): Promise<string[]> {
  current = canned;
  let result: { data: unknown; response: Response } | undefined;
  let error: unknown;
  try {
    result = await client.api.GET("/Accounts");
  } catch (e) {
    error = e;
  }
  const problems: string[] = [];
  const carriesBody = !NO_BODY_STATUSES.has(canned.status);
  const tooLarge = carriesBody && canned.body.length > LIMIT;
  const success = canned.status >= 200 && canned.status < 300;

  if (result) {
    if (!success) problems.push(`resolved for HTTP ${canned.status}`);
    if (tooLarge) problems.push(`accepted a ${canned.body.length}-byte body over the ${LIMIT}-byte limit`);
    const expected = expectedData(canned);
    if (!expected.ok) problems.push("resolved with a body that is neither JSON nor text/plain");
    else if (JSON.stringify(result.data) !== JSON.stringify(expected.value)) problems.push("data differs from the body sent");
    return problems;
  }

  if (!(error instanceof CyberArkError)) {
    problems.push(`untyped rejection ${(error as Error)?.name}: ${String((error as Error)?.message ?? error).slice(0, 160)}`);
    return problems;
  }
  if (success && tooLarge && !(error instanceof ResponseTooLargeError)) problems.push(`over-limit 2xx gave ${error.name}, not ResponseTooLargeError`);
  if (success && !tooLarge && error.kind !== "INVALID_RESPONSE") problems.push(`2xx within the limit gave ${error.name} (${error.kind})`);
  if (!success && !tooLarge) {
    if (canned.status === 407) {
      // Fetch turns a 407 into a network error; the message must still say what came back.
      if (!/407|proxy/i.test(error.message)) problems.push(`HTTP 407 gave ${error.name} without naming 407 or a proxy: ${error.message}`);
    } else if (!(error instanceof CyberArkHttpError)) problems.push(`HTTP ${canned.status} gave ${error.name}, not a CyberArkHttpError`);
    else if (error.status !== canned.status) problems.push(`error.status ${error.status}, server sent ${canned.status}`);
  }
  // undici turns any 407 into a network error before a body exists, so a 407 cannot be refused
  // for its size: NetworkError is the right answer whatever the body's length.
  const refusedForSize = error instanceof ResponseTooLargeError || error instanceof CyberArkHttpError;
  if (!success && tooLarge && !refusedForSize && !(canned.status === 407 && error instanceof NetworkError)) {
    problems.push(`over-limit HTTP ${canned.status} gave ${error.name}`);
  }
  if (typeof error.message !== "string" || error.message.length === 0) problems.push("empty message");
  if (/\[object Object\]|\bundefined\b/.test(error.message)) problems.push(`message shows an unformatted value: ${error.message.slice(0, 200)}`);
  // "...: " with nothing after: a reason that was meant to be there came out empty.
  if (/: $/.test(error.message)) problems.push(`message ends with an empty reason: ${error.message.slice(-120)}`);
  try {
    JSON.stringify(error);
    inspect(error);
  } catch (e) {
    problems.push(`the error cannot be serialised: ${(e as Error).message}`);
  }
  return problems;
}

function label(c: CannedResponse): string {
  return `HTTP ${c.status} ${c.contentType ?? "(no type)"} ${c.declareLength ? "length" : "chunked"} ${c.label} ${JSON.stringify(c.body.subarray(0, 40).toString("latin1"))}`;
}

describe("hostile response bodies", () => {
  it("every generated answer gives data or a typed error", async () => {
    // Every input runs (no stop at the first failure) so the count shows how widespread a problem is.
    const failures: string[] = [];
    const seed = Date.now() % 2 ** 31;
    await fc.assert(
      fc.asyncProperty(responseArbitrary({ limitBytes: LIMIT }), async (canned) => {
        tally.tried();
        const problems = await judge(canned);
        if (problems.length > 0) {
          tally.failed(`${label(canned)}: ${problems.join("; ")}`);
          failures.push(`${label(canned)}: ${problems.join("; ")}`);
        }
        return true;
      }),
      { numRuns: 700, seed, examples: [[{ status: 407, contentType: "text/plain", body: Buffer.from("proxy says no"), declareLength: true, label: "fixed" }]] },
    );
    expect(failures.slice(0, 10), `${failures.length} failing inputs (fast-check seed ${seed})`).toEqual([]);
  }, 90_000);

  it("size limit boundaries, declared and streamed, for success and error statuses", async () => {
    for (const status of [200, 404, 500]) {
      for (const size of [LIMIT, LIMIT + 1, LIMIT * 4]) {
        for (const declareLength of [true, false]) {
          const canned: CannedResponse = { status, contentType: "application/json", body: Buffer.from(`"${"x".repeat(size - 2)}"`), declareLength, label: `${size} bytes` };
          tally.tried();
          const problems = await judge(canned);
          if (problems.length > 0) tally.failed(`${label(canned)}: ${problems.join("; ")}`);
          expect(problems, label(canned)).toEqual([]);
        }
      }
    }
  }, 30_000);

  it("a body over the limit fails before it is read whole when Content-Length declares it", async () => {
    tally.tried();
    const huge: CannedResponse = { status: 200, contentType: "application/json", body: Buffer.alloc(LIMIT * 64, "1"), declareLength: true, label: "4 MiB" };
    current = huge;
    const refused = await client.api.GET("/Accounts").then(() => undefined, (e: unknown) => e);
    const ok = refused instanceof ResponseTooLargeError && refused.declared;
    if (!ok) tally.failed(`4 MiB declared body: ${String(refused)}`);
    expect(refused).toBeInstanceOf(ResponseTooLargeError);
    expect((refused as ResponseTooLargeError).declared).toBe(true);
  });

  // List responses of every shape: the iterator ends (the server below runs out of pages) with
  // the items or a typed error, never an untyped one and never an endless loop.
  it("paging over malformed envelopes ends with items or a typed error", async () => {
    const count = fc.oneof(fc.constant(undefined), fc.integer({ min: -5, max: 500 }), fc.constantFrom("12", "x", null, 1.5, 1e300, true));
    const link = fc.oneof(
      fc.constant(undefined),
      fc.constantFrom(null, 7, "", "   ", "%%%", "http://[::1", "//evil.example/PasswordVault/API/Accounts?offset=5", "https://evil.example/x?offset=3"),
      fc.nat({ max: 300 }).map((n) => `PasswordVault/API/Accounts?offset=${n}&limit=10`),
      fc.nat({ max: 300 }).map((n) => `/PasswordVault/API/Accounts?offset=${n}`),
      fc.nat({ max: 300 }).map((n) => `${server.url}/PasswordVault/API/Accounts?OFFSET=${n}`),
    );
    const items = fc.oneof(fc.array(fc.jsonValue({ maxDepth: 1 }), { maxLength: 12 }), fc.jsonValue({ maxDepth: 1 }));
    const page = fc.record({ value: items, count, nextLink: link, LiveSessions: items, Total: count }, { requiredKeys: [] });
    const failures: string[] = [];
    const seed = Date.now() % 2 ** 31;
    const original = server.handler;
    await fc.assert(
      fc.asyncProperty(fc.array(page, { minLength: 1, maxLength: 6 }), fc.constantFrom("/Accounts", "/LiveSessions"), async (pages, path) => {
        tally.tried();
        let served = 0;
        server.handler = (_req, res) => {
          const next = pages[served++];
          if (next) sendJson(res, 200, next);
          else sendJson(res, 200, path === "/Accounts" ? { value: [], count: 0 } : { LiveSessions: [], Total: 0 });
        };
        let error: unknown;
        let n = 0;
        try {
          for await (const _ of client.paginate(path as "/Accounts", {}, { pageSize: 10, readAhead: 0 })) {
            void _;
            if (++n > 10_000) throw new Error("more items than the server ever sent");
          }
        } catch (e) {
          error = e;
        }
        const problems: string[] = [];
        if (error !== undefined && !(error instanceof CyberArkError)) problems.push(`untyped ${(error as Error)?.name}: ${String((error as Error)?.message)}`);
        if (served > pages.length + 1) problems.push(`${served} requests for ${pages.length} pages`);
        if (problems.length > 0) {
          const note = `${path} ${JSON.stringify(pages).slice(0, 200)}: ${problems.join("; ")}`;
          tally.failed(note);
          failures.push(note);
        }
        return true;
      }),
      { numRuns: 300, seed },
    );
    server.handler = original;
    expect(failures.slice(0, 10), `${failures.length} failing inputs (fast-check seed ${seed})`).toEqual([]);
  }, 60_000);
});
