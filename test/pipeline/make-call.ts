// Hand-built pipeline calls and scripted fakes for testing one step alone.
import type { Call, CallRecord, Send } from "../../src/pipeline/call.js";
import type { OperationInfo } from "../../src/core/operation.js";
import { DEFAULT_RETRY, type RetryOptions } from "../../src/core/retry-policy.js";
import type { HttpRequest } from "../../src/transport/http-request.js";

export const ORIGIN = "https://pvwa.example";

export interface CallInit {
  method?: string;
  url?: string;
  headers?: ConstructorParameters<typeof Headers>[0];
  body?: string | Uint8Array | null;
  signal?: AbortSignal;
  pathTemplate?: string;
  operation?: OperationInfo;
  retry?: Partial<RetryOptions>;
  readBody?: boolean;
  record?: Partial<CallRecord>;
}

/** A call as the typed client builds it: nothing sent yet (attempts 0), no abort. */
export function makeCall(init: CallInit = {}): Call {
  const request: HttpRequest = {
    method: init.method ?? "GET",
    url: init.url ?? `${ORIGIN}/PasswordVault/API/Accounts`,
    headers: new Headers(init.headers ?? { accept: "application/json" }),
    body: init.body ?? null,
  };
  return {
    request,
    signal: init.signal ?? new AbortController().signal,
    pathTemplate: init.pathTemplate ?? "/Accounts",
    operation: init.operation,
    retry: { ...DEFAULT_RETRY, ...init.retry },
    readBody: init.readBody ?? true,
    record: { attempts: 0, afterRelogon: false, retryAfterMs: undefined, body: undefined, ...init.record },
  };
}

/** One scripted answer of a fake `next`: a response, an error to throw, or a function of the call. */
export type Answer = Response | Error | ((call: Call) => Response | Promise<Response>);

export interface Sent {
  call: Call;
  /** Header values as they were when the call reached `next` (a copy). */
  headers: Record<string, string>;
  /** Fake clock (Date.now()) when it was sent. */
  at: number;
  /** call.record.attempts when it was sent. */
  attempts: number;
}

export interface FakeNext {
  send: Send;
  sent: Sent[];
}

/**
 * A fake `next` that answers with `answers` in order (the last one again once they run out) and
 * records every call it got. A Response answer is given once: script a function to answer afresh.
 */
export function scriptedNext(...answers: Answer[]): FakeNext {
  const sent: Sent[] = [];
  let index = 0;
  const send: Send = async (call) => {
    sent.push({ call, headers: Object.fromEntries(call.request.headers), at: Date.now(), attempts: call.record.attempts });
    const answer = answers[Math.min(index++, answers.length - 1)];
    if (answer === undefined) throw new Error("scriptedNext: no answer scripted");
    if (answer instanceof Error) throw answer;
    if (typeof answer === "function") return answer(call);
    return answer;
  };
  return { send, sent };
}

export interface Deferred<T> {
  promise: Promise<T>;
  resolve: (value: T) => void;
  reject: (error: unknown) => void;
}

export function deferred<T>(): Deferred<T> {
  let resolve!: (value: T) => void;
  let reject!: (error: unknown) => void;
  const promise = new Promise<T>((res, rej) => {
    resolve = res;
    reject = rej;
  });
  return { promise, resolve, reject };
}

/** Lets every pending promise continuation run (no timers involved). */
export async function flush(turns = 20): Promise<void> {
  for (let i = 0; i < turns; i++) await Promise.resolve();
}

/** Settled state of a promise without awaiting it (for "still waiting" checks). */
export function track<T>(promise: Promise<T>): { readonly state: "pending" | "resolved" | "rejected"; readonly value: T | undefined; readonly error: unknown } {
  const tracked = { state: "pending" as "pending" | "resolved" | "rejected", value: undefined as T | undefined, error: undefined as unknown };
  promise.then(
    (value) => {
      tracked.state = "resolved";
      tracked.value = value;
    },
    (error: unknown) => {
      tracked.state = "rejected";
      tracked.error = error;
    },
  );
  return tracked;
}

export const json = (status: number, body: unknown, headers: Record<string, string> = {}): Response =>
  new Response(body === undefined ? null : JSON.stringify(body), { status, headers: { "content-type": "application/json", ...headers } });

/** A response with a status that cannot carry a body given no body. */
export const status = (code: number, headers: Record<string, string> = {}): Response =>
  new Response([101, 204, 205, 304].includes(code) ? null : "", { status: code, headers });
