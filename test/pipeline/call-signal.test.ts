// callSignal alone: which error each kind of end gives, and that dispose leaves nothing behind.
// Fake timers throughout: the time limit is never waited for for real.
import { getEventListeners } from "node:events";
import { afterEach, beforeEach, describe, expect, it, vi } from "vitest";
import { callSignal } from "../../src/core/call-signal.js";
import { RequestAbortedError } from "../../src/errors/aborted.js";
import { TimeoutError } from "../../src/errors/timeout.js";
import { TransportClosedError } from "../../src/errors/transport-closed.js";

const WHAT = "GET /Accounts";

beforeEach(() => {
  vi.useFakeTimers({ now: new Date("2025-03-01T12:00:00Z") });
});

afterEach(() => {
  vi.useRealTimers();
});

const listeners = (signal: AbortSignal): number => getEventListeners(signal, "abort").length;

describe("the reasons", () => {
  it("time limit: TimeoutError naming the call and the limit, exactly at the limit", async () => {
    const { signal, dispose } = callSignal({ what: WHAT, timeoutMs: 5000 });
    await vi.advanceTimersByTimeAsync(4999);
    expect(signal.aborted).toBe(false);
    await vi.advanceTimersByTimeAsync(1);
    expect(signal.aborted).toBe(true);
    expect(signal.reason).toBeInstanceOf(TimeoutError);
    expect(signal.reason).toMatchObject({ kind: "TIMEOUT", timeoutMs: 5000 });
    expect((signal.reason as Error).message).toContain(WHAT);
    expect((signal.reason as Error).message).toContain("5000");
    dispose();
  });

  it("caller's abort: RequestAbortedError naming the call, with the caller's reason as cause", () => {
    const caller = new AbortController();
    const { signal, dispose } = callSignal({ what: WHAT, timeoutMs: 0, caller: caller.signal });
    expect(signal.aborted).toBe(false);
    const why = new Error("user pressed cancel");
    caller.abort(why);
    expect(signal.aborted).toBe(true);
    expect(signal.reason).toBeInstanceOf(RequestAbortedError);
    expect(signal.reason).toMatchObject({ kind: "ABORTED" });
    expect((signal.reason as Error).message).toContain(WHAT);
    expect((signal.reason as Error).cause).toBe(why);
    dispose();
  });

  it("client closing: TransportClosedError", () => {
    const closing = new AbortController();
    const { signal, dispose } = callSignal({ what: WHAT, timeoutMs: 0, closing: closing.signal });
    closing.abort();
    expect(signal.reason).toBeInstanceOf(TransportClosedError);
    expect(signal.reason).toMatchObject({ kind: "CLIENT_CLOSED" });
    dispose();
  });

  it("the first end wins: a later caller abort or close does not replace a timeout", async () => {
    const caller = new AbortController();
    const closing = new AbortController();
    const { signal, dispose } = callSignal({ what: WHAT, timeoutMs: 100, caller: caller.signal, closing: closing.signal });
    await vi.advanceTimersByTimeAsync(100);
    const reason = signal.reason;
    caller.abort();
    closing.abort();
    expect(signal.reason).toBe(reason);
    expect(reason).toBeInstanceOf(TimeoutError);
    dispose();
  });

  it("a caller abort before the time limit: no timeout replaces it later", async () => {
    const caller = new AbortController();
    const { signal, dispose } = callSignal({ what: WHAT, timeoutMs: 100, caller: caller.signal });
    caller.abort();
    await vi.advanceTimersByTimeAsync(1000);
    expect(signal.reason).toBeInstanceOf(RequestAbortedError);
    dispose();
  });

  it("a caller's abort without a reason still gives RequestAbortedError (cause: the DOMException)", () => {
    const caller = new AbortController();
    const { signal, dispose } = callSignal({ what: WHAT, timeoutMs: 0, caller: caller.signal });
    caller.abort();
    expect(signal.reason).toBeInstanceOf(RequestAbortedError);
    expect((signal.reason as Error).cause).toBe(caller.signal.reason);
    dispose();
  });
});

describe("signals already aborted", () => {
  it("an already aborted caller: aborted from the start with RequestAbortedError", () => {
    const caller = new AbortController();
    const why = new Error("already");
    caller.abort(why);
    const { signal, dispose } = callSignal({ what: WHAT, timeoutMs: 1000, caller: caller.signal });
    expect(signal.aborted).toBe(true);
    expect(signal.reason).toBeInstanceOf(RequestAbortedError);
    expect((signal.reason as Error).cause).toBe(why);
    dispose();
    expect(vi.getTimerCount()).toBe(0);
  });

  it("an already closing client: aborted from the start with TransportClosedError", () => {
    const closing = new AbortController();
    closing.abort();
    const { signal, dispose } = callSignal({ what: WHAT, timeoutMs: 1000, closing: closing.signal });
    expect(signal.reason).toBeInstanceOf(TransportClosedError);
    dispose();
  });

  it("both already aborted: the closing client wins", () => {
    const caller = new AbortController();
    const closing = new AbortController();
    caller.abort();
    closing.abort();
    const { signal, dispose } = callSignal({ what: WHAT, timeoutMs: 0, caller: caller.signal, closing: closing.signal });
    expect(signal.reason).toBeInstanceOf(TransportClosedError);
    dispose();
  });
});

describe("no time limit", () => {
  for (const timeoutMs of [0, Number.POSITIVE_INFINITY, -1, Number.NaN]) {
    it(`timeoutMs ${timeoutMs}: no timer at all, never times out`, async () => {
      const { signal, dispose } = callSignal({ what: WHAT, timeoutMs });
      expect(vi.getTimerCount()).toBe(0);
      await vi.advanceTimersByTimeAsync(2 ** 31 - 1);
      expect(signal.aborted).toBe(false);
      dispose();
    });
  }
});

describe("dispose", () => {
  it("clears the timer: after it, time passing does not abort", async () => {
    const { signal, dispose } = callSignal({ what: WHAT, timeoutMs: 1000 });
    expect(vi.getTimerCount()).toBe(1);
    await vi.advanceTimersByTimeAsync(500);
    dispose();
    expect(vi.getTimerCount()).toBe(0);
    await vi.advanceTimersByTimeAsync(10_000);
    expect(signal.aborted).toBe(false);
  });

  it("removes its listeners: after it, the caller's abort and the client's close do not reach the call", () => {
    const caller = new AbortController();
    const closing = new AbortController();
    const { signal, dispose } = callSignal({ what: WHAT, timeoutMs: 0, caller: caller.signal, closing: closing.signal });
    expect(listeners(caller.signal)).toBe(1);
    expect(listeners(closing.signal)).toBe(1);
    dispose();
    expect(listeners(caller.signal)).toBe(0);
    expect(listeners(closing.signal)).toBe(0);
    caller.abort();
    closing.abort();
    expect(signal.aborted).toBe(false);
  });

  it("removes them also when the call ended by its own abort, and twice is harmless", async () => {
    const caller = new AbortController();
    const closing = new AbortController();
    const { dispose } = callSignal({ what: WHAT, timeoutMs: 50, caller: caller.signal, closing: closing.signal });
    await vi.advanceTimersByTimeAsync(50);
    dispose();
    dispose();
    expect(listeners(caller.signal)).toBe(0);
    expect(listeners(closing.signal)).toBe(0);
    expect(vi.getTimerCount()).toBe(0);
  });

  it("a client's closing signal outlives many calls: disposed calls leave no listener on it", () => {
    const closing = new AbortController();
    for (let i = 0; i < 100; i++) {
      const caller = new AbortController();
      callSignal({ what: WHAT, timeoutMs: 30_000, caller: caller.signal, closing: closing.signal }).dispose();
    }
    expect(listeners(closing.signal)).toBe(0);
    expect(vi.getTimerCount()).toBe(0);
  });

  it("each call has its own signal: one call's end does not end another", () => {
    const closing = new AbortController();
    const a = new AbortController();
    const first = callSignal({ what: "a", timeoutMs: 0, caller: a.signal, closing: closing.signal });
    const second = callSignal({ what: "b", timeoutMs: 0, closing: closing.signal });
    a.abort();
    expect(first.signal.aborted).toBe(true);
    expect(second.signal.aborted).toBe(false);
    closing.abort();
    expect(second.signal.reason).toBeInstanceOf(TransportClosedError);
    first.dispose();
    second.dispose();
  });
});
