// Client-side rate limiting that learns the server's limit from its 429 answers (the idea of AWS SDK
// v3's adaptive retry mode, kept simple). Until the first 429 nothing is paced. A 429 sets the limit
// to what the server accepted before refusing: the successes since its previous refusal (a server
// that counts per window accepts exactly its limit between two refusals), at most those of the last
// second. From then on a send may leave only while fewer than that many
// sends left in the last second (plus a little for network jitter): a bucket of N sends per second,
// shared by every call of the client. A burst of waiting calls then goes out at the learnt rate
// instead of all at once, and no one-second span, so no window of the server's, holds more than the
// limit. Each second without a 429 raises the limit a little, so a limit that went up is found
// again; a Retry-After longer than a second pauses every send.

/** Growth per second without a 429: slow, since each probe past the limit costs a refused request. */
const PROBE = 1.005;
/** The server's limits are per second. */
const WINDOW_MS = 1_000;
/** Spacing added to the window for network jitter (a request may arrive later than the next one). */
const JITTER_MS = 20;

export class AdaptiveRate {
  /** Sends per second; undefined until the first 429 (no pacing). */
  #limit: number | undefined;
  /** Times the most recent sends left (or will leave), oldest first; at most the limit of them. */
  #sends: number[] = [];
  /** No send before this (a Retry-After longer than the window). */
  #pausedUntil = 0;
  /** When the limit last grew. */
  #grownAt = 0;
  /** Times of the successful answers of the last second, oldest first. */
  #recent: number[] = [];
  /** Index of the oldest success still in the last second (older ones are dropped in batches). */
  #recentStart = 0;
  /** Successes since the last 429; undefined before the first one. */
  #sinceRefusal: number | undefined;
  readonly #now: () => number;

  constructor(now: () => number = Date.now) {
    this.#now = now;
  }

  /** The learnt limit in requests per second, or undefined while nothing limits sends. */
  get limit(): number | undefined {
    return this.#limit;
  }

  /**
   * Milliseconds to wait before sending; reserves that moment for the caller. A Retry-After pause
   * longer than `maxPauseMs` (the call's retry budget) is not waited out: the call goes, and its own
   * 429 ends it at once as a RateLimitError, instead of it hanging until its time limit.
   */
  reserve(maxPauseMs = Number.POSITIVE_INFINITY): number {
    const now = this.#now();
    let at = this.#pausedUntil - now > maxPauseMs ? now : Math.max(now, this.#pausedUntil);
    if (this.#limit !== undefined) {
      const allowed = Math.max(1, Math.floor(this.#limit));
      const sends = this.#sends;
      if (sends.length >= allowed) at = Math.max(at, sends[sends.length - allowed]! + WINDOW_MS + JITTER_MS);
      at = Math.max(at, sends[sends.length - 1] ?? at);
      sends.push(at);
      if (sends.length > allowed) sends.splice(0, sends.length - allowed);
    }
    return at - now;
  }

  /** A request was answered with `status` (and the server's Retry-After in ms, if any). */
  answered(status: number, retryAfterMs: number | undefined): void {
    const now = this.#now();
    if (status !== 429) {
      if (status < 500) this.#succeeded(now);
      return;
    }
    if (retryAfterMs !== undefined && retryAfterMs > WINDOW_MS) this.#pausedUntil = Math.max(this.#pausedUntil, now + retryAfterMs);
    const since = this.#sinceRefusal;
    this.#sinceRefusal = 0;
    // The other refusals of the same burst (requests that were already on the wire) teach nothing.
    if (since === 0) return;
    this.#forgetBefore(now - WINDOW_MS);
    // Bounded by the last second: after a long quiet stretch the count since the last refusal spans
    // many of the server's windows.
    const accepted = Math.min(since ?? Number.POSITIVE_INFINITY, this.#recent.length - this.#recentStart);
    const first = this.#limit === undefined;
    this.#limit = Math.max(1, accepted);
    this.#grownAt = now;
    // At the first refusal, what the server counted in this second counts against the limit too.
    if (first) this.#sends = this.#recent.slice(-Math.floor(this.#limit));
  }

  #succeeded(now: number): void {
    this.#recent.push(now);
    this.#forgetBefore(now - WINDOW_MS);
    if (this.#sinceRefusal !== undefined) this.#sinceRefusal++;
    if (this.#limit !== undefined && now - this.#grownAt >= WINDOW_MS) {
      this.#limit *= PROBE;
      this.#grownAt = now;
    }
  }

  #forgetBefore(time: number): void {
    const recent = this.#recent;
    while (this.#recentStart < recent.length && recent[this.#recentStart]! <= time) this.#recentStart++;
    // Moving the array on every success would cost a copy of a second's successes per request.
    if (this.#recentStart > 1024 && this.#recentStart * 2 > recent.length) {
      recent.splice(0, this.#recentStart);
      this.#recentStart = 0;
    }
  }
}
