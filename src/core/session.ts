// The client's session: logs on lazily, once, however many requests arrive together, and renews
// without loops. Each logon bumps `generation`; a request remembers the generation its token came
// from, so a late 401 for an old token does not throw away a session that is already fresh.

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

  get generation(): number {
    return this.#generation;
  }

  #startLogon(): Promise<ActiveSession> {
    if (this.#pending) return this.#pending;
    const pending = this.#logon().then(
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
