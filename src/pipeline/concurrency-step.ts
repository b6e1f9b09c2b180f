// At most `limit` requests of one client on the wire at once; the others wait their turn in arrival
// order. It keeps a burst (a thousand calls started together, or released together when a shared
// logon ends) from opening a thousand connections to a PVWA and from flooding the event loop.
// A call holds its place from before its Authorization is chosen until its answer arrived, so a
// queued call never leaves later with a token that went stale while it waited.
import type { Call, Step } from "./call.js";

export function concurrencyStep(limit: number): Step {
  let running = 0;
  const waiting: Array<() => void> = [];

  const release = (): void => {
    const wake = waiting.shift();
    if (wake) wake();
    else running--;
  };

  const acquire = (signal: AbortSignal): Promise<void> => {
    if (signal.aborted) return Promise.reject(signal.reason);
    if (running < limit) {
      running++;
      return Promise.resolve();
    }
    return new Promise((resolve, reject) => {
      // The place passes on directly (running stays the same) when a request ends.
      const wake = (): void => {
        signal.removeEventListener("abort", onAbort);
        resolve();
      };
      const onAbort = (): void => {
        waiting.splice(waiting.indexOf(wake), 1);
        reject(signal.reason);
      };
      signal.addEventListener("abort", onAbort, { once: true });
      waiting.push(wake);
    });
  };

  return (next) => async (call: Call) => {
    // A free place is taken at once, without waiting a turn of the event loop.
    if (running < limit && !call.signal.aborted) running++;
    else await acquire(call.signal);
    try {
      return await next(call);
    } finally {
      release();
    }
  };
}
