// The retry rules as data, without a server.
import { describe, expect, it } from "vitest";
import { backoffDelay, DEFAULT_RETRY, mergeRetry, NO_RETRY, parseRetryAfter, planRetry, type RetryState } from "../../src/core/retry-policy.js";

const state = (over: Partial<RetryState> = {}): RetryState => ({
  method: "GET",
  secretChange: false,
  startedAt: 1_000_000,
  rateLimitRetries: 0,
  otherRetries: 0,
  ...over,
});
const status = (s: number, retryAfter: string | null = null, errorCode?: string) => ({ type: "status" as const, status: s, retryAfter, errorCode });
const NOW = 1_000_000;

describe("parseRetryAfter", () => {
  it("reads seconds and HTTP dates", () => {
    expect(parseRetryAfter("3", NOW)).toBe(3000);
    expect(parseRetryAfter("0.5", NOW)).toBe(500);
    expect(parseRetryAfter(new Date(NOW + 7000).toUTCString(), NOW)).toBe(7000);
    expect(parseRetryAfter(new Date(NOW - 7000).toUTCString(), NOW)).toBe(0);
    expect(parseRetryAfter(null, NOW)).toBeUndefined();
    expect(parseRetryAfter("soon", NOW)).toBeUndefined();
  });
});

describe("backoff", () => {
  it("is full jitter under a capped exponential", () => {
    const policy = { ...DEFAULT_RETRY, baseDelayMs: 100, maxDelayMs: 1000 };
    expect(backoffDelay(policy, 0, () => 0.999)).toBe(99);
    expect(backoffDelay(policy, 3, () => 0.999)).toBe(799);
    expect(backoffDelay(policy, 10, () => 0.999)).toBe(999);
    expect(backoffDelay(policy, 10, () => 0)).toBe(0);
  });
});

describe("planRetry", () => {
  it("429: any method, Retry-After first, within limit and budget", () => {
    expect(planRetry(DEFAULT_RETRY, state({ method: "POST" }), status(429, "2"), NOW)).toEqual({ retry: true, reason: "rate-limited", delayMs: 2000 });
    expect(planRetry(DEFAULT_RETRY, state({ secretChange: true }), status(429, "1"), NOW)).toMatchObject({ retry: true });
    expect(planRetry(DEFAULT_RETRY, state({ rateLimitRetries: 5 }), status(429, "1"), NOW)).toEqual({ retry: false, retryAfterMs: 1000 });
    expect(planRetry(DEFAULT_RETRY, state(), status(429, "61"), NOW)).toEqual({ retry: false, retryAfterMs: 61_000 });
    expect(planRetry(DEFAULT_RETRY, state({ startedAt: NOW - 59_500 }), status(429, "1"), NOW)).toMatchObject({ retry: false });
  });

  it("5xx: the methods listed (idempotent ones by default, POST when a caller adds it), never secret changes", () => {
    for (const method of ["GET", "HEAD", "PUT", "DELETE"]) {
      expect(planRetry(DEFAULT_RETRY, state({ method }), status(503), NOW)).toMatchObject({ retry: true, reason: "server-error" });
    }
    expect(planRetry(DEFAULT_RETRY, state({ method: "POST" }), status(503), NOW)).toEqual({ retry: false });
    expect(planRetry(DEFAULT_RETRY, state({ method: "PATCH" }), status(502), NOW)).toEqual({ retry: false });
    expect(planRetry(DEFAULT_RETRY, state({ secretChange: true, method: "PUT" }), status(504), NOW)).toEqual({ retry: false });
    const withPost = { ...DEFAULT_RETRY, methods: [...DEFAULT_RETRY.methods, "POST"] };
    expect(planRetry(withPost, state({ method: "POST" }), status(503), NOW)).toMatchObject({ retry: true, reason: "server-error" });
    expect(planRetry(withPost, state({ method: "POST", secretChange: true }), status(503), NOW)).toEqual({ retry: false });
    expect(planRetry(DEFAULT_RETRY, state({ otherRetries: 2 }), status(503), NOW)).toEqual({ retry: false });
    expect(planRetry(DEFAULT_RETRY, state(), status(501), NOW)).toEqual({ retry: false });
    expect(planRetry(DEFAULT_RETRY, state(), status(400), NOW)).toEqual({ retry: false });
  });

  it("500: only without ErrorCode or with a transient one", () => {
    expect(planRetry(DEFAULT_RETRY, state(), status(500), NOW)).toMatchObject({ retry: true });
    expect(planRetry(DEFAULT_RETRY, state(), status(500, null, "ITADM111E"), NOW)).toMatchObject({ retry: true });
    expect(planRetry(DEFAULT_RETRY, state(), status(500, null, "SRAPIE0006"), NOW)).toMatchObject({ retry: true });
    expect(planRetry(DEFAULT_RETRY, state(), status(500, null, "CAWS00001E"), NOW)).toEqual({ retry: false });
    expect(planRetry(DEFAULT_RETRY, state({ method: "POST" }), status(500), NOW)).toEqual({ retry: false });
  });

  it("network errors follow the idempotency rule and the switch", () => {
    expect(planRetry(DEFAULT_RETRY, state(), { type: "network-error" }, NOW)).toMatchObject({ retry: true, reason: "network-error" });
    expect(planRetry(DEFAULT_RETRY, state({ method: "POST" }), { type: "network-error" }, NOW)).toEqual({ retry: false });
    expect(planRetry({ ...DEFAULT_RETRY, retryOnNetworkError: false }, state(), { type: "network-error" }, NOW)).toEqual({ retry: false });
  });

  it("merges overrides and turns off with false", () => {
    expect(mergeRetry(DEFAULT_RETRY, false)).toBe(NO_RETRY);
    expect(mergeRetry(DEFAULT_RETRY, undefined)).toBe(DEFAULT_RETRY);
    expect(mergeRetry(DEFAULT_RETRY, { limit: 7 }).limit).toBe(7);
    expect(planRetry(NO_RETRY, state(), status(429, "1"), NOW)).toMatchObject({ retry: false });
    expect(planRetry(NO_RETRY, state(), status(503), NOW)).toEqual({ retry: false });
  });
});
