// Retry rules as data. The pipeline asks `planRetry` after each attempt; the answer is either
// "give up" (undefined) or a reason and a delay. Rules:
// - 429: any method (the server did not process the request); wait Retry-After (seconds or HTTP
//   date), else capped exponential backoff with full jitter; within the time budget.
// - 502/503/504 and network errors: only the methods in `methods` (the idempotent ones by default; a
//   caller may add POST), never secret-changing operations: the method list and that one veto decide.
// - 500: like 502..504, and only when the body has no ErrorCode or a known transient one
//   (CyberArk returns many logical errors as 500 with an ErrorCode; repeating those is pointless).
import { checkMilliseconds } from "./time-limit.js";

export interface RetryOptions {
  /** Retries (after the first attempt) for 5xx and network errors. */
  limit: number;
  /** Retries (after the first attempt) for 429 responses. */
  rateLimitLimit: number;
  /** Methods retried after 5xx and network errors (default: the idempotent ones; add "POST" to opt in). */
  methods: readonly string[];
  /** Statuses retried for idempotent requests (500 is handled by `transientErrorCodes`). */
  statusCodes: readonly number[];
  /** ErrorCodes in a 500 body that still mean "try again". */
  transientErrorCodes: readonly string[];
  retryOnNetworkError: boolean;
  /** Backoff: full jitter over min(maxDelayMs, baseDelayMs * 2^retry). */
  baseDelayMs: number;
  maxDelayMs: number;
  /** No retry may end later than this after the first attempt started; a 429 then becomes a RateLimitError. */
  budgetMs: number;
}

export type RetryOverrides = Partial<RetryOptions>;

export const DEFAULT_RETRY: Readonly<RetryOptions> = Object.freeze({
  limit: 2,
  rateLimitLimit: 5,
  methods: Object.freeze(["GET", "HEAD", "PUT", "DELETE"]),
  statusCodes: Object.freeze([502, 503, 504]),
  transientErrorCodes: Object.freeze(["ITADM111E", "SRAPIE0006"]),
  retryOnNetworkError: true,
  baseDelayMs: 500,
  maxDelayMs: 10_000,
  budgetMs: 60_000,
});

/** Retry switched off (per client or per request: `retry: false`). */
export const NO_RETRY: Readonly<RetryOptions> = Object.freeze({ ...DEFAULT_RETRY, limit: 0, rateLimitLimit: 0 });

export function mergeRetry(base: Readonly<RetryOptions>, overrides: RetryOverrides | false | undefined): Readonly<RetryOptions> {
  if (overrides === false) return NO_RETRY;
  if (!overrides) return base;
  const merged = { ...base, ...overrides };
  for (const key of ["baseDelayMs", "maxDelayMs", "budgetMs"] as const) checkMilliseconds(`retry.${key}`, merged[key], "none");
  return merged;
}

export type RetryReason = "rate-limited" | "server-error" | "network-error";

export interface RetryState {
  method: string;
  /** The operation changes a credential: never resent after an ambiguous failure. */
  secretChange: boolean;
  startedAt: number;
  rateLimitRetries: number;
  otherRetries: number;
}

export type Outcome =
  | { type: "status"; status: number; retryAfter: string | null; errorCode: string | undefined }
  | { type: "network-error" };

export type RetryPlan =
  | { retry: true; reason: RetryReason; delayMs: number }
  | { retry: false; /** set when a 429 was not retried because of the budget or limit */ retryAfterMs?: number };

export function isRetriableMethod(policy: Readonly<RetryOptions>, state: RetryState): boolean {
  return !state.secretChange && policy.methods.includes(state.method);
}

/** Whether a 500's body must be read to decide (so the pipeline skips that work otherwise). */
export function mayRetryServerError(policy: Readonly<RetryOptions>, state: RetryState): boolean {
  return policy.limit > state.otherRetries && isRetriableMethod(policy, state);
}

/** Milliseconds from a Retry-After value (delta-seconds or HTTP date); undefined when absent or unreadable. */
export function parseRetryAfter(value: string | null, now = Date.now()): number | undefined {
  if (value === null) return undefined;
  const text = value.trim();
  if (/^\d+(\.\d+)?$/.test(text)) return Math.round(Number(text) * 1000);
  // An HTTP-date (all three RFC 9110 forms) starts with the day's name; Date.parse alone would read
  // "-1" or "3,5" as dates in 2001 and turn them into "retry at once".
  if (!/^(mon|tue|wed|thu|fri|sat|sun)/i.test(text)) return undefined;
  const at = Date.parse(text);
  return Number.isNaN(at) ? undefined : Math.max(0, at - now);
}

export function backoffDelay(policy: Readonly<RetryOptions>, retryIndex: number, random = Math.random): number {
  const cap = Math.min(policy.maxDelayMs, policy.baseDelayMs * 2 ** retryIndex);
  return Math.floor(random() * cap);
}

export function planRetry(policy: Readonly<RetryOptions>, state: RetryState, outcome: Outcome, now = Date.now()): RetryPlan {
  const remaining = state.startedAt + policy.budgetMs - now;
  if (outcome.type === "status" && outcome.status === 429) {
    const asked = parseRetryAfter(outcome.retryAfter, now);
    const delayMs = asked ?? backoffDelay(policy, state.rateLimitRetries);
    if (state.rateLimitRetries >= policy.rateLimitLimit || delayMs > remaining) {
      return asked === undefined ? { retry: false } : { retry: false, retryAfterMs: asked };
    }
    return { retry: true, reason: "rate-limited", delayMs };
  }
  if (state.otherRetries >= policy.limit || !isRetriableMethod(policy, state)) return { retry: false };
  let reason: RetryReason;
  if (outcome.type === "network-error") {
    if (!policy.retryOnNetworkError) return { retry: false };
    reason = "network-error";
  } else if (outcome.status === 500) {
    if (outcome.errorCode !== undefined && !policy.transientErrorCodes.includes(outcome.errorCode)) return { retry: false };
    reason = "server-error";
  } else if (policy.statusCodes.includes(outcome.status)) {
    reason = "server-error";
  } else {
    return { retry: false };
  }
  const delayMs = outcome.type === "status" ? (parseRetryAfter(outcome.retryAfter, now) ?? backoffDelay(policy, state.otherRetries)) : backoffDelay(policy, state.otherRetries);
  if (delayMs > remaining) return { retry: false };
  return { retry: true, reason, delayMs };
}
