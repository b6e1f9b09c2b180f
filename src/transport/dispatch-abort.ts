// Cancelling one of undici's fetches without giving it an AbortSignal (see core/cancellation.ts
// for why). undici's fetch starts its dispatch synchronously inside the fetch() call and hands the
// dispatch handler an abort function in onConnect; the client's dispatcher is wrapped so that the
// dispatch started while a DispatchAbort waits for it lends it that function. Aborting then ends
// the request on the wire exactly as a fetch signal would (before or during the body); only the
// error differs: fetch fails with a TypeError caused by the reason, which the transport and the
// typed client report as the cancellation's own reason.
import { Dispatcher } from "undici";

type AbortFn = (reason?: unknown) => void;

/** The parts of undici's fetch dispatch handler this module hooks. */
interface FetchDispatchHandler {
  onConnect?: (abort: AbortFn, context?: unknown) => void;
  onComplete?: (...args: unknown[]) => void;
  onError?: (error: unknown) => void;
}

/** The abort handle of one fetch. */
export class DispatchAbort {
  #abortFn: AbortFn | undefined;
  #aborted = false;
  #reason: unknown;
  #finished = false;
  /** True once the fetch's dispatch was handed over and hooked. */
  attached = false;
  /** Runs once when the exchange ends (complete or failed). */
  onFinish: (() => void) | undefined;

  abort(reason: unknown): void {
    if (this.#aborted || this.#finished) return;
    this.#aborted = true;
    this.#reason = reason;
    this.#abortFn?.(reason);
  }

  /** Hooks the handler undici's fetch gave its dispatch; false when it is not the expected shape. */
  attach(handler: FetchDispatchHandler): boolean {
    const { onConnect, onComplete, onError } = handler;
    if (typeof onConnect !== "function" || typeof onComplete !== "function" || typeof onError !== "function") return false;
    const self = this;
    handler.onConnect = function (this: unknown, abort, context) {
      self.#abortFn = abort;
      onConnect.call(this, abort, context);
      // Aborted while the request still waited for a connection.
      if (self.#aborted) abort(self.#reason);
    };
    handler.onComplete = function (this: unknown, ...args) {
      self.#finish();
      return onComplete.apply(this, args);
    };
    handler.onError = function (this: unknown, error) {
      self.#finish();
      return onError.call(this, error);
    };
    this.attached = true;
    return true;
  }

  #finish(): void {
    if (this.#finished) return;
    this.#finished = true;
    this.#abortFn = undefined;
    this.onFinish?.();
  }
}

/** Wraps a dispatcher so a DispatchAbort can take over the next dispatch. */
export class AbortableDispatcher extends Dispatcher {
  readonly #inner: Dispatcher;
  #waiting: DispatchAbort | undefined;

  constructor(inner: Dispatcher) {
    super();
    this.#inner = inner;
  }

  /** Runs `start` (which must start one fetch through this dispatcher) with `handle` waiting for its dispatch. */
  withAbort<T>(handle: DispatchAbort, start: () => T): T {
    this.#waiting = handle;
    try {
      return start();
    } finally {
      this.#waiting = undefined;
    }
  }

  override dispatch(options: Dispatcher.DispatchOptions, handler: Dispatcher.DispatchHandler): boolean {
    const waiting = this.#waiting;
    if (waiting !== undefined) {
      this.#waiting = undefined;
      waiting.attach(handler as FetchDispatchHandler);
    }
    return this.#inner.dispatch(options, handler);
  }

  override close(): Promise<void> {
    return this.#inner.close();
  }

  override destroy(): Promise<void> {
    return this.#inner.destroy();
  }
}
