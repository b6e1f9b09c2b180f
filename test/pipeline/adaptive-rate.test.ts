// AdaptiveRate (adaptive-rate.ts) on an injected clock: first its rules one by one, then as a
// simulation (a model server with fixed one-second windows, a model client of K workers) run in
// simulated time. No timers, no real time: the clock is a variable the tests move.
import fc from "fast-check";
import { describe, expect, it } from "vitest";
import { AdaptiveRate } from "../../src/pipeline/adaptive-rate.js";

/** The spacing the rate keeps: WINDOW_MS (the server's limits are per second) + JITTER_MS. */
const SPAN_MS = 1_020;

/** An AdaptiveRate on a clock the test sets. */
function clocked(start = 0) {
  const clock = { now: start };
  const rate = new AdaptiveRate(() => clock.now);
  /** `count` answers with `status` at the current time (and the 429's Retry-After, if any). */
  const answer = (status: number, count = 1, retryAfterMs?: number) => {
    for (let i = 0; i < count; i++) rate.answered(status, retryAfterMs);
  };
  /** The moments `count` sends reserved now would leave (absolute times). */
  const reserveMany = (count: number) => Array.from({ length: count }, () => clock.now + rate.reserve());
  return { clock, rate, answer, reserveMany };
}

describe("AdaptiveRate: before the first 429", () => {
  it("paces nothing: any burst leaves at once, whatever else the server answered", () => {
    const { clock, rate, answer } = clocked(5_000);
    for (let i = 0; i < 1_000; i++) expect(rate.reserve()).toBe(0);
    answer(200, 300);
    answer(404, 10);
    answer(503, 10, 30_000);
    answer(500, 10);
    clock.now += 1;
    for (let i = 0; i < 1_000; i++) expect(rate.reserve()).toBe(0);
    expect(rate.limit).toBeUndefined();
  });
});

describe("AdaptiveRate: learning from a 429", () => {
  it("at the first 429 the limit is the successes answered in the last second (older ones do not count)", () => {
    const { clock, rate, answer } = clocked(0);
    answer(200, 7); // at 0: exactly one second before the 429, so out of its last second
    clock.now = 1;
    answer(200, 50);
    clock.now = 1_000;
    answer(429);
    expect(rate.limit).toBe(50);
  });

  it("counts the server's answers below 500 other than 429 as successes (4xx too), never its 5xx answers", () => {
    const { clock, rate, answer } = clocked(100);
    answer(200, 10);
    answer(404, 10);
    answer(400, 5);
    answer(503, 10);
    answer(500, 10);
    answer(502, 10);
    clock.now = 400;
    answer(429);
    expect(rate.limit).toBe(25);
  });

  it("learns a limit of at least one request per second, even with no success in the last second", () => {
    const { clock, rate, answer, reserveMany } = clocked(0);
    answer(429);
    expect(rate.limit).toBe(1);
    clock.now = 10;
    expect(reserveMany(3)).toEqual([10, 10 + SPAN_MS, 10 + 2 * SPAN_MS]);
  });

  it("at the first learning the last second's successes count as sends: the next send waits for the oldest to be 1020 ms old", () => {
    const { clock, rate, answer, reserveMany } = clocked(0);
    // Ten successes answered at 0..9 ms, then a 429 at 500 ms: limit 10, the ten are this span's sends.
    for (let t = 0; t < 10; t++) {
      clock.now = t;
      answer(200);
    }
    clock.now = 500;
    answer(429);
    expect(rate.limit).toBe(10);
    expect(reserveMany(22)).toEqual([
      1_020, 1_021, 1_022, 1_023, 1_024, 1_025, 1_026, 1_027, 1_028, 1_029,
      2_040, 2_041, 2_042, 2_043, 2_044, 2_045, 2_046, 2_047, 2_048, 2_049,
      3_060, 3_061,
    ]);
  });

  it("at a later 429 the limit becomes the successes since the previous 429, not those of the last second; it may go down or up", () => {
    const { clock, rate, answer } = clocked(0);
    answer(200, 50);
    clock.now = 100;
    answer(429);
    expect(rate.limit).toBe(50);
    // 55 successes in the last second, but only 5 since the previous refusal: a window's worth.
    clock.now = 200;
    answer(200, 5);
    clock.now = 300;
    answer(429);
    expect(rate.limit).toBe(5);
    // More got through since: the limit goes up to that.
    clock.now = 400;
    answer(200, 30);
    clock.now = 500;
    answer(429);
    expect(rate.limit).toBe(30);
    clock.now = 600;
    answer(404, 12);
    answer(503, 20);
    clock.now = 700;
    answer(429);
    expect(rate.limit).toBe(12);
  });

  it("429s with no success since the previous 429 (the rest of a burst on the wire) teach nothing", () => {
    const { clock, rate, answer, reserveMany } = clocked(0);
    answer(200, 20);
    clock.now = 10;
    answer(429); // learns 20
    clock.now = 20;
    answer(429, 30);
    answer(503, 5);
    expect(rate.limit).toBe(20);
    // The pacing is the first refusal's: the 20 successes at 0 end their span at 1020.
    expect(reserveMany(21)).toEqual([...Array<number>(20).fill(1_020), 2_040]);
    // The next refusal counts from the last one.
    clock.now = 1_500;
    answer(200, 7);
    answer(429);
    answer(429, 10);
    expect(rate.limit).toBe(7);
  });

  it("a later learning keeps the sends already reserved: a lower limit counts them", () => {
    const { clock, rate, answer, reserveMany } = clocked(0);
    answer(200, 4);
    answer(429); // 4, the four successes at 0 are this span's sends
    clock.now = 100;
    expect(reserveMany(4)).toEqual([1_020, 1_020, 1_020, 1_020]);
    clock.now = 200;
    answer(200);
    answer(429); // 1
    expect(rate.limit).toBe(1);
    expect(reserveMany(2)).toEqual([1_020 + SPAN_MS, 1_020 + 2 * SPAN_MS]);
  });

  it("property: no span of 1020 ms holds more than floor(limit) sends reserved after learning, and no send waits longer than that needs", () => {
    // A script of answers and reservations at increasing times; a model of the rule, that reads
    // the learnt limit from the rate (its rules are the tests above), checks every reservation.
    const op = fc.record({
      gap: fc.oneof(fc.integer({ min: 0, max: 50 }), fc.integer({ min: 0, max: 1_500 })),
      kind: fc.constantFrom("reserve", "reserve", "reserve", "reserve", "200", "200", "404", "503", "429", "429"),
      retryAfterMs: fc.option(fc.integer({ min: 0, max: 5_000 }), { nil: undefined }),
    });
    fc.assert(
      fc.property(fc.array(op, { minLength: 1, maxLength: 300 }), (ops) => {
        const { clock, rate } = clocked(10_000);
        const successes: number[] = [];
        /** The sends the rule counts: the first learning's successes, then every reservation. */
        const sends: number[] = [];
        let pausedUntil = 0;
        let learnt = false;
        for (const { gap, kind, retryAfterMs } of ops) {
          clock.now += gap;
          const now = clock.now;
          if (kind === "200" || kind === "404") {
            rate.answered(Number(kind), undefined);
            successes.push(now);
          } else if (kind === "503") {
            rate.answered(503, retryAfterMs);
          } else if (kind === "429") {
            rate.answered(429, retryAfterMs);
            if (retryAfterMs !== undefined && retryAfterMs > 1_000) pausedUntil = Math.max(pausedUntil, now + retryAfterMs);
            if (!learnt) {
              learnt = true;
              expect(rate.limit).toBeGreaterThanOrEqual(1);
              sends.push(...successes.filter((t) => t > now - 1_000).slice(-Math.floor(rate.limit!)));
            }
          } else {
            const at = now + rate.reserve();
            if (!learnt) {
              expect(at).toBe(now);
              continue;
            }
            const allowed = Math.floor(rate.limit!);
            const previous = sends.at(-1) ?? now;
            const spanStart = sends.length >= allowed ? sends[sends.length - allowed]! + SPAN_MS : now;
            sends.push(at);
            expect(at).toBeGreaterThanOrEqual(now);
            expect(at).toBeGreaterThanOrEqual(pausedUntil);
            // In the order reserved, and no span of 1020 ms ending at this send holds more than `allowed`.
            expect(at).toBeGreaterThanOrEqual(previous);
            expect(sends.filter((t) => t > at - SPAN_MS).length).toBeLessThanOrEqual(allowed);
            // Not later than needed: it waits for the pause, the send before it, or the span, or not at all.
            expect(at).toBe(Math.max(now, pausedUntil, previous, spanStart));
          }
        }
      }),
      { numRuns: 300 },
    );
  });
});

describe("AdaptiveRate: growing the limit again", () => {
  it("grows it by 0.5% for each second without a 429, once per second", () => {
    const { clock, rate, answer } = clocked(0);
    answer(200, 100);
    clock.now = 500;
    answer(429); // 100 at 500
    clock.now = 1_499;
    answer(200);
    expect(rate.limit).toBe(100);
    clock.now = 1_500;
    answer(200);
    expect(rate.limit).toBeCloseTo(100 * 1.005, 10);
    clock.now = 2_400;
    answer(200, 50);
    expect(rate.limit).toBeCloseTo(100 * 1.005, 10);
    clock.now = 2_500;
    answer(200);
    expect(rate.limit).toBeCloseTo(100 * 1.005 ** 2, 10);
  });

  it("5xx answers grow nothing; a 4xx success does", () => {
    const { clock, rate, answer } = clocked(0);
    answer(200, 10);
    clock.now = 100;
    answer(429); // 10
    clock.now = 5_000;
    answer(503, 5);
    answer(500, 5);
    expect(rate.limit).toBe(10);
    answer(404);
    expect(rate.limit).toBeCloseTo(10 * 1.005, 10);
  });

  it("a 429 that teaches starts the second without a 429 again", () => {
    const { clock, rate, answer } = clocked(0);
    answer(200, 10);
    clock.now = 100;
    answer(429); // 10 at 100
    clock.now = 500;
    answer(200, 10);
    clock.now = 600;
    answer(429); // 10 again, at 600
    clock.now = 1_100;
    answer(200);
    expect(rate.limit).toBe(10);
    clock.now = 1_600;
    answer(200);
    expect(rate.limit).toBeCloseTo(10 * 1.005, 10);
  });

  it("a grown limit lets more sends through per span", () => {
    const { clock, rate, answer, reserveMany } = clocked(0);
    answer(200, 10);
    clock.now = 10;
    answer(429); // 10
    for (let s = 1; s <= 20; s++) {
      clock.now = 10 + s * 1_000;
      answer(200);
    }
    expect(rate.limit).toBeCloseTo(10 * 1.005 ** 20, 10); // 11.05
    clock.now = 100_000;
    expect(reserveMany(23)).toEqual([...Array<number>(11).fill(100_000), ...Array<number>(11).fill(101_020), 102_040]);
  });

  it("sends reserved after the limit grew never go before those reserved earlier", () => {
    const { clock, rate, answer, reserveMany } = clocked(0);
    answer(200, 10);
    clock.now = 10;
    answer(429); // 10, the ten successes at 0 are this span's sends
    const early = reserveMany(300);
    expect(early.at(-1)).toBe(30 * SPAN_MS);
    for (let s = 1; s <= 20; s++) {
      clock.now = 10 + s * 1_000;
      answer(200);
    }
    expect(Math.floor(rate.limit!)).toBe(11);
    // Eleven per span from now on, but after the 300 already promised.
    expect(reserveMany(3)).toEqual([30 * SPAN_MS, 31 * SPAN_MS, 31 * SPAN_MS]);
  });
});

describe("AdaptiveRate: Retry-After", () => {
  it("a Retry-After longer than a second pauses every send until then", () => {
    const { clock, rate, answer, reserveMany } = clocked(0);
    answer(200, 100);
    clock.now = 100;
    answer(429, 1, 5_000);
    // Limit 100: without the pause the first sends would leave at 1020 (a span after the successes).
    expect(reserveMany(20).every((at) => at === 5_100)).toBe(true);
    clock.now = 3_000;
    expect(rate.reserve()).toBe(2_100);
  });

  it("a pause longer than the caller's budget is not waited out (the call goes and meets its own 429)", () => {
    const { clock, rate, answer } = clocked(0);
    answer(200, 100);
    clock.now = 100;
    answer(429, 1, 3_600_000);
    // A budget shorter than the pause: no wait for it (pacing at the learnt rate still applies).
    expect(rate.reserve(60_000)).toBeLessThan(2_000);
    // A budget that reaches the pause's end waits for it.
    clock.now = 3_000_000;
    expect(rate.reserve(700_000)).toBe(600_100);
  });

  it("pauses even when the 429 teaches nothing (another refusal of the same burst)", () => {
    const { clock, rate, answer } = clocked(0);
    answer(200, 3);
    clock.now = 10;
    answer(429); // 3 at 10
    clock.now = 20;
    answer(429, 1, 10_000);
    expect(rate.limit).toBe(3);
    expect(rate.reserve()).toBe(10_000);
  });

  it("a shorter Retry-After does not end a longer pause", () => {
    const { clock, rate, answer } = clocked(0);
    answer(429, 1, 5_000);
    clock.now = 1_000;
    answer(429, 1, 2_000);
    expect(rate.reserve()).toBe(4_000);
  });

  it("a Retry-After of one second or less pauses nothing beyond the learnt rate", () => {
    const { clock, rate, answer } = clocked(0);
    answer(200, 100);
    clock.now = 500;
    answer(429, 1, 1_000);
    // Paced by the learnt rate only: the 100 sends of this span end it at 1020.
    expect(rate.reserve()).toBe(520);
  });

  it("5xx answers pause nothing, whatever their Retry-After", () => {
    const { rate, answer } = clocked(0);
    answer(503, 5, 60_000);
    answer(500, 5, 60_000);
    expect(rate.reserve()).toBe(0);
    expect(rate.limit).toBeUndefined();
  });
});

// ---------------------------------------------------------------------------------------------
// The simulation. The server allows `limit` requests per fixed one-second window [k s, (k+1) s)
// and answers the others 429, with or without Retry-After (whole seconds to the window's end, as
// servers round: so always 1 s here, which paces nothing in the rate, only the worker that got it).
// The client has `workers` workers; each takes a call, asks reserve(), waits that long, sends; the
// request reaches the server latency/2 later and its answer comes back after `latencyMs`, when the
// worker tells answered() and, after a 429, tries the same call again after the Retry-After (or at
// once, through reserve(), without one), else takes the next call.

interface Attempt {
  /** reserve() was asked after the first learning (the rate had a limit). */
  paced: boolean;
  sentAt: number;
  /** The server's window (seconds) the request arrived in. */
  window: number;
  answeredAt: number;
  status: number;
  /** rate.limit once told of this answer. */
  limitAfter: number | undefined;
}

interface Simulation {
  /** Requests per window, or a function of the time for a limit that changes mid-run. */
  limit: number | ((now: number) => number);
  workers: number;
  latencyMs: number;
  calls: number;
  retryAfter: boolean;
  /** When the client starts, in ms (0 = at the start of a server window). */
  startMs?: number;
}

interface Run {
  /** In the order answered. */
  attempts: Attempt[];
  startedAt: number;
  /** When the last call succeeded. */
  endedAt: number;
}

/** Timed events in time order, then insertion order (a binary heap). */
class Events {
  readonly #heap: Array<{ at: number; seq: number; run: () => void }> = [];
  #seq = 0;

  add(at: number, run: () => void): void {
    const heap = this.#heap;
    heap.push({ at, seq: this.#seq++, run });
    for (let i = heap.length - 1; i > 0; ) {
      const parent = (i - 1) >> 1;
      if (!Events.#before(heap[i]!, heap[parent]!)) break;
      [heap[i], heap[parent]] = [heap[parent]!, heap[i]!];
      i = parent;
    }
  }

  take(): { at: number; run: () => void } | undefined {
    const heap = this.#heap;
    const top = heap[0];
    const last = heap.pop();
    if (top === undefined || last === undefined || heap.length === 0) return top;
    heap[0] = last;
    for (let i = 0; ; ) {
      const left = 2 * i + 1;
      let first = i;
      if (left < heap.length && Events.#before(heap[left]!, heap[first]!)) first = left;
      if (left + 1 < heap.length && Events.#before(heap[left + 1]!, heap[first]!)) first = left + 1;
      if (first === i) break;
      [heap[i], heap[first]] = [heap[first]!, heap[i]!];
      i = first;
    }
    return top;
  }

  static #before(a: { at: number; seq: number }, b: { at: number; seq: number }): boolean {
    return a.at < b.at || (a.at === b.at && a.seq < b.seq);
  }
}

function simulate(sim: Simulation): Run {
  let now = sim.startMs ?? 0;
  const startedAt = now;
  let endedAt = now;
  const rate = new AdaptiveRate(() => now);
  const events = new Events();
  const limitAt = typeof sim.limit === "number" ? () => sim.limit as number : sim.limit;
  const accepted = new Map<number, number>();
  const attempts: Attempt[] = [];
  let callsLeft = sim.calls;

  const attempt = (): void => {
    const paced = rate.limit !== undefined;
    events.add(now + rate.reserve(), () => {
      const sentAt = now;
      events.add(sentAt + sim.latencyMs / 2, () => {
        const window = Math.floor(now / 1000);
        const used = accepted.get(window) ?? 0;
        const ok = used < limitAt(now);
        if (ok) accepted.set(window, used + 1);
        const retryAfterMs = ok || !sim.retryAfter ? undefined : Math.ceil(((window + 1) * 1000 - now) / 1000) * 1000;
        events.add(sentAt + sim.latencyMs, () => {
          const status = ok ? 200 : 429;
          rate.answered(status, retryAfterMs);
          attempts.push({ paced, sentAt, window, answeredAt: now, status, limitAfter: rate.limit });
          if (ok) {
            endedAt = now;
            nextCall();
          } else if (retryAfterMs !== undefined) {
            events.add(now + retryAfterMs, attempt);
          } else {
            attempt();
          }
        });
      });
    });
  };
  const nextCall = (): void => {
    if (callsLeft === 0) return;
    callsLeft--;
    attempt();
  };

  for (let i = 0; i < sim.workers; i++) nextCall();
  for (let event = events.take(); event; event = events.take()) {
    now = event.at;
    event.run();
  }
  return { attempts, startedAt, endedAt };
}

interface Summary {
  /** 429s of requests reserved before the first learning (the cold start). */
  cold: number;
  /** 429s of requests reserved after it. */
  paced429: number;
  /** The most requests any server window got from sends reserved after the first learning. */
  busiestWindow: number;
  /** Calls per second over the run (first send to last success), as a share of `limit`. */
  rateShare: number;
}

function summarize(run: Run, limit: number): Summary {
  const perWindow = new Map<number, number>();
  let cold = 0;
  let paced429 = 0;
  let calls = 0;
  for (const a of run.attempts) {
    if (a.status === 429) {
      if (a.paced) paced429++;
      else cold++;
    } else calls++;
    if (a.paced) perWindow.set(a.window, (perWindow.get(a.window) ?? 0) + 1);
  }
  return {
    cold,
    paced429,
    busiestWindow: Math.max(0, ...perWindow.values()),
    rateShare: (calls * 1000) / (run.endedAt - run.startedAt) / limit,
  };
}

/** Calls per second that succeeded at [from, to). */
function successRate(run: Run, from: number, to: number): number {
  return (run.attempts.filter((a) => a.status !== 429 && a.answeredAt >= from && a.answeredAt < to).length * 1000) / (to - from);
}

/** The limits the 429s that had a success since the previous 429 (or the first 429) left, in order. */
function learntLimits(run: Run): number[] {
  const limits: number[] = [];
  let since: number | undefined;
  for (const a of run.attempts) {
    if (a.status !== 429) {
      if (since !== undefined) since++;
    } else {
      if (since !== 0) limits.push(a.limitAfter!);
      since = 0;
    }
  }
  return limits;
}

/** A small latency at which the workers together can send at least three times the limit. */
const latencyFor = (limit: number, workers: number): number => Math.min(10, (workers * 1000) / (3 * limit));

describe("AdaptiveRate in a simulation: a server of fixed one-second windows", () => {
  for (const retryAfter of [true, false]) {
    for (const limit of [1, 5, 50, 200]) {
      for (const workers of [1, 10, 20]) {
        const key = `fixed ${limit}/s, ${workers} worker(s), ${retryAfter ? "with" : "without"} Retry-After`;
        it(`${key}: learns the limit at once and keeps to it`, () => {
          const calls = 20 * limit;
          const run = simulate({ limit, workers, latencyMs: latencyFor(limit, workers), calls, retryAfter });
          const s = summarize(run, limit);
          expect(run.attempts.filter((a) => a.status !== 429)).toHaveLength(calls);
          // Cold start: only requests already on the wire when the first 429 came back are refused.
          expect(s.cold).toBeGreaterThanOrEqual(1);
          expect(s.cold).toBeLessThanOrEqual(workers);
          // From then on: a window gets at most the limit, and a probe or so past it.
          expect(s.busiestWindow).toBeLessThanOrEqual(limit + Math.ceil(limit / 100));
          expect(s.paced429 / calls).toBeLessThanOrEqual(0.05);
          // All 429s: the cold start's (up to one per worker) is a fixed cost, not a share of the
          // calls: 20 workers against 1/s cannot but get 19 refusals in 20 calls. Where there are
          // no more workers than the limit it fits in the 5% too.
          if (workers <= limit) expect((s.cold + s.paced429) / calls).toBeLessThanOrEqual(0.05);
          // Throughput: the learnt rate is the server's, not a fraction of it. A lone worker that
          // honours Retry-After idles a second after each probe's 429 (at 200/s the limit grows
          // past the server's a second after each learning, 200 × 1.005 = 201): a cost of probing
          // and of that worker, not of the rate, that no other case has.
          expect(s.rateShare).toBeGreaterThanOrEqual(workers === 1 && retryAfter ? 0.9 : 0.95);
        });
      }
    }
  }

  it("sends before the first 429 are not paced at all: the first window gets everything the workers send", () => {
    const run = simulate({ limit: 50, workers: 20, latencyMs: 10, calls: 1_000, retryAfter: true });
    const firstWindow = run.attempts.filter((a) => a.window === 0);
    // 20 workers, 10 ms round trips: 20 requests every 10 ms until the 51st comes back refused.
    expect(firstWindow.filter((a) => !a.paced).length).toBeGreaterThanOrEqual(60);
    expect(run.attempts.filter((a) => a.paced && a.sentAt < 1_000)).toHaveLength(0);
  });

  for (const [from, to] of [
    [1, 2],
    [5, 10],
    [50, 100],
    [200, 400],
  ] as const) {
    it(`a limit raised mid-run (${from}/s → ${to}/s) is found again: the rate rises to the new limit`, () => {
      const change = 20_000;
      const run = simulate({
        limit: (now) => (now < change ? from : to),
        workers: 10,
        latencyMs: latencyFor(to, 10),
        calls: from * 20 + to * 180,
        retryAfter: true,
      });
      const before = successRate(run, change - 10_000, change);
      // 0.5% a second: from the old limit to the doubled one takes about 139 s.
      const later = successRate(run, change + 160_000, change + 170_000);
      expect(later).toBeGreaterThanOrEqual(to * 0.9);
      expect(later).toBeGreaterThan(before * 1.5);
      const after = run.attempts.filter((a) => a.sentAt >= change);
      expect(after.filter((a) => a.status === 429).length / after.length).toBeLessThanOrEqual(0.05);
    });
  }

  for (const [from, to] of [
    [2, 1],
    [5, 1],
    [50, 10],
    [200, 50],
  ] as const) {
    for (const workers of [1, 20]) {
      for (const retryAfter of [true, false]) {
        const key = `lowered ${from}/s → ${to}/s, ${workers} worker(s), ${retryAfter ? "with" : "without"} Retry-After`;
        it(`a limit ${key} is learnt at once: 429s stop after a bounded number`, () => {
          const change = 20_000;
          const run = simulate({
            limit: (now) => (now < change ? from : to),
            workers,
            latencyMs: latencyFor(from, workers),
            calls: from * 20 + to * 80,
            retryAfter,
          });
          const refusedSince = (t: number) => run.attempts.filter((a) => a.status === 429 && a.sentAt >= t).length;
          // The window of the change refuses what the old rate sends, the next one what is over the
          // first guess (its last second still holds the old limit's successes); each call already
          // waiting for its turn (at most one per worker) leaves at the old spacing too.
          expect(refusedSince(change)).toBeLessThanOrEqual(from + 2 * workers);
          // Once those are gone: at most a probe past the new limit, and few refusals.
          const settled = change + 5_000 + (1000 * workers) / to;
          const later = run.attempts.filter((a) => a.sentAt >= settled);
          const perWindow = new Map<number, number>();
          for (const a of later) perWindow.set(a.window, (perWindow.get(a.window) ?? 0) + 1);
          expect(Math.max(...perWindow.values())).toBeLessThanOrEqual(to + 1);
          expect(refusedSince(settled) / later.length).toBeLessThanOrEqual(0.05);
          expect(successRate(run, settled, settled + 20_000)).toBeGreaterThanOrEqual(to * 0.9);
        });
      }
    }
  }

  // The case the previous design (the last second's successes less 2%, never raised) got wrong: a
  // client faster than the limit starting 592 ms into a window. Its first refusal comes in the
  // second window, and the second before it spans the end of the first window too: the first
  // guess is too high. The second refusal, a window later, counts that window's successes only.
  for (const [limit, workers] of [
    [10, 1],
    [50, 1],
    [50, 10],
    [200, 1],
    [200, 10],
  ] as const) {
    for (const speed of [1.5, 2]) {
      it(`a client ${speed}x faster than ${limit}/s (${workers} worker(s)) whose first measured second straddles two windows has the limit right at its second refusal`, () => {
        const run = simulate({ limit, workers, latencyMs: (workers * 1000) / (speed * limit), calls: 20 * limit, retryAfter: false, startMs: 592 });
        const [first, second] = learntLimits(run);
        // The scenario: the first guess is over the limit.
        expect(first).toBeGreaterThan(limit * 1.2);
        expect(second).toBeGreaterThanOrEqual(limit);
        expect(second).toBeLessThanOrEqual(limit + Math.ceil(limit / 100));
        expect(summarize(run, limit).rateShare).toBeGreaterThanOrEqual(0.9);
      });
    }
  }

  it("property: any limit, workers, latency and start within a window (a client at least 3x faster than the limit)", () => {
    fc.assert(
      fc.property(
        fc.integer({ min: 1, max: 300 }),
        fc.integer({ min: 1, max: 20 }),
        fc.integer({ min: 1, max: 50 }),
        fc.integer({ min: 0, max: 999 }),
        fc.boolean(),
        (limit, workers, maxLatency, startMs, retryAfter) => {
          const latencyMs = Math.min(maxLatency, (workers * 1000) / (3 * limit));
          const calls = 20 * limit;
          const s = summarize(simulate({ limit, workers, latencyMs, calls, retryAfter, startMs }), limit);
          expect(s.cold).toBeLessThanOrEqual(workers);
          expect(s.paced429 / calls).toBeLessThanOrEqual(0.05);
          // A start late in a window makes the first 429's "last second" span two server windows:
          // the calls waiting then may overshoot the next window, by at most one per worker.
          expect(s.busiestWindow).toBeLessThanOrEqual(limit + workers + Math.ceil(limit / 100));
          expect(s.rateShare).toBeGreaterThanOrEqual(workers === 1 && retryAfter ? 0.85 : 0.9);
        },
      ),
      { numRuns: 150, seed: 20_250_301 },
    );
  });
});
