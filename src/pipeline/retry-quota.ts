// A retry quota per client (AWS SDK v3's standard retry mode): retries after 5xx answers and network
// errors spend tokens, successes earn them back. When an outage answers every call with an error,
// the quota runs out and calls fail after their first attempt instead of multiplying the traffic by
// the retry limit; once the server answers again, successes refill it. 429s are not charged: the
// adaptive rate (adaptive-rate.ts) paces those.

/** Tokens one retry costs. */
export const RETRY_COST = 5;
/** Tokens a call that succeeded at its first attempt earns back. */
const SUCCESS_REWARD = 1;

export class RetryQuota {
  readonly #capacity: number;
  #tokens: number;

  /** `capacity` 0 = no quota (retries are limited by the retry options alone). */
  constructor(capacity: number) {
    this.#capacity = capacity;
    this.#tokens = capacity;
  }

  get tokens(): number {
    return this.#tokens;
  }

  /** Takes the cost of one retry; false when the quota is spent. */
  take(): boolean {
    if (this.#capacity === 0) return true;
    if (this.#tokens < RETRY_COST) return false;
    this.#tokens -= RETRY_COST;
    return true;
  }

  /** A call succeeded after `retries` charged retries: their cost comes back, or the reward for a first-time success. */
  succeeded(retries: number): void {
    if (this.#capacity === 0) return;
    this.#tokens = Math.min(this.#capacity, this.#tokens + (retries > 0 ? retries * RETRY_COST : SUCCESS_REWARD));
  }
}
