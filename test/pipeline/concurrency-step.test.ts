// The concurrency step alone: a fake `next` whose requests end when the test says so.
import { getEventListeners } from "node:events";
import fc from "fast-check";
import { describe, expect, it } from "vitest";
import { RequestAbortedError } from "../../src/errors/aborted.js";
import { TimeoutError } from "../../src/errors/timeout.js";
import type { Call, Send } from "../../src/pipeline/call.js";
import { concurrencyStep } from "../../src/pipeline/concurrency-step.js";
import { deferred, flush, makeCall, type Deferred } from "./make-call.js";

type Settled = { state: "pending" } | { state: "resolved"; value: Response } | { state: "rejected"; error: unknown };

interface Entry {
  id: number;
  call: Call;
  controller: AbortController;
  outcome: Settled;
  /** The fake request inside `next`, once it started. */
  request?: Deferred<Response>;
}

/** A concurrency step over a fake `next` that counts what is inside it. */
function harness(limit: number) {
  const step = concurrencyStep(limit);
  const entries: Entry[] = [];
  const started: number[] = [];
  let inside = 0;
  let maxInside = 0;
  const byCall = new Map<Call, Entry>();
  const next: Send = (call) => {
    const entry = byCall.get(call)!;
    inside++;
    maxInside = Math.max(maxInside, inside);
    started.push(entry.id);
    entry.request = deferred<Response>();
    return entry.request.promise;
  };
  const send = step(next);

  return {
    entries,
    started,
    get inside() {
      return inside;
    },
    get maxInside() {
      return maxInside;
    },
    /** A new call arrives (it starts or queues). */
    arrive(signal?: AbortSignal): Entry {
      const controller = new AbortController();
      const call = makeCall({ signal: signal ?? controller.signal });
      const entry: Entry = { id: entries.length, call, controller, outcome: { state: "pending" } };
      entries.push(entry);
      byCall.set(call, entry);
      send(call).then(
        (value) => (entry.outcome = { state: "resolved", value }),
        (error: unknown) => (entry.outcome = { state: "rejected", error }),
      );
      return entry;
    },
    /** The request of a started call is answered (or fails). */
    end(entry: Entry, outcome: Response | Error = new Response("ok")): void {
      if (!entry.request) throw new Error(`call ${entry.id} has not started`);
      inside--;
      if (outcome instanceof Error) entry.request.reject(outcome);
      else entry.request.resolve(outcome);
    },
  };
}

describe("the limit", () => {
  for (const limit of [1, 2, 3, 10]) {
    it(`limit ${limit}: the first ${limit} calls start at once, each end lets exactly one more in`, async () => {
      const h = harness(limit);
      for (let i = 0; i < 3 * limit; i++) h.arrive();
      await flush();
      expect(h.started).toEqual([...Array(limit).keys()]);
      for (let done = 0; done < 2 * limit; done++) {
        h.end(h.entries[done]!);
        await flush();
        expect(h.inside).toBe(limit);
        expect(h.started).toHaveLength(limit + done + 1);
      }
      expect(h.maxInside).toBe(limit);
    });
  }

  it("gives back next's response and passes the call on unchanged", async () => {
    const h = harness(1);
    const a = h.arrive();
    await flush();
    const response = new Response("x");
    h.end(a, response);
    await flush();
    expect(a.outcome).toEqual({ state: "resolved", value: response });
    expect((a.outcome as { value: Response }).value).toBe(response);
  });

  it("two steps (two clients) have separate places", async () => {
    const h1 = harness(1);
    const h2 = harness(1);
    h1.arrive();
    h2.arrive();
    await flush();
    expect(h1.inside + h2.inside).toBe(2);
  });
});

describe("order", () => {
  it("queued calls start in arrival order (FIFO), also those arriving while others end", async () => {
    const h = harness(1);
    for (let i = 0; i < 4; i++) h.arrive();
    await flush();
    h.end(h.entries[0]!);
    h.arrive(); // 4 queues behind 2 and 3
    await flush();
    h.end(h.entries[1]!);
    await flush();
    h.arrive(); // 5
    h.end(h.entries[2]!);
    await flush();
    h.end(h.entries[3]!);
    await flush();
    h.end(h.entries[4]!);
    await flush();
    expect(h.started).toEqual([0, 1, 2, 3, 4, 5]);
  });

  it("a place passes straight to the next in line: a newcomer arriving meanwhile does not jump the queue", async () => {
    const h = harness(1);
    const a = h.arrive();
    h.arrive();
    await flush();
    h.end(a);
    h.arrive(); // arrives in the same turn as the end, before the queued call resumes
    await flush();
    expect(h.started).toEqual([0, 1]);
    expect(h.inside).toBe(1);
  });
});

describe("abort while queued", () => {
  it("rejects with the signal's reason, is never sent, and frees no place it did not hold", async () => {
    const h = harness(1);
    const a = h.arrive();
    const b = h.arrive();
    const c = h.arrive();
    await flush();
    const reason = new TimeoutError(100, "GET /Accounts");
    b.controller.abort(reason);
    await flush();
    expect(b.outcome).toEqual({ state: "rejected", error: reason });
    expect((b.outcome as { error: unknown }).error).toBe(reason);
    // c still waits: the abort freed nothing.
    expect(h.started).toEqual([0]);
    expect(h.inside).toBe(1);
    h.end(a);
    await flush();
    expect(h.started).toEqual([0, 2]);
    h.end(c);
    await flush();
    expect(c.outcome.state).toBe("resolved");
    // And the limit is intact afterwards: one place, no more, no less.
    const d = h.arrive();
    h.arrive();
    await flush();
    expect(h.started).toEqual([0, 2, 3]);
    expect(d.request).toBeDefined();
    expect(h.maxInside).toBe(1);
  });

  it("aborting the last or the first in line removes that one only", async () => {
    const h = harness(1);
    const a = h.arrive();
    const b = h.arrive();
    const c = h.arrive();
    const d = h.arrive();
    await flush();
    d.controller.abort(new RequestAbortedError("d"));
    b.controller.abort(new RequestAbortedError("b"));
    await flush();
    h.end(a);
    await flush();
    h.end(c);
    await flush();
    expect(h.started).toEqual([0, 2]);
    expect(h.inside).toBe(0);
  });

  it("an already aborted call rejects at once when it would have to wait", async () => {
    const h = harness(1);
    h.arrive();
    const controller = new AbortController();
    const reason = new RequestAbortedError("GET /Accounts");
    controller.abort(reason);
    const late = h.arrive(controller.signal);
    await flush();
    expect(late.outcome).toEqual({ state: "rejected", error: reason });
    expect(h.started).toEqual([0]);
  });

  it("an abort after the call got its place does not touch it (the step's listener is gone)", async () => {
    const h = harness(1);
    const a = h.arrive();
    const b = h.arrive();
    await flush();
    expect(getEventListeners(b.call.signal, "abort")).toHaveLength(1);
    h.end(a);
    await flush();
    expect(getEventListeners(b.call.signal, "abort")).toHaveLength(0);
    expect(getEventListeners(a.call.signal, "abort")).toHaveLength(0);
    b.controller.abort(new Error("late"));
    await flush();
    expect(b.outcome.state).toBe("pending");
    h.end(b);
    await flush();
    expect(b.outcome.state).toBe("resolved");
  });
});

describe("failures release the place", () => {
  it("a rejected next: the error goes back, the next in line starts", async () => {
    const h = harness(1);
    const a = h.arrive();
    h.arrive();
    await flush();
    const error = new Error("socket hang up");
    h.end(a, error);
    await flush();
    expect(a.outcome).toEqual({ state: "rejected", error });
    expect(h.started).toEqual([0, 1]);
  });

  it("a next that throws synchronously: same", async () => {
    const step = concurrencyStep(1);
    const error = new TypeError("sync");
    let calls = 0;
    const send = step(() => {
      calls++;
      if (calls === 1) throw error;
      return Promise.resolve(new Response("second"));
    });
    await expect(send(makeCall())).rejects.toBe(error);
    const second = await send(makeCall());
    expect(await second.text()).toBe("second");
  });

  it("a burst of failures leaves every place free", async () => {
    const step = concurrencyStep(3);
    const send = step(async () => {
      throw new Error("down");
    });
    await Promise.allSettled(Array.from({ length: 20 }, () => send(makeCall())));
    const h = { inside: 0, max: 0 };
    const gates = Array.from({ length: 4 }, () => deferred<Response>());
    const send2 = step(() => {
      h.inside++;
      h.max = Math.max(h.max, h.inside);
      return gates[h.inside - 1]!.promise;
    });
    for (let i = 0; i < 4; i++) void send2(makeCall()).catch(() => undefined);
    await flush();
    expect(h.inside).toBe(3);
  });
});

describe("property: random arrivals, ends, failures and aborts", () => {
  type Op = { kind: "arrive" } | { kind: "end" | "fail" | "abort"; pick: number };
  const op = fc.oneof(
    fc.constant<Op>({ kind: "arrive" }),
    fc.record({ kind: fc.constantFrom("end" as const, "fail" as const, "abort" as const), pick: fc.nat(50) }),
  );

  it("never more than the limit inside, no place idle while calls wait, FIFO, every queued abort rejects with its reason", async () => {
    await fc.assert(
      fc.asyncProperty(fc.integer({ min: 1, max: 4 }), fc.array(op, { minLength: 1, maxLength: 60 }), async (limit, ops) => {
        const h = harness(limit);
        const aborted = new Map<Entry, unknown>();
        const live = (): Entry[] => h.entries.filter((e) => e.outcome.state === "pending" && !(aborted.has(e) && !e.request));
        for (const o of ops) {
          if (o.kind === "arrive") h.arrive();
          else if (o.kind === "abort") {
            const candidates = live().filter((e) => !aborted.has(e));
            const e = candidates[o.pick % Math.max(1, candidates.length)];
            if (e) {
              const reason = new RequestAbortedError(`call ${e.id}`);
              aborted.set(e, reason);
              e.controller.abort(reason);
            }
          } else {
            const running = h.entries.filter((e) => e.request && e.outcome.state === "pending" && !(e as { ended?: boolean }).ended);
            const e = running[o.pick % Math.max(1, running.length)];
            if (e) {
              (e as { ended?: boolean }).ended = true;
              h.end(e, o.kind === "fail" ? new Error("fail") : new Response("ok"));
            }
          }
          await flush();
          expect(h.inside).toBeLessThanOrEqual(limit);
          // Work-conserving: as many inside as the limit allows among calls not finished or aborted in line.
          expect(h.inside).toBe(Math.min(limit, live().length));
        }
        // FIFO: the calls that started did so in arrival order.
        expect(h.started).toEqual([...h.started].sort((a, b) => a - b));
        // A call aborted while queued was never sent and got its own reason.
        for (const [e, reason] of aborted) {
          if (!e.request) expect(e.outcome).toEqual({ state: "rejected", error: reason });
        }
        // End everything still inside: the limit is then whole again.
        for (let round = 0; round < 200 && h.inside > 0; round++) {
          for (const e of h.entries) {
            if (e.request && !(e as { ended?: boolean }).ended) {
              (e as { ended?: boolean }).ended = true;
              h.end(e);
            }
          }
          await flush();
        }
        expect(h.inside).toBe(0);
        const before = h.started.length;
        for (let i = 0; i <= limit; i++) h.arrive();
        await flush();
        expect(h.started.length - before).toBe(limit);
        expect(h.maxInside).toBeLessThanOrEqual(limit);
      }),
      { numRuns: 300 },
    );
  });
});
