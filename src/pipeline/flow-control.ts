// How much one client asks of the server, as data: how many requests at once, whether to learn and
// keep to the server's rate from its 429s, and how many retries an outage may cost. Shared by every
// call of that client, never by two clients.
import { ConfigurationError } from "../errors/configuration.js";

export interface FlowControlOptions {
  /** Requests on the wire at once; the others wait their turn in arrival order. */
  maxConcurrentRequests: number;
  /** Learn the server's rate from 429 answers and space sends to it (adaptive-rate.ts). */
  adaptiveRate: boolean;
  /** Retry tokens for retries after 5xx and network errors: 5 per retry, earned back by successes; 0 = no quota. */
  retryQuota: number;
}

/** Polite to a PVWA: ten requests at once, paced after the first 429, an outage costs at most 100 retries. */
export const DEFAULT_FLOW_CONTROL: Readonly<FlowControlOptions> = Object.freeze({
  maxConcurrentRequests: 10,
  adaptiveRate: true,
  retryQuota: 500,
});

export function flowControlOf(overrides: Partial<FlowControlOptions> | undefined): Readonly<FlowControlOptions> {
  const merged: FlowControlOptions = { ...DEFAULT_FLOW_CONTROL };
  for (const [key, value] of Object.entries(overrides ?? {})) {
    if (!(key in DEFAULT_FLOW_CONTROL)) {
      throw new ConfigurationError(`flowControl has no option "${key}" (it has: ${Object.keys(DEFAULT_FLOW_CONTROL).join(", ")})`);
    }
    // An option given as undefined keeps its default, as an absent one does.
    if (value !== undefined) (merged as unknown as Record<string, unknown>)[key] = value;
  }
  const { maxConcurrentRequests, adaptiveRate, retryQuota } = merged;
  if (!Number.isInteger(maxConcurrentRequests) || maxConcurrentRequests < 1) {
    throw new ConfigurationError(`flowControl.maxConcurrentRequests must be a whole number of at least 1, got ${String(maxConcurrentRequests)}`);
  }
  if (typeof adaptiveRate !== "boolean") throw new ConfigurationError("flowControl.adaptiveRate must be true or false");
  if (!Number.isInteger(retryQuota) || retryQuota < 0) {
    throw new ConfigurationError(`flowControl.retryQuota must be a whole number of 0 or more, got ${String(retryQuota)}`);
  }
  return merged;
}
