// The message that travels through the pipeline: one API call, its request and what the steps
// learn on the way. A step is a function that takes the next `send` and returns its own; the
// pipeline is the steps wrapped around the transport, outermost first (see pipeline.ts).
import type { OperationInfo } from "../core/operation.js";
import type { RetryOptions } from "../core/retry-policy.js";
import type { HttpRequest } from "../transport/http-request.js";

export interface Call {
  /** The request as this step is to send it; steps pass a changed copy inward, never mutate it. */
  readonly request: HttpRequest;
  /** Fires on the caller's abort, the call's time limit or the client closing; its reason is the error to throw. */
  readonly signal: AbortSignal;
  /** "/Accounts/{id}": the typed call's path template. */
  readonly pathTemplate: string;
  readonly operation: OperationInfo | undefined;
  readonly retry: Readonly<RetryOptions>;
  /**
   * Read the whole body inside the pipeline (every parseAs but "stream"), so a body cut short is
   * retried; the bytes go to `record.body`, and the response's own body is then used up.
   */
  readonly readBody: boolean;
  /** What happened to the call, written by the steps that know it, read for the caller's error. */
  readonly record: CallRecord;
}

export interface CallRecord {
  /** Requests sent so far (1 for the first, 2 after a retry or replay, ...). */
  attempts: number;
  /** The request was replayed after a fresh logon. */
  afterRelogon: boolean;
  /** The server asked to wait this long before a 429 that was not retried. */
  retryAfterMs: number | undefined;
  /** The body read for the latest attempt (readBody), with the response it belongs to. */
  body: { readonly response: Response; readonly bytes: ArrayBuffer } | undefined;
}

/**
 * The whole body of `response`: the bytes the pipeline read for it, or read now. (Without a copy of
 * the response: building a Response around bytes costs more than the rest of the client's work.)
 */
export function bodyOf(record: CallRecord, response: Response): Promise<ArrayBuffer> {
  const read = record.body;
  return read !== undefined && read.response === response ? Promise.resolve(read.bytes) : response.arrayBuffer();
}

export type Send = (call: Call) => Promise<Response>;
export type Step = (next: Send) => Send;

/** `steps` wrapped around `last`, the first step outermost. */
export function pipe(steps: readonly Step[], last: Send): Send {
  return steps.reduceRight<Send>((next, step) => step(next), last);
}
