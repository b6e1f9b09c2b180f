// The per-request time limit ran out (while connecting, waiting for a response, reading it, or
// waiting before a retry).
import { CyberArkError } from "./base.js";

export class TimeoutError extends CyberArkError {
  readonly kind = "TIMEOUT" as const;
  readonly timeoutMs: number;

  constructor(timeoutMs: number, what = "the request") {
    super(`${what} did not finish within ${timeoutMs} ms`);
    this.timeoutMs = timeoutMs;
  }

  protected override details(): Record<string, unknown> {
    return { timeoutMs: this.timeoutMs };
  }
}
