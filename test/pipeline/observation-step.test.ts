// The observation steps alone (beforeRequestHooks, logAttempt, observeCall) and the retry observer,
// each over a fake `next` and a fake logger.
import { afterEach, beforeEach, describe, expect, it, vi, type Mock } from "vitest";
import type { Hooks, RequestInfo, RetryInfo } from "../../src/core/hooks.js";
import type { LogMeta } from "../../src/logging/logger.js";
import { REDACTED, SecretRegistry } from "../../src/logging/secret-registry.js";
import type { Call, Send } from "../../src/pipeline/call.js";
import { beforeRequestHooks, logAttempt, observeCall, retryObserver, type ObservationOptions } from "../../src/pipeline/observation-step.js";
import { makeCall, scriptedNext } from "./make-call.js";

const CANARY = "Canary-7f3a9c2e-token/+=";

type LogFn = Mock<(msg: string, meta?: LogMeta) => void>;
let logger: { debug: LogFn; info: LogFn; warn: LogFn; error: LogFn };
let secrets: SecretRegistry;

beforeEach(() => {
  const fn = (): LogFn => vi.fn<(msg: string, meta?: LogMeta) => void>();
  logger = { debug: fn(), info: fn(), warn: fn(), error: fn() };
  secrets = new SecretRegistry();
  secrets.add(CANARY);
});

afterEach(() => {
  vi.useRealTimers();
});

const options = (over: Partial<ObservationOptions> = {}): ObservationOptions => ({ hooks: undefined, logger, logRequests: false, secrets, ...over });

const loggerCalls = (): number => logger.debug.mock.calls.length + logger.info.mock.calls.length + logger.warn.mock.calls.length + logger.error.mock.calls.length;

describe("beforeRequestHooks", () => {
  it("without hooks: the call goes on as it is", async () => {
    const fake = scriptedNext(new Response("ok"));
    const call = makeCall();
    await beforeRequestHooks(options({ hooks: {} }))(fake.send)(call);
    expect(fake.sent[0]!.call).toBe(call);
  });

  it("hooks get a standard Request with the call's method, URL and exactly its headers, and the call's info", async () => {
    const seen: Array<{ request: Request; info: RequestInfo; headers: Record<string, string> }> = [];
    const hooks: Hooks = {
      beforeRequest: [(request, info) => void seen.push({ request, info, headers: Object.fromEntries(request.headers) })],
    };
    const call = makeCall({
      method: "PUT",
      url: "https://pvwa.example/PasswordVault/API/Accounts/12_3?x=1",
      headers: { accept: "application/json", "content-type": "application/json", "x-app": "a" },
      body: '{"name":"n"}',
      pathTemplate: "/Accounts/{id}",
      operation: { operationId: "UpdateAccount" },
      record: { attempts: 1 },
    });
    await beforeRequestHooks(options({ hooks }))(scriptedNext(new Response("ok")).send)(call);
    expect(seen).toHaveLength(1);
    const { request, info, headers } = seen[0]!;
    expect(request).toBeInstanceOf(Request);
    expect(request.method).toBe("PUT");
    expect(request.url).toBe("https://pvwa.example/PasswordVault/API/Accounts/12_3?x=1");
    expect(headers).toEqual({ accept: "application/json", "content-type": "application/json", "x-app": "a" });
    expect(info).toEqual({
      method: "PUT",
      url: "https://pvwa.example/PasswordVault/API/Accounts/12_3?x=1",
      pathTemplate: "/Accounts/{id}",
      operationId: "UpdateAccount",
      attempt: 1,
    });
  });

  it("info.attempt is the attempt about to be sent (record.attempts, counted by the retry step)", async () => {
    const attempts: number[] = [];
    const step = beforeRequestHooks(options({ hooks: { beforeRequest: [(_r, info) => void attempts.push(info.attempt)] } }));
    const call = makeCall();
    const send = step(scriptedNext(new Response("ok"), new Response("ok"), new Response("ok")).send);
    for (let i = 1; i <= 3; i++) {
      call.record.attempts = i;
      await send(call);
    }
    expect(attempts).toEqual([1, 2, 3]);
  });

  it("what the hooks set, change and delete is what next gets; hooks run in order, each awaited", async () => {
    const hooks: Hooks = {
      beforeRequest: [
        async (request) => {
          await Promise.resolve();
          request.headers.set("x-correlation-id", "c-1");
          request.headers.set("accept", "text/csv");
          request.headers.delete("x-app");
        },
        (request) => {
          request.headers.set("x-seen-by-second", request.headers.get("x-correlation-id") ?? "missing");
        },
      ],
    };
    const fake = scriptedNext(new Response("ok"));
    await beforeRequestHooks(options({ hooks }))(fake.send)(makeCall({ headers: { accept: "application/json", "x-app": "a" } }));
    expect(fake.sent[0]!.headers).toEqual({ accept: "text/csv", "x-correlation-id": "c-1", "x-seen-by-second": "c-1" });
  });

  it("the call itself is not changed: next gets a copy with the same method, URL, body, signal and record", async () => {
    const body = new Uint8Array([1, 2, 3]);
    const call = makeCall({ method: "POST", headers: { "content-type": "application/octet-stream" }, body });
    const fake = scriptedNext(new Response("ok"));
    await beforeRequestHooks(options({ hooks: { beforeRequest: [(r) => r.headers.set("x-a", "1")] } }))(fake.send)(call);
    const sent = fake.sent[0]!.call;
    expect(call.request.headers.has("x-a")).toBe(false);
    expect(sent.request.method).toBe("POST");
    expect(sent.request.url).toBe(call.request.url);
    expect(sent.request.body).toBe(body);
    expect(sent.signal).toBe(call.signal);
    expect(sent.record).toBe(call.record);
    expect(sent.retry).toBe(call.retry);
  });

  it("runs for every attempt, each time from the call's own headers (changes never pile up)", async () => {
    const hooks: Hooks = { beforeRequest: [(r) => r.headers.append("x-n", "1")] };
    const fake = scriptedNext(new Response("a"), new Response("b"));
    const send = beforeRequestHooks(options({ hooks }))(fake.send);
    const call = makeCall();
    await send(call);
    await send(call);
    expect(fake.sent.map((s) => s.headers["x-n"])).toEqual(["1", "1"]);
  });

  it("a hook that reads the body does not take it from the request sent", async () => {
    const fake = scriptedNext(new Response("ok"));
    const hooks: Hooks = { beforeRequest: [async (r) => void (await r.text())] };
    await beforeRequestHooks(options({ hooks }))(fake.send)(makeCall({ method: "POST", headers: { "content-type": "application/json" }, body: '{"a":1}' }));
    expect(fake.sent[0]!.call.request.body).toBe('{"a":1}');
  });

  it("a hook that throws ends the call with its error; nothing is sent", async () => {
    const error = new Error("hook failed");
    const fake = scriptedNext(new Response("ok"));
    const send = beforeRequestHooks(options({ hooks: { beforeRequest: [() => Promise.reject(error)] } }))(fake.send);
    await expect(send(makeCall())).rejects.toBe(error);
    expect(fake.sent).toHaveLength(0);
  });

  it("adds no header of its own (a string body without Content-Type stays without one)", async () => {
    const fake = scriptedNext(new Response("ok"));
    const hooks: Hooks = { beforeRequest: [(r) => r.headers.set("x-a", "1")] };
    await beforeRequestHooks(options({ hooks }))(fake.send)(makeCall({ method: "POST", headers: {}, body: "raw text" }));
    expect(fake.sent[0]!.headers).toEqual({ "x-a": "1" });
  });
});

describe("logAttempt", () => {
  it("logRequests false: the logger is never called, the call goes on as it is", async () => {
    const response = new Response("ok");
    const fake = scriptedNext(response);
    const call = makeCall();
    expect(await logAttempt(options())(fake.send)(call)).toBe(response);
    expect(fake.sent[0]!.call).toBe(call);
    expect(loggerCalls()).toBe(0);
  });

  it("logRequests true: one debug line per request sent, with the path only and secret query values redacted", async () => {
    const fake = scriptedNext(new Response("ok"), new Response("ok"));
    const send = logAttempt(options({ logRequests: true }))(fake.send);
    const call = makeCall({ url: "https://pvwa.example/PasswordVault/API/Accounts?search=web&password=hunter2", record: { attempts: 1 } });
    await send(call);
    call.record.attempts = 2;
    await send(call);
    expect(logger.debug.mock.calls).toEqual([
      ["request", { method: "GET", url: `/PasswordVault/API/Accounts?search=web&password=${REDACTED}`, attempt: 1 }],
      ["request", { method: "GET", url: `/PasswordVault/API/Accounts?search=web&password=${REDACTED}`, attempt: 2 }],
    ]);
    expect(loggerCalls()).toBe(2);
  });

  it("logs before sending, also when the request then fails", async () => {
    const error = new Error("reset");
    const send = logAttempt(options({ logRequests: true }))(scriptedNext(error).send);
    await expect(send(makeCall())).rejects.toBe(error);
    expect(logger.debug).toHaveBeenCalledTimes(1);
  });
});

describe("observeCall", () => {
  it("logRequests false: the logger is never called, on success or failure", async () => {
    const hooks: Hooks = { afterResponse: [() => undefined] };
    await observeCall(options({ hooks }))(scriptedNext(new Response("ok")).send)(makeCall());
    await observeCall(options({ hooks }))(scriptedNext(new Error("x")).send)(makeCall()).catch(() => undefined);
    expect(loggerCalls()).toBe(0);
  });

  it("logRequests true: one debug line for the final response, with status, attempts and duration", async () => {
    vi.useFakeTimers({ now: new Date("2025-03-01T12:00:00Z") });
    const send = observeCall(options({ logRequests: true }))(async (call) => {
      await vi.advanceTimersByTimeAsync(1234);
      call.record.attempts = 3;
      return new Response("", { status: 404 });
    });
    await send(makeCall({ method: "DELETE", url: "https://pvwa.example/PasswordVault/API/Accounts/1?token=abc" }));
    expect(logger.debug.mock.calls).toEqual([
      ["response", { method: "DELETE", url: `/PasswordVault/API/Accounts/1?token=${REDACTED}`, status: 404, attempts: 3, durationMs: 1234 }],
    ]);
    expect(loggerCalls()).toBe(1);
  });

  it("a call that fails: no response line, no afterResponse hook, the error goes back as it is", async () => {
    const error = new Error("boom");
    const after = vi.fn();
    const send = observeCall(options({ logRequests: true, hooks: { afterResponse: [after] } }))(scriptedNext(error).send);
    await expect(send(makeCall())).rejects.toBe(error);
    expect(after).not.toHaveBeenCalled();
    expect(logger.debug).not.toHaveBeenCalled();
  });

  it("without afterResponse hooks the response goes back as it is (even with a secret in a header)", async () => {
    const response = new Response("ok", { headers: { "x-echo": CANARY } });
    expect(await observeCall(options())(scriptedNext(response).send)(makeCall())).toBe(response);
  });

  it("afterResponse hooks run once, on the final response, with the call's info", async () => {
    const seen: Array<[Response, RequestInfo]> = [];
    const response = new Response("ok", { headers: { "x-request-id": "r1" } });
    const next: Send = async (call: Call) => {
      call.record.attempts = 3;
      return response;
    };
    const result = await observeCall(options({ hooks: { afterResponse: [(r, info) => void seen.push([r, info])] } }))(next)(
      makeCall({ pathTemplate: "/Accounts", operation: { operationId: "GetAccounts" } }),
    );
    expect(result).toBe(response);
    expect(seen).toHaveLength(1);
    expect(seen[0]![0]).toBe(response);
    expect(seen[0]![1]).toMatchObject({ method: "GET", pathTemplate: "/Accounts", operationId: "GetAccounts", attempt: 3 });
  });

  it("a hook may replace the response; undefined keeps it; the next hook sees the replacement", async () => {
    const original = new Response("original");
    const replacement = new Response("replacement", { status: 201 });
    const seenBySecond: Response[] = [];
    const hooks: Hooks = {
      afterResponse: [
        async () => replacement,
        (r) => {
          seenBySecond.push(r);
          return undefined;
        },
      ],
    };
    const result = await observeCall(options({ hooks }))(scriptedNext(original).send)(makeCall());
    expect(result).toBe(replacement);
    expect(seenBySecond).toEqual([replacement]);
    expect(await result.text()).toBe("replacement");
  });

  it("an afterResponse hook that throws ends the call with its error", async () => {
    const error = new Error("after failed");
    const send = observeCall(options({ hooks: { afterResponse: [() => Promise.reject(error)] } }))(scriptedNext(new Response("ok")).send);
    await expect(send(makeCall())).rejects.toBe(error);
  });

  it("header values holding a known secret (any spelling) are redacted before the hooks see them; the rest is kept", async () => {
    const original = new Response('{"value":[]}', {
      status: 401,
      statusText: "Unauthorized",
      headers: [
        ["content-type", "application/json"],
        ["www-authenticate", `Bearer error="invalid_token", token="${CANARY}"`],
        ["x-echo-encoded", `q=${encodeURIComponent(CANARY)}`],
        ["set-cookie", `a=${CANARY}; Path=/`],
        ["set-cookie", "b=2; Path=/"],
        ["x-request-id", "r1"],
      ],
    });
    Object.defineProperty(original, "url", { value: "https://pvwa.example/PasswordVault/API/Accounts" });
    let seen: Response | undefined;
    const result = await observeCall(options({ hooks: { afterResponse: [(r) => void (seen = r)] } }))(scriptedNext(original).send)(makeCall());
    expect(seen).toBeDefined();
    const values = [...seen!.headers].map(([, v]) => v).join("\n");
    expect(values).not.toContain(CANARY);
    expect(values).not.toContain(encodeURIComponent(CANARY));
    expect(seen!.headers.get("www-authenticate")).toBe(`Bearer error="invalid_token", token="${REDACTED}"`);
    expect(seen!.headers.getSetCookie()).toEqual([`a=${REDACTED}; Path=/`, "b=2; Path=/"]);
    expect(seen!.headers.get("x-request-id")).toBe("r1");
    expect(seen!.headers.get("content-type")).toBe("application/json");
    expect(seen!.status).toBe(401);
    expect(seen!.statusText).toBe("Unauthorized");
    expect(seen!.url).toBe("https://pvwa.example/PasswordVault/API/Accounts");
    expect(await seen!.text()).toBe('{"value":[]}');
    // The caller gets the redacted response the hooks saw.
    expect(result).toBe(seen);
  });

  it("with nothing to redact the hooks get the response itself, not a copy", async () => {
    const response = new Response("ok", { headers: { "x-request-id": "r1" } });
    let seen: Response | undefined;
    await observeCall(options({ hooks: { afterResponse: [(r) => void (seen = r)] } }))(scriptedNext(response).send)(makeCall());
    expect(seen).toBe(response);
  });
});

describe("retryObserver", () => {
  it("logRetries true: one info line per retry, path redacted; false (the level is above info): none", async () => {
    const call = makeCall({ url: "https://pvwa.example/PasswordVault/API/Accounts?apikey=k", record: { attempts: 2 } });
    await retryObserver(options({ logRetries: true }))(call, "server-error", 250, 503);
    expect(logger.info.mock.calls).toEqual([
      [`retrying GET /PasswordVault/API/Accounts?apikey=${REDACTED}: server-error`, { delayMs: 250, status: 503, attempt: 2 }],
    ]);
    logger.info.mockClear();
    // Per-request lines (debug) do not turn retry lines on.
    await retryObserver(options({ logRequests: true, logRetries: false }))(call, "server-error", 250, 503);
    expect(loggerCalls()).toBe(0);
  });

  it("beforeRetry hooks get the call's info with reason, delay and status, in order, each awaited", async () => {
    const seen: Array<[string, RetryInfo]> = [];
    const hooks: Hooks = {
      beforeRetry: [
        async (info) => {
          await Promise.resolve();
          seen.push(["first", info]);
        },
        (info) => void seen.push(["second", info]),
      ],
    };
    const call = makeCall({ pathTemplate: "/Accounts", operation: { operationId: "GetAccounts" }, record: { attempts: 1 } });
    await retryObserver(options({ hooks }))(call, "rate-limited", 3000, 429);
    expect(seen.map(([who]) => who)).toEqual(["first", "second"]);
    expect(seen[0]![1]).toEqual({
      method: "GET",
      url: call.request.url,
      pathTemplate: "/Accounts",
      operationId: "GetAccounts",
      attempt: 1,
      reason: "rate-limited",
      delayMs: 3000,
      status: 429,
    });
  });

  it("a network error has no status: the info has no status key", async () => {
    let info: RetryInfo | undefined;
    await retryObserver(options({ hooks: { beforeRetry: [(i) => void (info = i)] } }))(makeCall(), "network-error", 500);
    expect(info).toBeDefined();
    expect("status" in info!).toBe(false);
  });

  it("a throwing beforeRetry hook rejects (the retry step then stops)", async () => {
    const error = new Error("retry hook failed");
    await expect(retryObserver(options({ hooks: { beforeRetry: [() => Promise.reject(error)] } }))(makeCall(), "server-error", 0, 503)).rejects.toBe(error);
  });
});
