// Per-call cancellation (timeout or the caller's abort) without an AbortSignal. On Node 20 every
// AbortSignal is a transferable platform object: creating one costs about as much as the rest of
// the client's own work on a request, and handing it to undici's fetch adds a listener, a WeakRef
// and a FinalizationRegistry entry. A call's cancellation is only ever seen by the client, so a
// plain object with the same small surface serves, and the transport aborts the request through
// its dispatcher instead (transport/dispatch-abort.ts).

/** What waits and sends need of an abort source: an AbortSignal or a Cancellation. */
export interface AbortLike {
  readonly aborted: boolean;
  readonly reason: unknown;
  addEventListener(type: "abort", listener: () => void, options?: { once?: boolean }): void;
  removeEventListener(type: "abort", listener: () => void): void;
}

export class Cancellation implements AbortLike {
  #aborted = false;
  #reason: unknown;
  /** Usually none or one (the current wait or send); listeners run once, in order. */
  #listeners: Array<() => void> = [];

  get aborted(): boolean {
    return this.#aborted;
  }

  get reason(): unknown {
    return this.#reason;
  }

  abort(reason: unknown): void {
    if (this.#aborted) return;
    this.#aborted = true;
    this.#reason = reason;
    const listeners = this.#listeners;
    this.#listeners = [];
    for (const listener of listeners) listener();
  }

  /** Like AbortSignal's: every listener fires at most once, on the first abort. */
  addEventListener(_type: "abort", listener: () => void): void {
    if (!this.#aborted) this.#listeners.push(listener);
  }

  removeEventListener(_type: "abort", listener: () => void): void {
    const at = this.#listeners.indexOf(listener);
    if (at >= 0) this.#listeners.splice(at, 1);
  }
}
