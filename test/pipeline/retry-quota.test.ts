// RetryQuota (retry-quota.ts) alone, then through the retry step: an outage spends it, successes
// refill it, 429s never touch it. Fake timers for every backoff; Math.random pinned to 0.5.
import { afterEach, beforeEach, describe, expect, it, vi } from "vitest";
import { NetworkError } from "../../src/errors/network.js";
import type { Call } from "../../src/pipeline/call.js";
import type { RetryObserver } from "../../src/pipeline/observation-step.js";
import { RETRY_COST, RetryQuota } from "../../src/pipeline/retry-quota.js";
import { retryStep } from "../../src/pipeline/retry-step.js";
import { json, makeCall, scriptedNext, status, type CallInit } from "./make-call.js";

describe("RetryQuota: the arithmetic", () => {
  it("starts full; a retry costs 5 tokens", () => {
    const quota = new RetryQuota(500);
    expect(RETRY_COST).toBe(5);
    expect(quota.tokens).toBe(500);
    expect(quota.take()).toBe(true);
    expect(quota.tokens).toBe(495);
  });

  it("500 tokens pay for exactly 100 retries; then take() refuses and takes nothing", () => {
    const quota = new RetryQuota(500);
    let granted = 0;
    for (let i = 0; i < 1_000; i++) if (quota.take()) granted++;
    expect(granted).toBe(100);
    expect(quota.tokens).toBe(0);
    for (let i = 0; i < 10; i++) expect(quota.take()).toBe(false);
    expect(quota.tokens).toBe(0);
  });

  it("refuses when fewer tokens than one retry's cost are left, and keeps them", () => {
    const quota = new RetryQuota(12);
    expect(quota.take()).toBe(true);
    expect(quota.take()).toBe(true);
    expect(quota.tokens).toBe(2);
    expect(quota.take()).toBe(false);
    expect(quota.tokens).toBe(2);
  });

  it("a first-attempt success earns 1 token; a success after n retries gives their 5n back; never above the capacity", () => {
    const quota = new RetryQuota(50);
    quota.succeeded(0);
    expect(quota.tokens).toBe(50);
    for (let i = 0; i < 4; i++) quota.take();
    expect(quota.tokens).toBe(30);
    quota.succeeded(0);
    expect(quota.tokens).toBe(31);
    quota.succeeded(2);
    expect(quota.tokens).toBe(41);
    quota.succeeded(3);
    expect(quota.tokens).toBe(50);
  });

  it("capacity 0 means no quota: every retry is allowed and nothing is counted", () => {
    const quota = new RetryQuota(0);
    for (let i = 0; i < 10_000; i++) expect(quota.take()).toBe(true);
    quota.succeeded(0);
    quota.succeeded(7);
    expect(quota.tokens).toBe(0);
    expect(quota.take()).toBe(true);
  });
});

// ---------------------------------------------------------------------------------------------

const START = new Date("2025-03-01T12:00:00.000Z");
let beforeRetry: RetryObserver;

beforeEach(() => {
  vi.useFakeTimers({ now: START });
  vi.spyOn(Math, "random").mockReturnValue(0.5);
  beforeRetry = vi.fn(async (_call: Call) => {});
});

afterEach(() => {
  vi.useRealTimers();
  vi.restoreAllMocks();
});

const networkError = (): NetworkError =>
  new NetworkError("GET /PasswordVault/API/Accounts got no response from pvwa.example: ECONNRESET", {
    method: "GET",
    urlPath: "/PasswordVault/API/Accounts",
    retriable: true,
  });

/** A `next` that answers every request with `answer` afresh and counts them. */
function server(answer: () => Response | Error) {
  let requests = 0;
  const send = async (_call: Call): Promise<Response> => {
    requests++;
    const value = answer();
    if (value instanceof Error) throw value;
    return value;
  };
  return { send, requests: () => requests };
}

/** Settles `promise` after running every timer. */
async function settle<T>(promise: Promise<T>): Promise<{ value?: T; error?: unknown }> {
  const outcome = promise.then(
    (value) => ({ value }),
    (error: unknown) => ({ error }),
  );
  await vi.runAllTimersAsync();
  return outcome;
}

/** `count` calls one after the other through `send`; the outcomes. */
async function inTurn(send: (call: Call) => Promise<Response>, count: number, init: CallInit = {}) {
  const outcomes: Array<{ value?: Response; error?: unknown }> = [];
  for (let i = 0; i < count; i++) outcomes.push(await settle(send(makeCall(init))));
  return outcomes;
}

describe("RetryQuota through the retry step: an outage", () => {
  it("503 for every call, one after the other: 100 retries in all with 500 tokens, then each call fails after its first attempt", async () => {
    const quota = new RetryQuota(500);
    const outage = server(() => status(503));
    const send = retryStep({ beforeRetry, quota })(outage.send);
    const outcomes = await inTurn(send, 300);
    // 2 retries per call (the default limit) for the first 50 calls, none after.
    expect(outage.requests()).toBe(300 + 100);
    expect(beforeRetry).toHaveBeenCalledTimes(100);
    expect(outcomes.every((o) => o.value?.status === 503)).toBe(true);
    expect(quota.tokens).toBe(0);
    // The refused call's answer goes back whole.
    expect(outcomes[299]!.value!.bodyUsed).toBe(false);
  });

  it("503 for 300 calls at once: still 100 retries in all", async () => {
    const quota = new RetryQuota(500);
    const outage = server(() => status(503));
    const send = retryStep({ beforeRetry, quota })(outage.send);
    const all = Promise.all(Array.from({ length: 300 }, () => send(makeCall())));
    await vi.runAllTimersAsync();
    const responses = await all;
    expect(responses.every((r) => r.status === 503)).toBe(true);
    expect(outage.requests()).toBe(400);
  });

  it("without a quota (capacity 0) every call retries up to its limit", async () => {
    const outage = server(() => status(503));
    const send = retryStep({ beforeRetry, quota: new RetryQuota(0) })(outage.send);
    await inTurn(send, 300);
    expect(outage.requests()).toBe(900);
  });

  it("network errors spend it too", async () => {
    const quota = new RetryQuota(50);
    const outage = server(() => networkError());
    const send = retryStep({ beforeRetry, quota })(outage.send);
    const outcomes = await inTurn(send, 40);
    expect(outcomes.every((o) => o.error instanceof NetworkError)).toBe(true);
    expect(outage.requests()).toBe(40 + 10);
  });

  it("500s without an ErrorCode spend it; 500s with a logical ErrorCode are not retried and spend nothing", async () => {
    const quota = new RetryQuota(10);
    const logical = server(() => json(500, { ErrorCode: "PASWS006E", ErrorMessage: "no such thing" }));
    await inTurn(retryStep({ beforeRetry, quota })(logical.send), 5);
    expect(logical.requests()).toBe(5);
    expect(quota.tokens).toBe(10);
    const transient = server(() => json(500, {}));
    await inTurn(retryStep({ beforeRetry, quota })(transient.send), 5);
    expect(transient.requests()).toBe(5 + 2);
    expect(quota.tokens).toBe(0);
  });

  it("a call whose method is not retried spends nothing", async () => {
    const quota = new RetryQuota(10);
    const outage = server(() => status(503));
    await inTurn(retryStep({ beforeRetry, quota })(outage.send), 5, { method: "POST" });
    expect(outage.requests()).toBe(5);
    expect(quota.tokens).toBe(10);
  });
});

describe("RetryQuota through the retry step: recovery", () => {
  it("first-attempt successes earn retries back, one token each", async () => {
    const quota = new RetryQuota(10);
    let answers: Response[] = [];
    const next = server(() => answers.shift() ?? status(503));
    const send = retryStep({ beforeRetry, quota })(next.send);
    await inTurn(send, 1); // 503, 503, 503: two retries, quota spent
    expect(next.requests()).toBe(3);
    expect(quota.tokens).toBe(0);
    await inTurn(send, 1); // no retry left
    expect(next.requests()).toBe(4);
    answers = Array.from({ length: 5 }, () => status(200));
    await inTurn(send, 5);
    expect(quota.tokens).toBe(5);
    const before = next.requests();
    await inTurn(send, 1); // 503: one retry (5 tokens), then none
    expect(next.requests() - before).toBe(2);
    expect(quota.tokens).toBe(0);
  });

  it("a call that succeeds after retries gives back what they cost", async () => {
    const quota = new RetryQuota(10);
    const fake = scriptedNext(status(503), status(503), status(200));
    const outcome = await settle(retryStep({ beforeRetry, quota })(fake.send)(makeCall()));
    expect(outcome.value?.status).toBe(200);
    expect(fake.sent).toHaveLength(3);
    expect(quota.tokens).toBe(10);
    // The whole quota is there again for the next outage.
    const outage = server(() => status(503));
    await inTurn(retryStep({ beforeRetry, quota })(outage.send), 3);
    expect(outage.requests()).toBe(3 + 2);
  });

  it("a call that ends in an error after retries gives nothing back", async () => {
    const quota = new RetryQuota(20);
    const fake = scriptedNext(status(503), status(503), status(404));
    const outcome = await settle(retryStep({ beforeRetry, quota })(fake.send)(makeCall()));
    expect(outcome.value?.status).toBe(404);
    expect(quota.tokens).toBe(10);
  });
});

describe("RetryQuota through the retry step: 429s are not charged", () => {
  it("429s are retried with the quota spent, and take nothing from it", async () => {
    const quota = new RetryQuota(5);
    const outage = server(() => status(503));
    await inTurn(retryStep({ beforeRetry, quota })(outage.send), 1);
    expect(quota.tokens).toBe(0);
    const fake = scriptedNext(status(429, { "retry-after": "1" }), status(429, { "retry-after": "1" }), status(429), status(200));
    const outcome = await settle(retryStep({ beforeRetry, quota })(fake.send)(makeCall()));
    expect(outcome.value?.status).toBe(200);
    expect(fake.sent).toHaveLength(4);
    // A first-attempt-like success (no charged retry): one token.
    expect(quota.tokens).toBe(1);
  });

  it("a full quota stays full through many 429 retries", async () => {
    const quota = new RetryQuota(10);
    let n = 0;
    const limited = server(() => (++n % 4 === 0 ? status(200) : status(429, { "retry-after": "1" })));
    const send = retryStep({ beforeRetry, quota })(limited.send);
    const outcomes = await inTurn(send, 20);
    expect(outcomes.every((o) => o.value?.status === 200)).toBe(true);
    expect(limited.requests()).toBe(80);
    expect(quota.tokens).toBe(10);
    // And both 5xx retries it pays for are still there.
    const outage = server(() => status(503));
    await inTurn(retryStep({ beforeRetry, quota })(outage.send), 1);
    expect(outage.requests()).toBe(3);
  });

  it("a call with a 429 and a 503 pays for the 503 only", async () => {
    const quota = new RetryQuota(5);
    const fake = scriptedNext(status(429, { "retry-after": "1" }), status(503), status(200));
    const outcome = await settle(retryStep({ beforeRetry, quota })(fake.send)(makeCall()));
    expect(outcome.value?.status).toBe(200);
    expect(fake.sent).toHaveLength(3);
    // The 503's retry came back with the success.
    expect(quota.tokens).toBe(5);
  });
});
