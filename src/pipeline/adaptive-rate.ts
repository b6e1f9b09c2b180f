// Client-side rate limiting that learns the server's limit from its 429 answers (the idea of AWS SDK
// v3's adaptive retry mode, kept simple). Until the first 429 nothing is paced. A 429 sets the limit
// to what the server just accepted (successes in the last second, less a small margin); from then on
// a send may leave only while fewer than that many sends left in the last second: a bucket of N sends
// per second, shared by every call of the client. A burst of waiting calls then goes out at the
// learnt rate instead of all at once, and no one-second span (so no window of the server's) ever
// holds more than the limit. Each second without a 429 raises the limit a little, so a limit that
// went up is found again; a Retry-After longer than a second pauses every send.

/** Share of the measured rate kept after a 429: room for clocks and window edges. */
const MARGIN = 0.98;
/** Growth per second without a 429: slow, since each probe past the limit costs a refused request. */
const PROBE = 1.005;
/** The measuring window: the server's limits are per second. */
const WINDOW_MS = 1_000;

export class AdaptiveRate {
  /** Sends per second; undefined until the first 429 (no pacing). */
  #limit: number | undefined;
  /** Times the most recent sends left (or will leave), oldest first; at most the limit of them. */
  #sends: number[] = [];
  /** No send before this (a Retry-After longer than the window). */
  #pausedUntil = 0;
  /** When a 429 last set the limit: the 429s of requests sent before it do not teach it again. */
  #learnedAt = Number.NEGATIVE_INFINITY;
  /** When the limit last grew. */
  #grownAt = 0;
  /** Times of the successful answers of the last second, oldest first. */
  #successes: number[] = [];
  readonly #now: () => number;

  constructor(now: () => number = Date.now) {
    this.#now = now;
  }

  /** The learnt limit in requests per second, or undefined while nothing limits sends. */
  get limit(): number | undefined {
    return this.#limit;
  }

  /** Milliseconds to wait before sending; reserves that moment for the caller. */
  reserve(): number {
    const now = this.#now();
    let at = Math.max(now, this.#pausedUntil);
    if (this.#limit !== undefined) {
      const allowed = Math.max(1, Math.floor(this.#limit));
      const sends = this.#sends;
      if (sends.length >= allowed) at = Math.max(at, sends[sends.length - allowed]! + WINDOW_MS);
      at = Math.max(at, sends[sends.length - 1] ?? at);
      sends.push(at);
      if (sends.length > allowed) sends.splice(0, sends.length - allowed);
    }
    return at - now;
  }

  /** A request sent at `sentAt` was answered with `status` (and the server's Retry-After in ms, if any). */
  answered(sentAt: number, status: number, retryAfterMs: number | undefined): void {
    const now = this.#now();
    if (status !== 429) {
      if (status < 500) this.#succeeded(now);
      return;
    }
    if (retryAfterMs !== undefined && retryAfterMs > WINDOW_MS) this.#pausedUntil = Math.max(this.#pausedUntil, now + retryAfterMs);
    // The 429s of requests already on the wire when the limit was set teach nothing new.
    if (sentAt < this.#learnedAt) return;
    this.#forgetBefore(now - WINDOW_MS);
    const accepted = this.#successes.length;
    const measured = Math.max(1, accepted * MARGIN);
    this.#limit = this.#limit === undefined ? measured : Math.min(this.#limit, measured);
    // What the server counted in this second counts against the limit too.
    if (this.#sends.length === 0) this.#sends = this.#successes.slice(-Math.floor(this.#limit));
    this.#learnedAt = now;
    this.#grownAt = now;
  }

  #succeeded(now: number): void {
    this.#successes.push(now);
    this.#forgetBefore(now - WINDOW_MS);
    if (this.#limit !== undefined && now - this.#grownAt >= WINDOW_MS) {
      this.#limit *= PROBE;
      this.#grownAt = now;
    }
  }

  #forgetBefore(time: number): void {
    let old = 0;
    while (old < this.#successes.length && this.#successes[old]! <= time) old++;
    if (old > 0) this.#successes.splice(0, old);
  }
}
