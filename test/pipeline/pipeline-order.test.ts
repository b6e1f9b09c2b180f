// createPipeline with fakes around it (exchange, logon, hooks, logger): the steps are where
// pipeline.ts says, outermost first:
//   observeCall → retry → concurrency → beforeRequestHooks → session → logAttempt → exchange.
// Each test shows one boundary by a behaviour that a different order would change.
import { afterEach, beforeEach, describe, expect, it, vi } from "vitest";
import type { Hooks } from "../../src/core/hooks.js";
import { SessionManager, type Session } from "../../src/core/session.js";
import { NetworkError } from "../../src/errors/network.js";
import type { Logger } from "../../src/logging/logger.js";
import { SecretRegistry } from "../../src/logging/secret-registry.js";
import type { Send } from "../../src/pipeline/call.js";
import type { ExchangeSend } from "../../src/pipeline/exchange.js";
import { createPipeline } from "../../src/pipeline/pipeline.js";
import type { HttpRequest } from "../../src/transport/http-request.js";
import type { SendOptions } from "../../src/transport/transport.js";
import { deferred, flush, makeCall, ORIGIN, track, type CallInit, type Deferred } from "./make-call.js";

beforeEach(() => {
  vi.useFakeTimers({ now: new Date("2025-03-01T12:00:00Z") });
  // Backoff without Retry-After is then half its cap: 250 ms for the first retry.
  vi.spyOn(Math, "random").mockReturnValue(0.5);
});

afterEach(() => {
  vi.useRealTimers();
  vi.restoreAllMocks();
});

interface Exchanged {
  request: HttpRequest;
  options: SendOptions | undefined;
  answer: Deferred<Response>;
}

function setup({ limit = 10, hooks, logRequests = false, canRenew = true, events = [] }: { limit?: number; hooks?: Hooks; logRequests?: boolean; canRenew?: boolean; events?: string[] } = {}) {
  const exchanged: Exchanged[] = [];
  const exchange: ExchangeSend = (request, options) => {
    const answer = deferred<Response>();
    exchanged.push({ request, options, answer });
    events.push(`exchange ${request.url.replace(ORIGIN, "")} ${request.headers.get("authorization") ?? "-"}`);
    return answer.promise;
  };
  const logons: Array<Deferred<Session>> = [];
  const logon = vi.fn(() => {
    events.push(`logon ${logons.length + 1}`);
    const d = deferred<Session>();
    logons.push(d);
    return d.promise;
  });
  const session = new SessionManager(logon);
  const logger: Logger = {
    debug: vi.fn((msg: string, meta?: Record<string, unknown>) => void events.push(`log ${msg} ${String(meta?.["attempt"] ?? meta?.["attempts"])}`)),
    info: vi.fn(),
    warn: vi.fn(),
    error: vi.fn(),
  };
  const send: Send = createPipeline({
    exchange,
    read: (response) => response.arrayBuffer(),
    session,
    tokenOrigins: new Set([ORIGIN]),
    canRenew,
    hooks,
    logger,
    logRequests,
    secrets: new SecretRegistry(),
    flowControl: { maxConcurrentRequests: limit, adaptiveRate: false, retryQuota: 0 },
  });
  const completeLogon = async (index: number): Promise<void> => {
    logons[index]!.resolve({ token: `tok-${index + 1}`, authorization: `tok-${index + 1}` });
    await flush();
  };
  const answer = async (index: number, response: Response | Error): Promise<void> => {
    const e = exchanged[index];
    if (!e) throw new Error(`nothing exchanged at ${index}`);
    if (response instanceof Error) e.answer.reject(response);
    else e.answer.resolve(response);
    await flush();
  };
  const start = (init: CallInit = {}) => {
    const call = makeCall(init);
    return { call, result: track(send(call)) };
  };
  return { events, exchanged, logon, logons, session, send, start, completeLogon, answer };
}

const hookEvents = (events: string[]): Hooks => ({
  beforeRequest: [(request, info) => void events.push(`before ${info.attempt} ${request.headers.get("authorization") ?? "-"} ${request.headers.get("cookie") ?? "-"}`)],
  beforeRetry: [(info) => void events.push(`retry ${info.reason} ${info.status ?? "-"} ${info.attempt}`)],
  afterResponse: [(response, info) => void events.push(`after ${response.status} ${info.attempt}`)],
});

describe("the order of the steps", () => {
  it("one call through every step: 503 (retried), 401 (renewed, replayed), 200", async () => {
    const events: string[] = [];
    // The exchange, logon and log events go to the same list as the hooks'.
    const s = setup({ hooks: hookEvents(events), logRequests: true, events });
    const { call, result } = s.start();
    await flush();
    await s.completeLogon(0);
    await s.answer(0, new Response("", { status: 503 }));
    await vi.advanceTimersByTimeAsync(250);
    await s.answer(1, new Response("", { status: 401 }));
    await s.completeLogon(1);
    await s.answer(2, new Response("ok", { status: 200 }));
    expect(result.state).toBe("resolved");
    expect(events).toEqual([
      // beforeRequest runs before the logon and the Authorization: hooks never see the token.
      "before 1 - -",
      "logon 1",
      // The request log line comes after the session step (the logon), right before the exchange.
      "log request 1",
      "exchange /PasswordVault/API/Accounts tok-1",
      "retry server-error 503 1",
      "before 2 - -",
      "log request 2",
      "exchange /PasswordVault/API/Accounts tok-1",
      // The session step logs on again before the 401 reaches the retry step, which replays it.
      "logon 2",
      "retry session-renewed 401 2",
      "before 3 - -",
      "log request 3",
      "exchange /PasswordVault/API/Accounts tok-2",
      // observeCall is outermost: one response line and afterResponse once, with every attempt counted.
      "log response 3",
      "after 200 3",
    ]);
    expect(call.record).toMatchObject({ attempts: 3, afterRelogon: true, retryAfterMs: undefined });
    // The body of the final response was read inside the pipeline (readBody) and kept with it.
    expect(new TextDecoder().decode(call.record.body?.bytes)).toBe("ok");
  });

  it("the exchange gets the call's signal, and the hooks' headers with the session's Authorization", async () => {
    const s = setup({ hooks: { beforeRequest: [(r) => r.headers.set("x-correlation-id", "c-1")] } });
    const controller = new AbortController();
    s.start({ signal: controller.signal, readBody: false });
    await flush();
    await s.completeLogon(0);
    const { request, options } = s.exchanged[0]!;
    expect(options?.signal).toBe(controller.signal);
    expect(request.headers.get("x-correlation-id")).toBe("c-1");
    expect(request.headers.get("authorization")).toBe("tok-1");
  });

  it("retry is outside the concurrency limit: a call waiting to retry holds no place", async () => {
    const s = setup({ limit: 1 });
    s.start({ url: "https://other.example/a" });
    await flush();
    s.start({ url: "https://other.example/b" });
    await flush();
    expect(s.exchanged).toHaveLength(1);
    await s.answer(0, new Response("", { status: 503 }));
    // a waits 250 ms to retry; b goes meanwhile.
    expect(s.exchanged.map((e) => e.request.url)).toEqual(["https://other.example/a", "https://other.example/b"]);
    await s.answer(1, new Response("ok"));
    await vi.advanceTimersByTimeAsync(250);
    expect(s.exchanged.map((e) => e.request.url)).toEqual(["https://other.example/a", "https://other.example/b", "https://other.example/a"]);
  });

  it("concurrency is outside the hooks and the session: a call waiting for the logon holds its place, a queued call runs no hook", async () => {
    const hookCalls: string[] = [];
    const s = setup({ limit: 1, hooks: { beforeRequest: [(r) => void hookCalls.push(new URL(r.url).host)] } });
    const a = s.start(); // token origin: waits for the logon
    await flush();
    const b = s.start({ url: "https://other.example/b" }); // needs no logon, but no place is free
    await flush();
    expect(s.logon).toHaveBeenCalledTimes(1);
    expect(hookCalls).toEqual(["pvwa.example"]);
    expect(s.exchanged).toHaveLength(0);
    await s.completeLogon(0);
    expect(s.exchanged).toHaveLength(1);
    await s.answer(0, new Response("ok"));
    expect(a.result.state).toBe("resolved");
    expect(hookCalls).toEqual(["pvwa.example", "other.example"]);
    expect(s.exchanged.map((e) => e.request.url)).toEqual([`${ORIGIN}/PasswordVault/API/Accounts`, "https://other.example/b"]);
    void b;
  });

  it("the session step holds the place while it renews for a 401; the replay then queues again behind calls waiting", async () => {
    const s = setup({ limit: 1 });
    s.start();
    await flush();
    await s.completeLogon(0);
    s.start({ url: "https://other.example/b" });
    await flush();
    await s.answer(0, new Response("", { status: 401 }));
    // Renewing: a still holds its place, b waits.
    expect(s.logon).toHaveBeenCalledTimes(2);
    expect(s.exchanged).toHaveLength(1);
    await s.completeLogon(1);
    // The 401 went back to the retry step (outside the limit): b, first in line, goes before the replay.
    expect(s.exchanged.map((e) => e.request.headers.get("authorization") ?? e.request.url)).toEqual(["tok-1", "https://other.example/b"]);
    await s.answer(1, new Response("ok"));
    expect(s.exchanged.map((e) => e.request.headers.get("authorization") ?? e.request.url)).toEqual(["tok-1", "https://other.example/b", "tok-2"]);
  });

  it("an abort while queued for a place rejects with the signal's reason; nothing is sent for it", async () => {
    const s = setup({ limit: 1 });
    s.start({ url: "https://other.example/a" });
    const controller = new AbortController();
    const b = s.start({ url: "https://other.example/b", signal: controller.signal });
    await flush();
    const reason = new Error("stop");
    controller.abort(reason);
    await flush();
    expect(b.result.error).toBe(reason);
    await s.answer(0, new Response("ok"));
    expect(s.exchanged).toHaveLength(1);
  });
});

describe("record.attempts counts every request sent", () => {
  const cases: Array<[string, Array<number | "network">, number]> = [
    ["answered at once", [200], 1],
    ["one 503 retry", [503, 200], 2],
    ["a network error retry", ["network", 200], 2],
    ["the 401 replay", [401, 200], 2],
    ["a 429 retry and the 401 replay", [429, 401, 200], 3],
    ["retries used up", [503, 503, 503], 3],
    ["a 401 after the replay is final", [401, 401], 2],
  ];
  for (const [name, answers, attempts] of cases) {
    it(`${name}: ${attempts}`, async () => {
      const s = setup();
      const { call, result } = s.start();
      await flush();
      await s.completeLogon(0);
      let logon = 1;
      for (let i = 0; i < answers.length; i++) {
        const a = answers[i]!;
        await s.answer(i, a === "network" ? new NetworkError("reset", { method: "GET", urlPath: "/x" }) : new Response("", { status: a }));
        if (a === 401 && s.logons.length > logon) await s.completeLogon(logon++);
        await vi.advanceTimersByTimeAsync(10_000);
      }
      expect(result.state).toBe("resolved");
      expect(s.exchanged).toHaveLength(answers.length);
      expect(call.record.attempts).toBe(attempts);
    });
  }
});

describe("the stale-token rule across steps", () => {
  it("no request leaves with a token that got a 401, also after a renewal logon failed with a NetworkError", async () => {
    const s = setup();
    const { result } = s.start();
    await flush();
    await s.completeLogon(0);
    await s.answer(0, new Response("", { status: 401 }));
    // The renewal logon gets no answer.
    s.logons[1]!.reject(new NetworkError("logon got no response", { method: "POST", urlPath: "/PasswordVault/API/auth/Cyberark/Logon" }));
    await flush();
    await vi.advanceTimersByTimeAsync(250);
    // The retried request waits for a new logon: tok-3.
    await s.completeLogon(2);
    expect(s.exchanged.map((e) => e.request.headers.get("authorization"))).toEqual(["tok-1", "tok-3"]);
    await s.answer(1, new Response("", { status: 401 }));
    await vi.advanceTimersByTimeAsync(10_000);
    const tokens = s.exchanged.map((e) => e.request.headers.get("authorization"));
    expect(tokens.filter((t) => t === "tok-3")).toHaveLength(1);
    expect(result.state).toBe("resolved");
  });
});
