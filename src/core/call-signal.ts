// One AbortSignal per call (API call, logon request, platform discovery), aborted with the error the
// caller should get: TimeoutError when its time limit runs out, RequestAbortedError when the caller's
// own signal fires, TransportClosedError when the client closes. Every wait, send and body read of
// the call follows this one signal.
import { RequestAbortedError } from "../errors/aborted.js";
import { TimeoutError } from "../errors/timeout.js";
import { TransportClosedError } from "../errors/transport-closed.js";

export interface CallSignal {
  readonly signal: AbortSignal;
  /** Stops the timer and the listeners; call it when the call is over. */
  dispose(): void;
}

export interface CallSignalOptions {
  /** Names the call in the errors, e.g. "GET /Accounts". */
  what: string;
  /** 0 or Infinity = no time limit. */
  timeoutMs: number;
  /** The caller's signal. */
  caller?: AbortSignal | undefined;
  /** The client's: fires when close() starts. */
  closing?: AbortSignal | undefined;
}

export function callSignal({ what, timeoutMs, caller, closing }: CallSignalOptions): CallSignal {
  const controller = new AbortController();
  const onCaller = (): void => controller.abort(new RequestAbortedError(what, caller!.reason));
  const onClosing = (): void => controller.abort(new TransportClosedError());
  if (closing?.aborted) onClosing();
  else if (caller?.aborted) onCaller();
  closing?.addEventListener("abort", onClosing);
  caller?.addEventListener("abort", onCaller);
  const timer = timeoutMs > 0 && Number.isFinite(timeoutMs) ? setTimeout(() => controller.abort(new TimeoutError(timeoutMs, what)), timeoutMs) : undefined;
  return {
    signal: controller.signal,
    dispose() {
      if (timer !== undefined) clearTimeout(timer);
      closing?.removeEventListener("abort", onClosing);
      caller?.removeEventListener("abort", onCaller);
    },
  };
}
