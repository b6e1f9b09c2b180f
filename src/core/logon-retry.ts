// A logon that failed for a passing reason (502, 503, 504 from a gateway or a restarting PVWA, or no answer)
// is tried again a few times: otherwise one 503 fails every call waiting on that logon. Never when the strategy
// says a second try could repeat what the first may already have done (a password change, a single-use OTP).
import { CyberArkError } from "../errors/base.js";
import { NetworkError } from "../errors/network.js";
import { sleep } from "./wait.js";

const PASSING_STATUSES = new Set([502, 503, 504]);

export interface LogonRetryOptions {
  /** Tries after the first. */
  retries: number;
  baseDelayMs: number;
  maxDelayMs: number;
  /** Asked before each retry. */
  mayRetry: () => boolean;
  /** Ends the waits (the client closing). */
  cancel: AbortSignal;
}

export function isPassingLogonFailure(error: unknown): boolean {
  if (error instanceof NetworkError) return true;
  const status = error instanceof CyberArkError ? (error as { status?: unknown }).status : undefined;
  return typeof status === "number" && PASSING_STATUSES.has(status);
}

export async function logonWithRetries<T>(logon: () => Promise<T>, options: LogonRetryOptions): Promise<T> {
  for (let retry = 0; ; retry++) {
    try {
      return await logon();
    } catch (error) {
      if (retry >= options.retries || !isPassingLogonFailure(error) || !options.mayRetry()) throw error;
      // Full jitter, as for calls: many clients restarted together do not log on in step.
      const cap = Math.min(options.maxDelayMs, options.baseDelayMs * 2 ** retry);
      await sleep(Math.random() * cap, options.cancel);
    }
  }
}
