// The retry step alone: a scripted `next`, a hand-built call, fake timers for every wait.
// Math.random is pinned to 0.5, so a backoff without Retry-After is half its cap:
// 250, 500, 1000, 2000, 4000 ms with the default base of 500 ms.
import { afterEach, beforeEach, describe, expect, it, vi } from "vitest";
import { DEFAULT_RETRY } from "../../src/core/retry-policy.js";
import { RequestAbortedError } from "../../src/errors/aborted.js";
import { InvalidResponseError } from "../../src/errors/invalid-response.js";
import { NetworkError } from "../../src/errors/network.js";
import { ResponseTooLargeError } from "../../src/errors/response-too-large.js";
import { TimeoutError } from "../../src/errors/timeout.js";
import { TransportClosedError } from "../../src/errors/transport-closed.js";
import { UnsafeRedirectError } from "../../src/errors/unsafe-redirect.js";
import { bodyOf, type Call } from "../../src/pipeline/call.js";
import type { RetryObserver } from "../../src/pipeline/observation-step.js";
import { RetryQuota } from "../../src/pipeline/retry-quota.js";
import { retryStep } from "../../src/pipeline/retry-step.js";
import { json, makeCall, scriptedNext, status, type Answer, type FakeNext } from "./make-call.js";

const START = new Date("2025-03-01T12:00:00.000Z");
const IDEMPOTENT = ["GET", "HEAD", "PUT", "DELETE"];
const NOT_IDEMPOTENT = ["POST", "PATCH", "OPTIONS"];
const ALL_METHODS = [...IDEMPOTENT, ...NOT_IDEMPOTENT];

type Outcome = { value: Response; error?: undefined } | { error: unknown; value?: undefined };

let observed: Array<{ reason: string; delayMs: number; status: number | undefined; at: number; attempts: number }>;
let beforeRetry: RetryObserver;

beforeEach(() => {
  vi.useFakeTimers({ now: START });
  vi.spyOn(Math, "random").mockReturnValue(0.5);
  observed = [];
  beforeRetry = vi.fn(async (call: Call, reason, delayMs, status) => {
    observed.push({ reason, delayMs, status, at: Date.now() - START.getTime(), attempts: call.record.attempts });
  });
});

afterEach(() => {
  vi.useRealTimers();
  vi.restoreAllMocks();
});

/** Sends `call` through the retry step over `fake`, runs every timer, and gives the outcome. */
async function run(call: Call, fake: FakeNext, observer: RetryObserver = beforeRetry): Promise<Outcome> {
  const send = retryStep({ beforeRetry: observer, quota: new RetryQuota(0) })(fake.send);
  const outcome = send(call).then(
    (value): Outcome => ({ value }),
    (error: unknown): Outcome => ({ error }),
  );
  await vi.runAllTimersAsync();
  return outcome;
}

/** Milliseconds after the start at which each request was sent. */
const sendTimes = (fake: FakeNext): number[] => fake.sent.map((s) => s.at - START.getTime());

const networkError = (retriable = true): NetworkError =>
  new NetworkError("GET /PasswordVault/API/Accounts got no response from pvwa.example: ECONNRESET", {
    method: "GET",
    urlPath: "/PasswordVault/API/Accounts",
    retriable,
  });

describe("answers that are never retried", () => {
  const finalStatuses = [200, 201, 204, 206, 301, 302, 304, 307, 400, 401, 403, 404, 405, 409, 412, 422, 501, 505];
  for (const method of ALL_METHODS) {
    it(`${method}: 2xx, 3xx, 4xx (401 too), 501 and 505 go back at once, as they are`, async () => {
      for (const code of finalStatuses) {
        const response = status(code, { "retry-after": "1" });
        const fake = scriptedNext(response, status(200));
        const call = makeCall({ method });
        const outcome = await run(call, fake);
        expect(outcome.value, `${method} ${code}`).toBe(response);
        expect(fake.sent, `${method} ${code}`).toHaveLength(1);
        expect(response.bodyUsed).toBe(false);
        expect(call.record.retryAfterMs).toBeUndefined();
      }
      expect(beforeRetry).not.toHaveBeenCalled();
      expect(vi.getTimerCount()).toBe(0);
    });
  }
});

describe("429", () => {
  for (const method of ALL_METHODS) {
    it(`${method}: retried after the Retry-After seconds, also for secret changes and non-idempotent operations`, async () => {
      for (const operation of [undefined, { secretChange: true }]) {
        observed = [];
        vi.setSystemTime(START);
        const fake = scriptedNext(status(429, { "retry-after": "3" }), json(200, { ok: true }));
        const call = makeCall({ method, operation });
        const outcome = await run(call, fake);
        expect(outcome.value?.status).toBe(200);
        expect(sendTimes(fake)).toEqual([0, 3000]);
        expect(observed).toEqual([{ reason: "rate-limited", delayMs: 3000, status: 429, at: 0, attempts: 1 }]);
        expect(call.record.retryAfterMs).toBeUndefined();
      }
    });
  }

  it("waits exactly Retry-After: not one millisecond less", async () => {
    const fake = scriptedNext(status(429, { "retry-after": "2" }), status(200));
    const send = retryStep({ beforeRetry, quota: new RetryQuota(0) })(fake.send);
    const pending = send(makeCall());
    await vi.advanceTimersByTimeAsync(1999);
    expect(fake.sent).toHaveLength(1);
    await vi.advanceTimersByTimeAsync(1);
    expect(fake.sent).toHaveLength(2);
    expect((await pending).status).toBe(200);
  });

  it("reads Retry-After as an HTTP date (the wait is the time until then)", async () => {
    const at = new Date(START.getTime() + 7000).toUTCString();
    const fake = scriptedNext(status(429, { "retry-after": at }), status(200));
    const outcome = await run(makeCall(), fake);
    expect(outcome.value?.status).toBe(200);
    expect(sendTimes(fake)).toEqual([0, 7000]);
  });

  it("an HTTP date in the past means no wait", async () => {
    const fake = scriptedNext(status(429, { "retry-after": new Date(START.getTime() - 60_000).toUTCString() }), status(200));
    const outcome = await run(makeCall(), fake);
    expect(outcome.value?.status).toBe(200);
    expect(sendTimes(fake)).toEqual([0, 0]);
  });

  for (const [name, headers] of [
    ["without Retry-After", {}],
    ["with an unreadable Retry-After", { "retry-after": "soon" }],
    ["with an empty Retry-After", { "retry-after": "" }],
    ["with a Retry-After in another unit", { "retry-after": "30s" }],
  ] as const) {
    it(`${name}: capped exponential backoff with jitter, up to rateLimitLimit retries`, async () => {
      const fake = scriptedNext(() => status(429, headers));
      const call = makeCall({ method: "POST" });
      const outcome = await run(call, fake);
      expect(outcome.value?.status).toBe(429);
      // 1 + rateLimitLimit (5) sends; waits 250, 500, 1000, 2000, 4000.
      expect(sendTimes(fake)).toEqual([0, 250, 750, 1750, 3750, 7750]);
      expect(observed.map((o) => o.delayMs)).toEqual([250, 500, 1000, 2000, 4000]);
      // Nothing the server asked for: the caller's RateLimitError has no retryAfterMs.
      expect(call.record.retryAfterMs).toBeUndefined();
    });
  }

  it("given up after rateLimitLimit retries: the last 429 goes back with record.retryAfterMs", async () => {
    const fake = scriptedNext(() => status(429, { "retry-after": "1" }));
    const call = makeCall({ retry: { rateLimitLimit: 2 } });
    const outcome = await run(call, fake);
    expect(outcome.value?.status).toBe(429);
    expect(fake.sent).toHaveLength(3);
    expect(call.record.retryAfterMs).toBe(1000);
  });

  it("given up when the wait would end after the budget, with record.retryAfterMs", async () => {
    const fake = scriptedNext(status(429, { "retry-after": "61" }), status(200));
    const call = makeCall();
    const outcome = await run(call, fake);
    expect(outcome.value?.status).toBe(429);
    expect(fake.sent).toHaveLength(1);
    expect(call.record.retryAfterMs).toBe(61_000);
    expect(beforeRetry).not.toHaveBeenCalled();
  });

  it("the budget counts from the first attempt: waits that fit are made, the one that does not is not", async () => {
    const fake = scriptedNext(() => status(429, { "retry-after": "20" }));
    const call = makeCall();
    const outcome = await run(call, fake);
    expect(outcome.value?.status).toBe(429);
    // Retries at 20 s, 40 s and 60 s (exactly at the 60 s budget); the next would end past it.
    expect(sendTimes(fake)).toEqual([0, 20_000, 40_000, 60_000]);
    expect(call.record.retryAfterMs).toBe(20_000);
  });

  it("retryAfterMs is that of the last 429, as an HTTP date too", async () => {
    const fake = scriptedNext(status(429, { "retry-after": "1" }), status(429, { "retry-after": new Date(START.getTime() + 1000 + 90_000).toUTCString() }));
    const call = makeCall();
    await run(call, fake);
    expect(fake.sent).toHaveLength(2);
    expect(call.record.retryAfterMs).toBe(90_000);
  });

  it("rateLimitLimit 0 (retry: false): no retry, retryAfterMs still recorded", async () => {
    const fake = scriptedNext(status(429, { "retry-after": "4" }), status(200));
    const call = makeCall({ retry: { limit: 0, rateLimitLimit: 0 } });
    const outcome = await run(call, fake);
    expect(outcome.value?.status).toBe(429);
    expect(fake.sent).toHaveLength(1);
    expect(call.record.retryAfterMs).toBe(4000);
  });

  it("429 retries and 5xx retries have separate limits", async () => {
    const fake = scriptedNext(status(503), status(429), status(503), status(429), status(200));
    const outcome = await run(makeCall({ retry: { limit: 2, rateLimitLimit: 2 } }), fake);
    expect(outcome.value?.status).toBe(200);
    expect(observed.map((o) => [o.reason, o.status, o.delayMs])).toEqual([
      ["server-error", 503, 250],
      ["rate-limited", 429, 250],
      ["server-error", 503, 500],
      ["rate-limited", 429, 500],
    ]);
  });
});

describe("502, 503, 504", () => {
  for (const code of [502, 503, 504]) {
    for (const method of IDEMPOTENT) {
      it(`${code} ${method}: retried up to limit with backoff, then the last one goes back`, async () => {
        const fake = scriptedNext(() => status(code));
        const call = makeCall({ method });
        const outcome = await run(call, fake);
        expect(outcome.value?.status).toBe(code);
        expect(outcome.value?.bodyUsed).toBe(false);
        expect(sendTimes(fake)).toEqual([0, 250, 750]);
        expect(observed).toEqual([
          { reason: "server-error", delayMs: 250, status: code, at: 0, attempts: 1 },
          { reason: "server-error", delayMs: 500, status: code, at: 250, attempts: 2 },
        ]);
        expect(call.record.retryAfterMs).toBeUndefined();
      });
    }
    for (const method of NOT_IDEMPOTENT) {
      it(`${code} ${method}: not retried (the request may have been processed)`, async () => {
        const response = status(code);
        const fake = scriptedNext(response, status(200));
        const outcome = await run(makeCall({ method }), fake);
        expect(outcome.value).toBe(response);
        expect(fake.sent).toHaveLength(1);
      });
    }
  }

  it("a success after a retry ends the loop", async () => {
    const fake = scriptedNext(status(502), status(503), json(200, { value: [] }));
    const outcome = await run(makeCall({ method: "GET", retry: { limit: 3 } }), fake);
    expect(outcome.value?.status).toBe(200);
    expect(fake.sent).toHaveLength(3);
  });

  it("never for an operation that changes a secret, whatever its method", async () => {
    for (const method of IDEMPOTENT) {
      const fake = scriptedNext(status(503), status(200));
      const outcome = await run(makeCall({ method, operation: { secretChange: true } }), fake);
      expect(outcome.value?.status, method).toBe(503);
      expect(fake.sent, method).toHaveLength(1);
    }
  });

  it("POST only when the caller opts it in through retry.methods, and never for a secret change", async () => {
    let fake = scriptedNext(status(503), status(200));
    let outcome = await run(makeCall({ method: "POST" }), fake);
    expect(outcome.value?.status).toBe(503);
    expect(fake.sent).toHaveLength(1);
    const retry = { ...DEFAULT_RETRY, methods: [...DEFAULT_RETRY.methods, "POST"] };
    fake = scriptedNext(status(503), status(200));
    outcome = await run(makeCall({ method: "POST", retry }), fake);
    expect(outcome.value?.status).toBe(200);
    expect(fake.sent).toHaveLength(2);
    fake = scriptedNext(status(503), status(200));
    outcome = await run(makeCall({ method: "POST", retry, operation: { secretChange: true } }), fake);
    expect(outcome.value?.status).toBe(503);
    expect(fake.sent).toHaveLength(1);
  });

  it("follows the call's own retry options (methods, statusCodes, limit 0)", async () => {
    let fake = scriptedNext(status(503), status(200));
    expect((await run(makeCall({ method: "POST", retry: { methods: ["POST"] } }), fake)).value?.status).toBe(200);
    fake = scriptedNext(status(503), status(200));
    expect((await run(makeCall({ retry: { statusCodes: [502] } }), fake)).value?.status).toBe(503);
    fake = scriptedNext(status(503), status(200));
    expect((await run(makeCall({ retry: { limit: 0 } }), fake)).value?.status).toBe(503);
  });

  it("a Retry-After on a 503 sets the wait; beyond the budget it is not retried", async () => {
    let fake = scriptedNext(status(503, { "retry-after": "2" }), status(200));
    expect((await run(makeCall(), fake)).value?.status).toBe(200);
    expect(sendTimes(fake)).toEqual([0, 2000]);

    vi.setSystemTime(START);
    fake = scriptedNext(status(503, { "retry-after": "120" }), status(200));
    const call = makeCall();
    expect((await run(call, fake)).value?.status).toBe(503);
    expect(fake.sent).toHaveLength(1);
    expect(call.record.retryAfterMs).toBeUndefined();
  });

  it("a retried response is drained (its connection can be reused); the final one is left to the caller", async () => {
    const first = new Response("gateway says no", { status: 503 });
    const last = new Response("still no", { status: 503 });
    const fake = scriptedNext(first, last);
    const outcome = await run(makeCall({ retry: { limit: 1 } }), fake);
    expect(outcome.value).toBe(last);
    expect(first.bodyUsed).toBe(true);
    expect(await last.text()).toBe("still no");
  });
});

describe("500", () => {
  const code = (errorCode: string): Answer => () => json(500, { ErrorCode: errorCode, ErrorMessage: "x" }, { "x-request-id": "r1" });

  it("with a transient ErrorCode (ITADM111E, SRAPIE0006): retried for idempotent methods", async () => {
    for (const errorCode of ["ITADM111E", "SRAPIE0006"]) {
      for (const method of IDEMPOTENT) {
        const fake = scriptedNext(code(errorCode), status(200));
        const outcome = await run(makeCall({ method }), fake);
        expect(outcome.value?.status, `${errorCode} ${method}`).toBe(200);
        expect(fake.sent).toHaveLength(2);
      }
    }
  });

  it("with a transient code under another spelling (errorCode, code): still read", async () => {
    for (const body of [{ errorCode: "ITADM111E" }, { code: "ITADM111E" }]) {
      const fake = scriptedNext(json(500, body), status(200));
      expect((await run(makeCall(), fake)).value?.status).toBe(200);
    }
  });

  it("with a non-transient ErrorCode: final at once, body kept for the caller, status and headers kept", async () => {
    const fake = scriptedNext(code("PASWS001E"), status(200));
    const call = makeCall();
    const outcome = await run(call, fake);
    const response = outcome.value!;
    expect(response.status).toBe(500);
    expect(response.headers.get("x-request-id")).toBe("r1");
    expect(response.headers.get("content-type")).toBe("application/json");
    // The retry step read the body for its ErrorCode: it stays with the call for the caller's error.
    expect(JSON.parse(new TextDecoder().decode(await bodyOf(call.record, response)))).toEqual({ ErrorCode: "PASWS001E", ErrorMessage: "x" });
    expect(fake.sent).toHaveLength(1);
    expect(beforeRetry).not.toHaveBeenCalled();
  });

  for (const [name, make] of [
    ["without an ErrorCode (JSON)", () => json(500, { Message: "An error has occurred." })],
    ["with an empty body", () => new Response("", { status: 500 })],
    ["with an HTML page", () => new Response("<!DOCTYPE html><html><body>Runtime Error</body></html>", { status: 500, headers: { "content-type": "text/html" } })],
    ["with HTML without a content type", () => new Response("<html><body>IIS 500</body></html>", { status: 500 })],
    ["with plain text", () => new Response("Request Error", { status: 500 })],
  ] as const) {
    it(`${name}: retried for idempotent methods; the last one keeps its body`, async () => {
      const fake = scriptedNext(() => make());
      const outcome = await run(makeCall({ method: "GET" }), fake);
      expect(fake.sent).toHaveLength(3);
      expect(outcome.value?.status).toBe(500);
      expect(await outcome.value!.text()).toBe(await make().text());
    });
  }

  for (const method of NOT_IDEMPOTENT) {
    it(`${method}: never retried, and the body is not even read`, async () => {
      const response = json(500, { Message: "no code" });
      const fake = scriptedNext(response, status(200));
      const outcome = await run(makeCall({ method }), fake);
      expect(outcome.value).toBe(response);
      expect(response.bodyUsed).toBe(false);
      expect(fake.sent).toHaveLength(1);
    });
  }

  it("secret change: never retried, body not read", async () => {
    const response = json(500, { Message: "no code" });
    const fake = scriptedNext(response, status(200));
    const outcome = await run(makeCall({ method: "PUT", operation: { secretChange: true } }), fake);
    expect(outcome.value).toBe(response);
    expect(response.bodyUsed).toBe(false);
  });

  it("limit used up: the last 500 is not read for nothing", async () => {
    const last = json(500, { Message: "no code" });
    const fake = scriptedNext(json(500, {}), json(500, {}), last);
    const outcome = await run(makeCall(), fake);
    expect(outcome.value).toBe(last);
    expect(last.bodyUsed).toBe(false);
  });
});

describe("401 after a fresh logon (the session step renewed and set record.afterRelogon)", () => {
  /** A 401 as the session step returns it after logging on again for it. */
  const renewed401 = (): Answer => (call) => {
    call.record.afterRelogon = true;
    return new Response('{"ErrorCode":"PASWS013E"}', { status: 401 });
  };

  for (const method of ALL_METHODS) {
    it(`${method}: replayed once at once, whatever the retry rules (also secret changes and retry: false)`, async () => {
      for (const [operation, retry] of [
        [undefined, undefined],
        [{ secretChange: true }, undefined],
        [undefined, { limit: 0, rateLimitLimit: 0 }],
      ] as const) {
        observed = [];
        vi.setSystemTime(START);
        const fake = scriptedNext(renewed401(), json(200, { ok: true }));
        const call = makeCall({ method, operation, retry });
        const outcome = await run(call, fake);
        expect(outcome.value?.status).toBe(200);
        expect(sendTimes(fake)).toEqual([0, 0]);
        expect(observed).toEqual([{ reason: "session-renewed", delayMs: 0, status: 401, at: 0, attempts: 1 }]);
        expect(call.record.attempts).toBe(2);
      }
    });
  }

  it("a second 401 goes back to the caller: one replay per call", async () => {
    const last = new Response("again", { status: 401 });
    const fake = scriptedNext(renewed401(), last, status(200));
    const outcome = await run(makeCall(), fake);
    expect(outcome.value).toBe(last);
    expect(fake.sent).toHaveLength(2);
    expect(await last.text()).toBe("again");
  });

  it("the replayed 401 is drained", async () => {
    let first: Response | undefined;
    const fake = scriptedNext((call) => {
      call.record.afterRelogon = true;
      first = new Response("unauthorized", { status: 401 });
      return first;
    }, status(200));
    await run(makeCall(), fake);
    expect(first!.bodyUsed).toBe(true);
  });

  it("a 401 the session step did not renew for (record.afterRelogon false) goes back at once", async () => {
    const response = new Response("", { status: 401 });
    const fake = scriptedNext(response, status(200));
    const call = makeCall();
    expect((await run(call, fake)).value).toBe(response);
    expect(fake.sent).toHaveLength(1);
    expect(call.record.attempts).toBe(1);
  });

  it("the replay counts as an attempt, not as a retry (5xx and 429 retries keep their own limits)", async () => {
    const fake = scriptedNext(() => status(503), () => status(503), renewed401(), () => status(429), json(200, {}));
    const call = makeCall({ retry: { limit: 2, rateLimitLimit: 1 } });
    const outcome = await run(call, fake);
    expect(outcome.value?.status).toBe(200);
    expect(observed.map((o) => [o.reason, o.status, o.attempts])).toEqual([
      ["server-error", 503, 1],
      ["server-error", 503, 2],
      ["session-renewed", 401, 3],
      ["rate-limited", 429, 4],
    ]);
    expect(call.record.attempts).toBe(5);
  });
});

describe("record.attempts", () => {
  it("counts every request sent, before it is sent (1 for the first)", async () => {
    const fake = scriptedNext(networkError(), () => status(503), () => status(429), json(200, {}));
    const call = makeCall();
    await run(call, fake);
    expect(fake.sent.map((s) => s.attempts)).toEqual([1, 2, 3, 4]);
    expect(call.record.attempts).toBe(4);
  });

  it("is 1 for a call answered at once, also when it fails", async () => {
    let call = makeCall();
    await run(call, scriptedNext(status(200)));
    expect(call.record.attempts).toBe(1);
    call = makeCall();
    await run(call, scriptedNext(new TypeError("boom")));
    expect(call.record.attempts).toBe(1);
  });
});

describe("Retry-After values that are neither seconds nor an HTTP date", () => {
  // Date.parse alone reads "-1", "-5" or "3,5" as dates in 2001 ("no wait").
  for (const value of ["-1", "-5", "3,5", "12 Dec", "2026-12-07"]) {
    it(`"${value}" is ignored: backoff, not an immediate retry`, async () => {
      const fake = scriptedNext(() => status(429, { "retry-after": value }), status(200));
      await run(makeCall(), fake);
      expect(sendTimes(fake)).toEqual([0, 250]);
    });
  }
});

describe("thrown errors", () => {
  for (const method of IDEMPOTENT) {
    it(`${method}: a retriable NetworkError is retried with backoff`, async () => {
      const fake = scriptedNext(networkError(), networkError(), json(200, {}));
      const outcome = await run(makeCall({ method }), fake);
      expect(outcome.value?.status).toBe(200);
      expect(sendTimes(fake)).toEqual([0, 250, 750]);
      expect(observed).toEqual([
        { reason: "network-error", delayMs: 250, status: undefined, at: 0, attempts: 1 },
        { reason: "network-error", delayMs: 500, status: undefined, at: 250, attempts: 2 },
      ]);
    });
  }

  it("the NetworkError of the last attempt is thrown when the limit is used up", async () => {
    const errors = [networkError(), networkError(), networkError()];
    const fake = scriptedNext(...errors);
    const outcome = await run(makeCall(), fake);
    expect(outcome.error).toBe(errors[2]);
    expect(fake.sent).toHaveLength(3);
  });

  for (const method of NOT_IDEMPOTENT) {
    it(`${method}: a NetworkError is final`, async () => {
      const error = networkError();
      const fake = scriptedNext(error, status(200));
      expect((await run(makeCall({ method }), fake)).error).toBe(error);
      expect(fake.sent).toHaveLength(1);
    });
  }

  it("a NetworkError with retriable false (a redirect loop) is final", async () => {
    const error = networkError(false);
    const fake = scriptedNext(error, status(200));
    expect((await run(makeCall(), fake)).error).toBe(error);
    expect(fake.sent).toHaveLength(1);
  });

  it("retryOnNetworkError false: final", async () => {
    const error = networkError();
    const fake = scriptedNext(error, status(200));
    expect((await run(makeCall({ retry: { retryOnNetworkError: false } }), fake)).error).toBe(error);
    expect(fake.sent).toHaveLength(1);
  });

  it("a secret change: a NetworkError is final (the change may have been made)", async () => {
    const error = networkError();
    const fake = scriptedNext(error, status(200));
    expect((await run(makeCall({ method: "PUT", operation: { secretChange: true } }), fake)).error).toBe(error);
    expect(fake.sent).toHaveLength(1);
  });

  it("a NetworkError after the call's signal aborted is final", async () => {
    const controller = new AbortController();
    const error = networkError();
    const fake = scriptedNext(() => {
      controller.abort(new TimeoutError(1000, "GET /Accounts"));
      throw error;
    }, status(200));
    expect((await run(makeCall({ signal: controller.signal }), fake)).error).toBe(error);
    expect(fake.sent).toHaveLength(1);
  });

  const finals: Array<[string, () => Error]> = [
    ["TimeoutError", () => new TimeoutError(1000, "GET /Accounts")],
    ["RequestAbortedError", () => new RequestAbortedError("GET /Accounts")],
    ["TransportClosedError", () => new TransportClosedError()],
    ["UnsafeRedirectError", () => new UnsafeRedirectError({ status: 302, fromOrigin: "https://pvwa.example", toOrigin: "https://evil.example" })],
    ["InvalidResponseError", () => new InvalidResponseError("bad", { status: 200, method: "GET", urlPath: "/x" })],
    ["ResponseTooLargeError", () => new ResponseTooLargeError({ limitBytes: 10, receivedBytes: 20, declared: true })],
    ["TypeError", () => new TypeError("fetch failed")],
    ["a plain Error", () => new Error("boom")],
  ];
  for (const [name, make] of finals) {
    it(`${name} is final for GET (only a request that got no answer is sent again)`, async () => {
      const error = make();
      const fake = scriptedNext(error, status(200));
      expect((await run(makeCall({ method: "GET" }), fake)).error).toBe(error);
      expect(fake.sent).toHaveLength(1);
      expect(beforeRetry).not.toHaveBeenCalled();
    });
  }
});

describe("the wait", () => {
  it("the observer is told before the wait, with the call, reason, delay and status", async () => {
    const fake = scriptedNext(status(503), status(200));
    const call = makeCall();
    await run(call, fake);
    expect(beforeRetry).toHaveBeenCalledTimes(1);
    expect(beforeRetry).toHaveBeenCalledWith(call, "server-error", 250, 503);
    expect(observed[0]!.at).toBe(0);
  });

  it("the observer is awaited: the wait starts after it is done", async () => {
    let release!: () => void;
    const observer: RetryObserver = () => new Promise<void>((resolve) => (release = resolve));
    const fake = scriptedNext(status(429, { "retry-after": "1" }), status(200));
    const pending = retryStep({ beforeRetry: observer, quota: new RetryQuota(0) })(fake.send)(makeCall());
    await vi.advanceTimersByTimeAsync(5000);
    expect(fake.sent).toHaveLength(1);
    release();
    await vi.advanceTimersByTimeAsync(999);
    expect(fake.sent).toHaveLength(1);
    await vi.advanceTimersByTimeAsync(1);
    expect(fake.sent).toHaveLength(2);
    expect((await pending).status).toBe(200);
  });

  it("an observer that throws ends the call with its error, nothing is sent again", async () => {
    const error = new Error("hook failed");
    const fake = scriptedNext(status(503), status(200));
    const outcome = await run(makeCall(), fake, async () => {
      throw error;
    });
    expect(outcome.error).toBe(error);
    expect(fake.sent).toHaveLength(1);
  });

  for (const [name, first] of [
    ["429", () => status(429, { "retry-after": "10" })],
    ["503", () => status(503, { "retry-after": "10" })],
    ["network error", () => networkError()],
  ] as const) {
    it(`${name}: an abort during the wait rejects at once with the signal's reason, and nothing more is sent`, async () => {
      const controller = new AbortController();
      const fake = scriptedNext(first(), status(200));
      const pending = retryStep({ beforeRetry, quota: new RetryQuota(0) })(fake.send)(makeCall({ signal: controller.signal })).then(
        (value): Outcome => ({ value }),
        (error: unknown): Outcome => ({ error }),
      );
      await vi.advanceTimersByTimeAsync(100);
      expect(fake.sent).toHaveLength(1);
      const reason = new TimeoutError(100, "GET /Accounts");
      controller.abort(reason);
      expect((await pending).error).toBe(reason);
      // The wait's timer is gone; time passing sends nothing.
      expect(vi.getTimerCount()).toBe(0);
      await vi.advanceTimersByTimeAsync(60_000);
      expect(fake.sent).toHaveLength(1);
    });
  }

  it("a retriable answer that arrives after the abort is not waited on", async () => {
    const controller = new AbortController();
    const reason = new RequestAbortedError("GET /Accounts");
    const fake = scriptedNext(() => {
      controller.abort(reason);
      return status(503);
    }, status(200));
    expect((await run(makeCall({ signal: controller.signal }), fake)).error).toBe(reason);
    expect(fake.sent).toHaveLength(1);
  });

  it("every attempt sends the same call (same request, same signal)", async () => {
    const fake = scriptedNext(status(503), networkError(), status(200));
    const call = makeCall();
    await run(call, fake);
    expect(fake.sent.map((s) => s.call)).toEqual([call, call, call]);
    expect(fake.sent.every((s) => s.call === call)).toBe(true);
  });
});
