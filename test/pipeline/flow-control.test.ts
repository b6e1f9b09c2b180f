// flowControlOf (flow-control.ts): the defaults, merging, the checks; a client refuses bad options
// before any request; and createPipeline builds what the options say (the concurrency limit, the
// adaptive rate around each attempt, the retry quota shared by the calls of one pipeline).
import { afterEach, beforeEach, describe, expect, it, vi } from "vitest";
import { staticToken } from "../../src/auth/token-auth.js";
import { createCyberArkClient } from "../../src/client.js";
import { SessionManager } from "../../src/core/session.js";
import { ConfigurationError } from "../../src/errors/configuration.js";
import type { Logger } from "../../src/logging/logger.js";
import { SecretRegistry } from "../../src/logging/secret-registry.js";
import type { ExchangeSend } from "../../src/pipeline/exchange.js";
import { DEFAULT_FLOW_CONTROL, flowControlOf, type FlowControlOptions } from "../../src/pipeline/flow-control.js";
import { createPipeline } from "../../src/pipeline/pipeline.js";
import { deferred, flush, makeCall, ORIGIN, status, track, type Deferred } from "./make-call.js";

describe("flowControlOf: defaults and overrides", () => {
  it("the defaults: ten at once, adaptive rate on, 500 retry tokens; frozen", () => {
    expect(DEFAULT_FLOW_CONTROL).toEqual({ maxConcurrentRequests: 10, adaptiveRate: true, retryQuota: 500 });
    expect(Object.isFrozen(DEFAULT_FLOW_CONTROL)).toBe(true);
  });

  it("no options, or empty ones, give the defaults", () => {
    expect(flowControlOf(undefined)).toEqual(DEFAULT_FLOW_CONTROL);
    expect(flowControlOf({})).toEqual(DEFAULT_FLOW_CONTROL);
  });

  it("each override replaces its option alone", () => {
    expect(flowControlOf({ maxConcurrentRequests: 3 })).toEqual({ ...DEFAULT_FLOW_CONTROL, maxConcurrentRequests: 3 });
    expect(flowControlOf({ adaptiveRate: false })).toEqual({ ...DEFAULT_FLOW_CONTROL, adaptiveRate: false });
    expect(flowControlOf({ retryQuota: 0 })).toEqual({ ...DEFAULT_FLOW_CONTROL, retryQuota: 0 });
    expect(flowControlOf({ maxConcurrentRequests: 1, adaptiveRate: false, retryQuota: 7 })).toEqual({
      maxConcurrentRequests: 1,
      adaptiveRate: false,
      retryQuota: 7,
    });
  });

  it("accepts the edges: one request at once, a quota of 0 (none) or of any whole number", () => {
    for (const maxConcurrentRequests of [1, 2, 64, 10_000]) expect(flowControlOf({ maxConcurrentRequests }).maxConcurrentRequests).toBe(maxConcurrentRequests);
    for (const retryQuota of [0, 1, 4, 5, 1_000_000]) expect(flowControlOf({ retryQuota }).retryQuota).toBe(retryQuota);
  });

  it("neither changes the defaults nor the caller's object", () => {
    const overrides = { retryQuota: 5 };
    const result = flowControlOf(overrides);
    expect(result).not.toBe(overrides);
    expect(overrides).toEqual({ retryQuota: 5 });
    expect(DEFAULT_FLOW_CONTROL.retryQuota).toBe(500);
  });
});

describe("flowControlOf: invalid values are a ConfigurationError naming the option", () => {
  const bad: Array<[keyof FlowControlOptions, unknown]> = [
    ["maxConcurrentRequests", 0],
    ["maxConcurrentRequests", 1.5],
    ["maxConcurrentRequests", -1],
    ["maxConcurrentRequests", Number.NaN],
    ["maxConcurrentRequests", Number.POSITIVE_INFINITY],
    ["maxConcurrentRequests", "10"],
    ["maxConcurrentRequests", null],
    ["adaptiveRate", "true"],
    ["adaptiveRate", "false"],
    ["adaptiveRate", 1],
    ["adaptiveRate", 0],
    ["adaptiveRate", null],
    ["retryQuota", -1],
    ["retryQuota", -5],
    ["retryQuota", 1.5],
    ["retryQuota", Number.NaN],
    ["retryQuota", Number.POSITIVE_INFINITY],
    ["retryQuota", "10"],
    ["retryQuota", null],
  ];
  for (const [option, value] of bad) {
    const shown = typeof value === "string" ? JSON.stringify(value) : String(value);
    it(`${option}: ${shown}`, () => {
      let thrown: unknown;
      try {
        flowControlOf({ [option]: value } as Partial<FlowControlOptions>);
      } catch (error) {
        thrown = error;
      }
      expect(thrown).toBeInstanceOf(ConfigurationError);
      expect((thrown as ConfigurationError).kind).toBe("INVALID_CONFIGURATION");
      expect((thrown as Error).message).toContain(`flowControl.${option}`);
    });
  }

  it("a bad value is reported even when the other options are fine", () => {
    expect(() => flowControlOf({ maxConcurrentRequests: 4, adaptiveRate: true, retryQuota: -1 })).toThrow(/flowControl\.retryQuota/);
    expect(() => flowControlOf({ maxConcurrentRequests: 0, adaptiveRate: true, retryQuota: 10 })).toThrow(/flowControl\.maxConcurrentRequests/);
  });
});

describe("createCyberArkClient with flowControl", () => {
  const base = {
    deployment: { type: "self-hosted" as const, url: "https://127.0.0.1:1" },
    auth: staticToken({ token: "test-token" }),
  };

  it("a bad flowControl throws ConfigurationError at creation, naming the option", () => {
    const cases: Array<[Partial<FlowControlOptions>, string]> = [
      [{ maxConcurrentRequests: 0 }, "maxConcurrentRequests"],
      [{ adaptiveRate: "yes" as unknown as boolean }, "adaptiveRate"],
      [{ retryQuota: -1 }, "retryQuota"],
      [{ retryQuota: Number.NaN }, "retryQuota"],
    ];
    for (const [flowControl, option] of cases) {
      expect(() => createCyberArkClient({ ...base, flowControl })).toThrow(ConfigurationError);
      expect(() => createCyberArkClient({ ...base, flowControl })).toThrow(`flowControl.${option}`);
    }
  });

  it("a good flowControl gives a client (nothing is sent until a call)", async () => {
    const client = createCyberArkClient({ ...base, flowControl: { maxConcurrentRequests: 2, adaptiveRate: false, retryQuota: 0 } });
    expect(client.sessionInfo().loggedOn).toBe(false);
    await client.close();
  });
});

// ---------------------------------------------------------------------------------------------
// createPipeline with the options: an exchange that answers from a script (or holds answers back),
// a logon that succeeds at once.

const START = new Date("2025-03-01T12:00:00.000Z");
const T0 = START.getTime();

describe("createPipeline builds what flowControl says", () => {
  beforeEach(() => {
    vi.useFakeTimers({ now: START });
    // Backoff without Retry-After is half its cap: 250 ms for the first retry, 500 for the second.
    vi.spyOn(Math, "random").mockReturnValue(0.5);
  });

  afterEach(() => {
    vi.useRealTimers();
    vi.restoreAllMocks();
  });

  function pipelineWith(flowControl: FlowControlOptions, answer: (index: number) => Response | Promise<Response>) {
    const sentAt: number[] = [];
    const exchange: ExchangeSend = async () => {
      sentAt.push(Date.now() - T0);
      return answer(sentAt.length - 1);
    };
    const logger: Logger = { debug: vi.fn(), info: vi.fn(), warn: vi.fn(), error: vi.fn() };
    const options = {
      exchange,
      // The transport's body read, where the pipeline has one.
      read: (response: Response) => response.arrayBuffer(),
      session: new SessionManager(async () => ({ token: "tok", authorization: "tok" })),
      tokenOrigins: new Set([ORIGIN]),
      canRenew: true,
      hooks: undefined,
      logger,
      logRequests: false,
      secrets: new SecretRegistry(),
      flowControl,
    };
    return { send: createPipeline(options), sentAt };
  }

  it("retryQuota: the calls of one pipeline share it (an outage costs at most quota / 5 retries)", async () => {
    const { send, sentAt } = pipelineWith({ maxConcurrentRequests: 10, adaptiveRate: false, retryQuota: 10 }, () => status(503));
    for (let i = 0; i < 5; i++) {
      const result = track(send(makeCall()));
      await vi.runAllTimersAsync();
      expect(result.value?.status).toBe(503);
    }
    expect(sentAt).toHaveLength(5 + 2);
  });

  it("retryQuota 0: no quota, each call retries up to its limit", async () => {
    const { send, sentAt } = pipelineWith({ maxConcurrentRequests: 10, adaptiveRate: false, retryQuota: 0 }, () => status(503));
    for (let i = 0; i < 5; i++) {
      track(send(makeCall()));
      await vi.runAllTimersAsync();
    }
    expect(sentAt).toHaveLength(15);
  });

  it("adaptiveRate true: after a 429 the next calls leave at the learnt rate", async () => {
    // Two successes, then a 429 (not retried): limit 2, two sends per second (1,020 ms with the jitter allowance).
    const { send, sentAt } = pipelineWith({ maxConcurrentRequests: 10, adaptiveRate: true, retryQuota: 0 }, (i) => status(i === 2 ? 429 : 200));
    const noRetry = { retry: { rateLimitLimit: 0 } };
    const first = [send(makeCall(noRetry)), send(makeCall(noRetry)), send(makeCall(noRetry))];
    await flush(50);
    expect((await Promise.all(first)).map((r) => r.status)).toEqual([200, 200, 429]);
    const later = [track(send(makeCall())), track(send(makeCall())), track(send(makeCall()))];
    await vi.advanceTimersByTimeAsync(5_000);
    expect(sentAt).toEqual([0, 0, 0, 1_020, 1_020, 2_040]);
    expect(later.every((r) => r.state === "resolved")).toBe(true);
  });

  it("adaptiveRate false: nothing is paced after a 429", async () => {
    const { send, sentAt } = pipelineWith({ maxConcurrentRequests: 10, adaptiveRate: false, retryQuota: 0 }, (i) => status(i === 2 ? 429 : 200));
    const noRetry = { retry: { rateLimitLimit: 0 } };
    await Promise.all([send(makeCall(noRetry)), send(makeCall(noRetry)), send(makeCall(noRetry))]);
    const later = [track(send(makeCall())), track(send(makeCall())), track(send(makeCall()))];
    await flush(50);
    expect(sentAt).toEqual([0, 0, 0, 0, 0, 0]);
    expect(later.every((r) => r.state === "resolved")).toBe(true);
  });

  it("the rate step is inside the retry step: a retry after a 503 waits for its turn at the learnt rate too", async () => {
    // 0: 200, 1: 429 (learns 1 per second, counted from the success at 0), 2: 503, 3: 200.
    const script = [200, 429, 503, 200];
    const { send, sentAt } = pipelineWith({ maxConcurrentRequests: 10, adaptiveRate: true, retryQuota: 0 }, (i) => status(script[i] ?? 200));
    const noRetry = { retry: { rateLimitLimit: 0 } };
    await Promise.all([send(makeCall(noRetry)), send(makeCall(noRetry))]);
    const call = track(send(makeCall()));
    await vi.advanceTimersByTimeAsync(10_000);
    // The retry's backoff is 250 ms; the learnt rate holds it to one second (and 20 ms) after the first try.
    expect(sentAt).toEqual([0, 0, 1_020, 2_040]);
    expect(call.value?.status).toBe(200);
  });

  it("maxConcurrentRequests: that many requests at once, the next when one is answered", async () => {
    const answers: Array<Deferred<Response>> = [];
    const { send, sentAt } = pipelineWith({ maxConcurrentRequests: 2, adaptiveRate: true, retryQuota: 500 }, () => {
      const answer = deferred<Response>();
      answers.push(answer);
      return answer.promise;
    });
    const results = Array.from({ length: 4 }, () => track(send(makeCall())));
    await flush(50);
    expect(sentAt).toHaveLength(2);
    answers[0]!.resolve(status(200));
    await flush(50);
    expect(sentAt).toHaveLength(3);
    answers[1]!.resolve(status(200));
    answers[2]!.resolve(status(200));
    await flush(50);
    expect(sentAt).toHaveLength(4);
    answers[3]!.resolve(status(200));
    await flush(50);
    expect(results.every((r) => r.state === "resolved")).toBe(true);
  });
});
