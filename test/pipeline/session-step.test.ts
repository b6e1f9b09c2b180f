// The session step alone: a real SessionManager over a fake logon the test completes, and a fake
// `next` whose requests the test answers.
import fc from "fast-check";
import { afterEach, describe, expect, it, vi } from "vitest";
import { RequestAbortedError } from "../../src/errors/aborted.js";
import { NetworkError } from "../../src/errors/network.js";
import { TimeoutError } from "../../src/errors/timeout.js";
import { SessionManager, type Session } from "../../src/core/session.js";
import type { Call, Send } from "../../src/pipeline/call.js";
import { sessionStep } from "../../src/pipeline/session-step.js";
import { deferred, flush, makeCall, ORIGIN, track, type Deferred } from "./make-call.js";

const TOKEN_ORIGINS: ReadonlySet<string> = new Set([ORIGIN, "https://identity.example"]);

afterEach(() => {
  vi.useRealTimers();
});

interface Wire {
  call: Call;
  authorization: string | null;
  /** The session's usable Authorization at the moment the request reached next. */
  currentAtSend: string | undefined;
  answer: Deferred<Response>;
}

/** A session manager whose logons the test ends, and a session step over a `next` the test answers. */
function setup({ canRenew = true, expiresInMs, immediate }: { canRenew?: boolean; expiresInMs?: number; immediate?: (index: number) => Response | undefined } = {}) {
  const logons: Array<Deferred<Session>> = [];
  const logon = vi.fn(() => {
    const d = deferred<Session>();
    logons.push(d);
    return d.promise;
  });
  const session = new SessionManager(logon);
  const wire: Wire[] = [];
  const next: Send = (call) => {
    const answer = deferred<Response>();
    const authorization = call.request.headers.get("authorization");
    wire.push({ call, authorization, currentAtSend: session.current()?.session.authorization, answer });
    const now = immediate?.(wire.length - 1);
    if (now) answer.resolve(now);
    return answer.promise;
  };
  const send = sessionStep({ session, tokenOrigins: TOKEN_ORIGINS, canRenew })(next);
  /** Ends logon number `index` (0-based) with token tok-<index+1>. */
  const completeLogon = async (index: number, expiresAt = expiresInMs === undefined ? undefined : Date.now() + expiresInMs): Promise<void> => {
    const d = logons[index];
    if (!d) throw new Error(`logon ${index} was not started`);
    const n = index + 1;
    d.resolve({ token: `tok-${n}`, authorization: `CyberArk tok-${n}`, expiresAt });
    await flush();
  };
  /** Answers the request at `index` on the wire. */
  const answer = async (index: number, response: Response | Error): Promise<void> => {
    const w = wire[index];
    if (!w) throw new Error(`no request ${index} on the wire`);
    if (response instanceof Error) w.answer.reject(response);
    else w.answer.resolve(response);
    await flush();
  };
  const tokensSent = (): Array<string | null> => wire.map((w) => w.authorization);
  /** Requests that left with another token than the session's usable one at that moment. */
  const sentStale = (): Wire[] => wire.filter((w) => w.authorization !== null && w.authorization !== w.currentAtSend);
  return { session, logon, logons, wire, send, completeLogon, answer, tokensSent, sentStale };
}

const unauthorized = (): Response => new Response('{"ErrorCode":"PASWS017E"}', { status: 401 });

describe("Authorization", () => {
  it("goes to the token origins only; other origins are passed through untouched, without waiting for a logon", async () => {
    const s = setup();
    const foreign = [
      "https://other.example/x",
      "http://pvwa.example/PasswordVault/API/Accounts", // another scheme
      "https://pvwa.example:8443/PasswordVault/API/Accounts", // another port
      "https://pvwa.example.evil.example/PasswordVault/API/Accounts", // a longer host
      "https://evil.example/https://pvwa.example/", // the origin only in the path
      "https://pvwa.example@evil.example/x", // the origin as a user name
      "https://evil.example\\@pvwa.example/x", // a backslash ends the host
    ];
    for (const url of foreign) {
      const call = makeCall({ url, headers: { accept: "application/json" } });
      void s.send(call);
      await flush();
      const sent = s.wire.at(-1)!;
      expect(sent.call, url).toBe(call);
      expect(sent.authorization, url).toBeNull();
    }
    expect(s.logon).not.toHaveBeenCalled();
  });

  it("a caller's own Authorization header to another origin is left as it is (not replaced by the session's)", async () => {
    const s = setup();
    void s.send(makeCall({ url: "https://other.example/x", headers: { authorization: "Basic abc" } }));
    await flush();
    expect(s.tokensSent()).toEqual(["Basic abc"]);
  });

  it("token origins are matched as origins (case, default port)", async () => {
    const s = setup();
    for (const url of ["https://PVWA.example/PasswordVault/API/Accounts", "https://pvwa.example:443/PasswordVault/API/Accounts", "https://identity.example/x"]) {
      void s.send(makeCall({ url }));
    }
    await flush();
    await s.completeLogon(0);
    expect(s.tokensSent()).toEqual(["CyberArk tok-1", "CyberArk tok-1", "CyberArk tok-1"]);
  });

  it("replaces any Authorization the request had, on a copy: the caller's call and request are left as they were", async () => {
    const s = setup();
    const call = makeCall({ headers: { authorization: "forged", "x-correlation-id": "c1" } });
    void s.send(call);
    await flush();
    await s.completeLogon(0);
    const sent = s.wire[0]!.call;
    expect(sent).not.toBe(call);
    expect(sent.request.headers.get("authorization")).toBe("CyberArk tok-1");
    expect(sent.request.headers.get("x-correlation-id")).toBe("c1");
    expect(sent.signal).toBe(call.signal);
    expect(sent.record).toBe(call.record);
    expect(sent.request.url).toBe(call.request.url);
    expect(call.request.headers.get("authorization")).toBe("forged");
  });
});

describe("the shared logon", () => {
  it("one logon for many concurrent calls; none is sent before it ended", async () => {
    const s = setup();
    const results = Array.from({ length: 50 }, () => track(s.send(makeCall())));
    await flush();
    expect(s.logon).toHaveBeenCalledTimes(1);
    expect(s.wire).toHaveLength(0);
    await s.completeLogon(0);
    expect(s.wire).toHaveLength(50);
    expect(new Set(s.tokensSent())).toEqual(new Set(["CyberArk tok-1"]));
    for (let i = 0; i < 50; i++) await s.answer(i, new Response("ok"));
    expect(results.every((r) => r.state === "resolved")).toBe(true);
  });

  it("a call made once logged on does not wait and starts no logon", async () => {
    const s = setup();
    void s.send(makeCall());
    await flush();
    await s.completeLogon(0);
    void s.send(makeCall());
    await Promise.resolve();
    await Promise.resolve();
    expect(s.wire).toHaveLength(2);
    expect(s.logon).toHaveBeenCalledTimes(1);
  });

  it("a failed logon fails the calls waiting on it and nothing is sent; the next call logs on again", async () => {
    const s = setup();
    const a = track(s.send(makeCall()));
    const b = track(s.send(makeCall()));
    await flush();
    const error = new Error("logon refused");
    s.logons[0]!.reject(error);
    await flush();
    expect(a.state).toBe("rejected");
    expect(a.error).toBe(error);
    expect(b.error).toBe(error);
    expect(s.wire).toHaveLength(0);
    void s.send(makeCall());
    await flush();
    expect(s.logon).toHaveBeenCalledTimes(2);
  });

  it("an expired session is not used: the call waits for a new logon", async () => {
    vi.useFakeTimers({ now: new Date("2025-03-01T12:00:00Z") });
    const s = setup({ expiresInMs: 60_000 });
    void s.send(makeCall());
    await flush();
    await s.completeLogon(0);
    await vi.advanceTimersByTimeAsync(59_999);
    void s.send(makeCall());
    await flush();
    expect(s.tokensSent()).toEqual(["CyberArk tok-1", "CyberArk tok-1"]);
    await vi.advanceTimersByTimeAsync(1);
    void s.send(makeCall());
    await flush();
    expect(s.wire).toHaveLength(2);
    // The new logon waits for the two requests still out with the expired token.
    expect(s.logon).toHaveBeenCalledTimes(1);
    await s.answer(0, new Response("ok"));
    expect(s.logon).toHaveBeenCalledTimes(1);
    await s.answer(1, new Response("ok"));
    expect(s.logon).toHaveBeenCalledTimes(2);
    await s.completeLogon(1);
    expect(s.tokensSent()).toEqual(["CyberArk tok-1", "CyberArk tok-1", "CyberArk tok-2"]);
  });
});

describe("401", () => {
  it("renewable: the 401 itself goes back, once the new session is there; next is called once", async () => {
    const s = setup();
    const call = makeCall();
    const first = track(s.send(call));
    await flush();
    await s.completeLogon(0);
    const response = unauthorized();
    await s.answer(0, response);
    expect(s.logon).toHaveBeenCalledTimes(2);
    expect(first.state).toBe("pending");
    await s.completeLogon(1);
    expect(first.state).toBe("resolved");
    expect(first.value).toBe(response);
    expect(s.wire).toHaveLength(1);
    expect(call.record.afterRelogon).toBe(true);
  });

  it("the replay of the same call goes with the new token; a second 401 goes back without another logon", async () => {
    const s = setup();
    const call = makeCall();
    void s.send(call);
    await flush();
    await s.completeLogon(0);
    await s.answer(0, unauthorized());
    await s.completeLogon(1);
    const replay = track(s.send(call));
    await flush();
    expect(s.tokensSent()).toEqual(["CyberArk tok-1", "CyberArk tok-2"]);
    const second = unauthorized();
    await s.answer(1, second);
    expect(replay.state).toBe("resolved");
    expect(replay.value).toBe(second);
    expect(s.logon).toHaveBeenCalledTimes(2);
  });

  it("canRenew false: the 401 goes back at once, no logon, the call is not marked, the session is kept", async () => {
    const s = setup({ canRenew: false });
    const call = makeCall();
    const result = track(s.send(call));
    await flush();
    await s.completeLogon(0);
    const response = unauthorized();
    await s.answer(0, response);
    expect(result.value).toBe(response);
    expect(s.logon).toHaveBeenCalledTimes(1);
    expect(call.record.afterRelogon).toBe(false);
    void s.send(makeCall());
    await flush();
    expect(s.tokensSent()).toEqual(["CyberArk tok-1", "CyberArk tok-1"]);
  });

  it("a 401 from another origin renews nothing", async () => {
    const s = setup();
    const call = makeCall({ url: "https://other.example/x" });
    const result = track(s.send(call));
    await flush();
    await s.answer(0, unauthorized());
    expect(result.state).toBe("resolved");
    expect(s.logon).not.toHaveBeenCalled();
    expect(call.record.afterRelogon).toBe(false);
  });

  it("other statuses renew nothing (403, 200, 500)", async () => {
    const s = setup();
    for (let i = 0; i < 3; i++) void s.send(makeCall());
    await flush();
    await s.completeLogon(0);
    await s.answer(0, new Response("", { status: 200 }));
    await s.answer(1, new Response("", { status: 403 }));
    await s.answer(2, new Response("", { status: 500 }));
    expect(s.logon).toHaveBeenCalledTimes(1);
  });

  it("many calls with 401s for the same token: one new logon for all", async () => {
    const s = setup();
    const calls = Array.from({ length: 5 }, () => makeCall());
    const results = calls.map((c) => track(s.send(c)));
    await flush();
    await s.completeLogon(0);
    for (let i = 0; i < 5; i++) await s.answer(i, unauthorized());
    await s.completeLogon(1);
    expect(s.logon).toHaveBeenCalledTimes(2);
    expect(results.every((r) => r.state === "resolved")).toBe(true);
    expect(calls.every((c) => c.record.afterRelogon)).toBe(true);
  });

});

describe("the stale-token rule: a token known stale never leaves", () => {
  it("from the moment a 401 arrived, every request waits for the new logon (counted on the fake next)", async () => {
    const s = setup();
    void s.send(makeCall());
    await flush();
    await s.completeLogon(0);
    await s.answer(0, unauthorized());
    // The renewal is under way: calls made now do not leave with tok-1.
    for (let i = 0; i < 10; i++) void s.send(makeCall());
    await flush();
    expect(s.wire).toHaveLength(1);
    await s.completeLogon(1);
    expect(s.wire).toHaveLength(11);
    expect(s.tokensSent().slice(1)).toEqual(Array(10).fill("CyberArk tok-2"));
  });

  it("the new logon starts only once the requests still out with the old token were answered", async () => {
    const s = setup();
    for (let i = 0; i < 3; i++) void s.send(makeCall()).catch(() => undefined);
    await flush();
    await s.completeLogon(0);
    await s.answer(0, unauthorized());
    expect(s.logon).toHaveBeenCalledTimes(1);
    await s.answer(1, new Response("ok"));
    expect(s.logon).toHaveBeenCalledTimes(1);
    // A request that failed counts as answered too.
    await s.answer(2, new NetworkError("reset", { method: "GET", urlPath: "/x" }));
    expect(s.logon).toHaveBeenCalledTimes(2);
  });

  it("a session already expired when its logon ends is not used: the call waits for another logon", async () => {
    vi.useFakeTimers({ now: new Date("2025-03-01T12:00:00Z") });
    const s = setup();
    const result = track(s.send(makeCall()));
    await flush();
    await s.completeLogon(0, Date.now() - 1);
    expect(s.wire).toHaveLength(0);
    expect(s.logon).toHaveBeenCalledTimes(2);
    await s.completeLogon(1);
    expect(s.tokensSent()).toEqual(["CyberArk tok-2"]);
    expect(result.state).toBe("pending");
  });

  it("calls released together by a logon: once one of them got a 401, the others do not leave with that token", async () => {
    // The first request is answered 401 at once, before the other waiters resumed from the same logon.
    const s = setup({ immediate: (index) => (index === 0 ? unauthorized() : undefined) });
    for (let i = 0; i < 20; i++) void s.send(makeCall()).catch(() => undefined);
    await flush();
    await s.completeLogon(0);
    await flush();
    expect(s.sentStale()).toEqual([]);
    if (s.logons.length > 1) await s.completeLogon(1);
    expect(s.sentStale()).toEqual([]);
    expect(s.wire.length).toBeGreaterThan(1);
  });

  it("property: under any interleaving of calls, answers (200, 401, failure) and logons, no request leaves with a token that got a 401, and a logon starts only with nothing out", async () => {
    const op = fc.record({ kind: fc.constantFrom("arrive", "arrive", "ok", "401", "fail", "logon"), pick: fc.nat(30) });
    await fc.assert(
      fc.asyncProperty(fc.array(op, { minLength: 1, maxLength: 60 }), async (ops) => {
        const s = setup();
        const stale = new Set<string | null>();
        const open = new Set<number>();
        let seen = 0;
        let completed = 0;
        const openWhenLogonStarted: number[] = [];
        s.logon.mockImplementation(() => {
          openWhenLogonStarted.push(open.size);
          const d = deferred<Session>();
          s.logons.push(d);
          return d.promise;
        });
        const look = (): void => {
          for (; seen < s.wire.length; seen++) {
            expect(stale.has(s.wire[seen]!.authorization)).toBe(false);
            expect(s.wire[seen]!.authorization).toBe(s.wire[seen]!.currentAtSend);
            open.add(seen);
          }
        };
        for (const o of ops) {
          if (o.kind === "arrive") void s.send(makeCall()).catch(() => undefined);
          else if (o.kind === "logon") {
            if (completed < s.logons.length) await s.completeLogon(completed++);
          } else if (open.size > 0) {
            const index = [...open][o.pick % open.size]!;
            open.delete(index);
            if (o.kind === "401") stale.add(s.wire[index]!.authorization);
            await s.answer(index, o.kind === "401" ? unauthorized() : o.kind === "fail" ? new Error("reset") : new Response("ok"));
          }
          await flush();
          look();
        }
        expect(openWhenLogonStarted.slice(1).every((n) => n === 0)).toBe(true);
      }),
      { numRuns: 300 },
    );
  });
});

describe("aborts", () => {
  it("aborting while waiting for the logon rejects with the signal's reason, sends nothing, and does not cancel the logon", async () => {
    const s = setup();
    const controller = new AbortController();
    const a = track(s.send(makeCall({ signal: controller.signal })));
    const b = track(s.send(makeCall()));
    await flush();
    const reason = new TimeoutError(100, "GET /Accounts");
    controller.abort(reason);
    await flush();
    expect(a.state).toBe("rejected");
    expect(a.error).toBe(reason);
    expect(b.state).toBe("pending");
    await s.completeLogon(0);
    expect(s.wire).toHaveLength(1);
    expect(s.wire[0]!.call.signal).not.toBe(controller.signal);
    expect(s.logon).toHaveBeenCalledTimes(1);
    // The logon's session serves later calls.
    void s.send(makeCall());
    await flush();
    expect(s.logon).toHaveBeenCalledTimes(1);
    expect(s.tokensSent()).toEqual(["CyberArk tok-1", "CyberArk tok-1"]);
  });

  it("aborting while the 401's renewal is under way rejects with the reason; the renewal goes on for the others", async () => {
    const s = setup();
    const controller = new AbortController();
    const a = track(s.send(makeCall({ signal: controller.signal })));
    await flush();
    await s.completeLogon(0);
    await s.answer(0, unauthorized());
    expect(s.logon).toHaveBeenCalledTimes(2);
    const b = track(s.send(makeCall()));
    const reason = new RequestAbortedError("GET /Accounts");
    controller.abort(reason);
    await flush();
    expect(a.error).toBe(reason);
    await s.completeLogon(1);
    expect(b.state).toBe("pending");
    expect(s.tokensSent()).toEqual(["CyberArk tok-1", "CyberArk tok-2"]);
  });

  it("an already aborted call waiting for a logon rejects at once with its reason", async () => {
    const s = setup();
    const controller = new AbortController();
    const reason = new RequestAbortedError("GET /Accounts");
    controller.abort(reason);
    await expect(s.send(makeCall({ signal: controller.signal }))).rejects.toBe(reason);
    expect(s.wire).toHaveLength(0);
  });
});
