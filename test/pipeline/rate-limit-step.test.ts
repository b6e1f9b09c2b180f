// The rate limit step alone: a scripted `next`, fake timers for the wait, an AdaptiveRate whose
// reserve() and answered() are spied on (or real, on the fake clock).
import { afterEach, beforeEach, describe, expect, it, vi } from "vitest";
import { NetworkError } from "../../src/errors/network.js";
import { AdaptiveRate } from "../../src/pipeline/adaptive-rate.js";
import { rateLimitStep } from "../../src/pipeline/rate-limit-step.js";
import { deferred, flush, makeCall, scriptedNext, status, track } from "./make-call.js";

const START = new Date("2025-03-01T12:00:00.000Z");
const T0 = START.getTime();

beforeEach(() => {
  vi.useFakeTimers({ now: START });
});

afterEach(() => {
  vi.useRealTimers();
  vi.restoreAllMocks();
});

/** An AdaptiveRate on the fake clock that reserves `waitMs` and records what it is told. */
function spiedRate(waitMs: number) {
  const rate = new AdaptiveRate(() => Date.now());
  const reserve = vi.spyOn(rate, "reserve").mockReturnValue(waitMs);
  const answered = vi.spyOn(rate, "answered");
  return { rate, reserve, answered };
}

describe("rateLimitStep: the wait", () => {
  it("sends at once, without a timer, while nothing is learnt", async () => {
    const fake = scriptedNext(() => status(200));
    const send = rateLimitStep(new AdaptiveRate(() => Date.now()))(fake.send);
    const results = Array.from({ length: 50 }, () => track(send(makeCall())));
    await flush();
    expect(fake.sent).toHaveLength(50);
    expect(fake.sent.every((s) => s.at === T0)).toBe(true);
    expect(results.every((r) => r.state === "resolved")).toBe(true);
    expect(vi.getTimerCount()).toBe(0);
  });

  it("waits exactly the reserved time before calling next, once per attempt", async () => {
    const { rate, reserve } = spiedRate(1_500);
    const fake = scriptedNext(() => status(200));
    const send = rateLimitStep(rate)(fake.send);
    const result = track(send(makeCall({ retry: { budgetMs: 12_345 } })));
    await vi.advanceTimersByTimeAsync(1_499);
    expect(fake.sent).toHaveLength(0);
    expect(result.state).toBe("pending");
    await vi.advanceTimersByTimeAsync(1);
    expect(fake.sent).toHaveLength(1);
    expect(fake.sent[0]!.at).toBe(T0 + 1_500);
    await flush();
    expect(result.state).toBe("resolved");
    expect(reserve).toHaveBeenCalledTimes(1);
    // The call's retry budget bounds how long a Retry-After pause may hold it.
    expect(reserve).toHaveBeenCalledWith(12_345);
  });

  it("with a learnt rate: the sends after a 429 leave at the learnt spacing", async () => {
    // Two successes, then a 429, all answered at once: limit 2, and the two successes are this
    // span's sends, so two sends 1020 ms later (a second and the jitter margin), then two more.
    let answers = 0;
    const fake = scriptedNext(() => status(++answers === 3 ? 429 : 200));
    const send = rateLimitStep(new AdaptiveRate(() => Date.now()))(fake.send);
    await Promise.all([send(makeCall()), send(makeCall()), send(makeCall())]);
    const later = Array.from({ length: 4 }, () => track(send(makeCall())));
    await vi.advanceTimersByTimeAsync(1_019);
    expect(fake.sent).toHaveLength(3);
    await vi.advanceTimersByTimeAsync(10_000);
    expect(fake.sent.map((s) => s.at - T0)).toEqual([0, 0, 0, 1_020, 1_020, 2_040, 2_040]);
    expect(later.every((r) => r.state === "resolved")).toBe(true);
  });

  it("the rate hears of each answer when it arrives: successes answered later count as sends from then", async () => {
    // Two successes answered 300 ms after they left, then a 429: the next send waits for those
    // answers to be 1020 ms old, not the sends.
    let answers = 0;
    const fake = scriptedNext(async () => {
      await new Promise((resolve) => setTimeout(resolve, 300));
      return status(++answers === 3 ? 429 : 200);
    });
    const send = rateLimitStep(new AdaptiveRate(() => Date.now()))(fake.send);
    const first = Promise.all([send(makeCall()), send(makeCall()), send(makeCall())]);
    await vi.advanceTimersByTimeAsync(300);
    await first;
    const next = track(send(makeCall()));
    await vi.advanceTimersByTimeAsync(1_019);
    expect(fake.sent).toHaveLength(3);
    await vi.advanceTimersByTimeAsync(1);
    expect(fake.sent.map((s) => s.at - T0)).toEqual([0, 0, 0, 1_320]);
    await vi.advanceTimersByTimeAsync(300);
    expect(next.state).toBe("resolved");
  });
});

describe("rateLimitStep: aborts", () => {
  it("an abort during the wait rejects with the signal's reason at once and never calls next", async () => {
    const { rate, answered } = spiedRate(5_000);
    const fake = scriptedNext(() => status(200));
    const controller = new AbortController();
    const result = track(rateLimitStep(rate)(fake.send)(makeCall({ signal: controller.signal })));
    await vi.advanceTimersByTimeAsync(1_000);
    const reason = new Error("stop: the caller gave up");
    controller.abort(reason);
    await flush();
    expect(result.state).toBe("rejected");
    expect(result.error).toBe(reason);
    expect(vi.getTimerCount()).toBe(0);
    await vi.advanceTimersByTimeAsync(10_000);
    expect(fake.sent).toHaveLength(0);
    expect(answered).not.toHaveBeenCalled();
  });

  it("a signal aborted before the step rejects with its reason when there is a wait", async () => {
    const { rate, answered } = spiedRate(200);
    const fake = scriptedNext(() => status(200));
    const controller = new AbortController();
    const reason = new Error("already stopped");
    controller.abort(reason);
    const result = track(rateLimitStep(rate)(fake.send)(makeCall({ signal: controller.signal })));
    await flush();
    expect(result.state).toBe("rejected");
    expect(result.error).toBe(reason);
    await vi.advanceTimersByTimeAsync(1_000);
    expect(fake.sent).toHaveLength(0);
    expect(answered).not.toHaveBeenCalled();
  });
});

describe("rateLimitStep: what it tells the rate", () => {
  it("answered() is told once the answer arrives: its status, and no Retry-After for a 2xx", async () => {
    const { rate, answered } = spiedRate(1_500);
    const answer = deferred<Response>();
    const fake = scriptedNext(() => answer.promise);
    const result = track(rateLimitStep(rate)(fake.send)(makeCall()));
    await vi.advanceTimersByTimeAsync(1_500);
    await vi.advanceTimersByTimeAsync(300);
    expect(fake.sent).toHaveLength(1);
    expect(answered).not.toHaveBeenCalled();
    const response = status(200, { "retry-after": "5" });
    answer.resolve(response);
    await flush();
    expect(answered).toHaveBeenCalledTimes(1);
    expect(answered).toHaveBeenCalledWith(200, undefined);
    expect(result.value).toBe(response);
    expect(response.bodyUsed).toBe(false);
  });

  const retryAfterCases: Array<[string, Record<string, string>, number | undefined]> = [
    ["delta-seconds", { "retry-after": "3" }, 3_000],
    ["fractional seconds", { "retry-after": "1.5" }, 1_500],
    ["an HTTP date", { "retry-after": new Date(T0 + 7_000).toUTCString() }, 7_000],
    ["an unreadable value", { "retry-after": "soon" }, undefined],
    ["no header", {}, undefined],
  ];
  for (const [what, headers, expected] of retryAfterCases) {
    it(`a 429's Retry-After as ${what} reaches answered() in milliseconds (${String(expected)})`, async () => {
      const { rate, answered } = spiedRate(0);
      const fake = scriptedNext(() => status(429, headers));
      const response = await rateLimitStep(rate)(fake.send)(makeCall());
      expect(response.status).toBe(429);
      expect(answered).toHaveBeenCalledTimes(1);
      expect(answered).toHaveBeenCalledWith(429, expected);
    });
  }

  it("a 5xx's or 4xx's Retry-After is not passed on (only a 429's paces)", async () => {
    for (const code of [500, 502, 503, 504, 400, 404, 413]) {
      const { rate, answered } = spiedRate(0);
      const fake = scriptedNext(() => status(code, { "retry-after": "30" }));
      await rateLimitStep(rate)(fake.send)(makeCall());
      expect(answered).toHaveBeenCalledWith(code, undefined);
      vi.restoreAllMocks();
    }
  });

  it("a request that got no answer teaches nothing: the error goes on, answered() is not called", async () => {
    const { rate, answered } = spiedRate(0);
    const error = new NetworkError("GET /PasswordVault/API/Accounts got no response from pvwa.example: ECONNRESET", {
      method: "GET",
      urlPath: "/PasswordVault/API/Accounts",
      retriable: true,
    });
    const fake = scriptedNext(error);
    await expect(rateLimitStep(rate)(fake.send)(makeCall())).rejects.toBe(error);
    expect(answered).not.toHaveBeenCalled();
  });

  it("a real AdaptiveRate learns through the step: a 429 with Retry-After 5 s holds back the next send 5 s", async () => {
    const fake = scriptedNext(status(429, { "retry-after": "5" }), () => status(200));
    const send = rateLimitStep(new AdaptiveRate(() => Date.now()))(fake.send);
    await send(makeCall());
    const next = track(send(makeCall()));
    await vi.advanceTimersByTimeAsync(4_999);
    expect(fake.sent).toHaveLength(1);
    await vi.advanceTimersByTimeAsync(1);
    expect(fake.sent.map((s) => s.at - T0)).toEqual([0, 5_000]);
    await flush();
    expect(next.state).toBe("resolved");
  });
});
