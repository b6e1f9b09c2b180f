// The client's session: logs on lazily, once, however many requests arrive together, and renews
// without loops. Each logon bumps `generation`; a request remembers the generation its token came
// from, so a late 401 for an old token does not throw away a session that is already fresh.
//
// CyberArk's stale-token rule (KI00020913): a request that carries an expired or logged-off token logs off
// every session of that user, the new one included. So once a token is known to be stale (a 401 on it, or
// its known expiry) nothing more leaves with it, and the next logon waits until the requests already on the
// wire with it have been answered.

export interface Session {
  /** The token as issued (kept for logoff and redaction). */
  token: string;
  /** The exact Authorization header value: the raw token for vault sessions, "Bearer <token>" for platform tokens. */
  authorization: string;
  /** Epoch ms after which the session must be renewed before use (already includes a safety margin). */
  expiresAt?: number | undefined;
}

export interface ActiveSession {
  readonly session: Session;
  readonly generation: number;
}

export class SessionManager {
  #active: ActiveSession | undefined;
  #pending: Promise<ActiveSession> | undefined;
  #generation = 0;
  /** Requests on the wire per generation, and who waits for a generation to have none. */
  readonly #onWire = new Map<number, number>();
  readonly #drained = new Map<number, Array<() => void>>();
  readonly #logon: () => Promise<Session>;

  constructor(logon: () => Promise<Session>) {
    this.#logon = logon;
  }

  /** The usable session right now, without waiting; undefined when a logon is needed first. */
  current(now = Date.now()): ActiveSession | undefined {
    const active = this.#active;
    if (active === undefined) return undefined;
    const expiresAt = active.session.expiresAt;
    return expiresAt !== undefined && now >= expiresAt ? undefined : active;
  }

  /** The current session, logging on first when there is none or it expired. Concurrent callers share one logon. */
  acquire(): Promise<ActiveSession> {
    const active = this.current();
    if (active) return Promise.resolve(active);
    return this.#startLogon();
  }

  /** Whether a request may still leave with this session's token. */
  usable(active: ActiveSession): boolean {
    return this.current() === active;
  }

  /**
   * Records a request leaving with the token of `active` (call it right before sending, after usable());
   * the returned function is called once its answer (or failure) arrived.
   */
  sending(active: ActiveSession): () => void {
    const generation = active.generation;
    this.#onWire.set(generation, (this.#onWire.get(generation) ?? 0) + 1);
    let done = false;
    return () => {
      if (done) return;
      done = true;
      const left = (this.#onWire.get(generation) ?? 1) - 1;
      if (left > 0) {
        this.#onWire.set(generation, left);
        return;
      }
      this.#onWire.delete(generation);
      for (const resolve of this.#drained.get(generation) ?? []) resolve();
      this.#drained.delete(generation);
    };
  }

  /**
   * The server rejected the token of `generation`. Logs on again only when that token is still the
   * current one; otherwise the caller gets the newer session (or joins the logon under way).
   */
  renew(generation: number): Promise<ActiveSession> {
    if (this.#pending) return this.#pending;
    const active = this.#active;
    if (active && active.generation !== generation && this.current()) return Promise.resolve(active);
    this.#active = undefined;
    return this.#startLogon();
  }

  /** Forgets the session (after logoff) so the next request logs on again. Returns what was active. */
  clear(): Session | undefined {
    const previous = this.#active?.session;
    this.#active = undefined;
    return previous;
  }

  /** Waits for a logon under way, if any (so logoff does not race it). */
  async settled(): Promise<void> {
    if (this.#pending) await this.#pending.catch(() => undefined);
  }

  /** Resolves once no request with a token of an earlier generation is on the wire. */
  #earlierOnesAnswered(): Promise<void> {
    const waits: Promise<void>[] = [];
    for (const generation of this.#onWire.keys()) {
      waits.push(new Promise((resolve) => this.#drained.set(generation, [...(this.#drained.get(generation) ?? []), resolve])));
    }
    return waits.length === 0 ? Promise.resolve() : Promise.all(waits).then(() => undefined);
  }

  #startLogon(): Promise<ActiveSession> {
    if (this.#pending) return this.#pending;
    // From here no request leaves with the old token (usable() is false): those still out are awaited first.
    this.#active = undefined;
    const pending = this.#earlierOnesAnswered().then(() => this.#logon()).then(
      (session) => {
        const active: ActiveSession = { session, generation: ++this.#generation };
        this.#active = active;
        this.#pending = undefined;
        return active;
      },
      (error: unknown) => {
        // A failed logon is not cached: the next request tries again.
        this.#pending = undefined;
        throw error;
      },
    );
    this.#pending = pending;
    return pending;
  }
}
