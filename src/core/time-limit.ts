// Every time limit and delay a caller gives ends up in a Node timer, which holds at most 2^31 - 1 ms (about
// 24.8 days) and fires after 1 ms when given more: "30 days" written for "no limit" would fail every call at
// once. Such values are refused up front, with the way to say "no limit".
import { ConfigurationError } from "../errors/configuration.js";

export const MAX_TIMER_MS = 2 ** 31 - 1;

/** The value when it is a whole-or-fractional millisecond count from 0 to MAX_TIMER_MS; else a ConfigurationError. */
export function checkMilliseconds(name: string, value: unknown, zeroMeans = "no limit"): number {
  if (typeof value === "number" && value >= 0 && value <= MAX_TIMER_MS) return value;
  throw new ConfigurationError(
    `${name} must be a number of milliseconds from 0 to ${MAX_TIMER_MS} (about 24.8 days; 0 means ${zeroMeans}), got ${String(value)}`,
  );
}
