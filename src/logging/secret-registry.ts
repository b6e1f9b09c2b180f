// Per-client set of the secret values that can still show up in a text: what the current logon
// used and produced (password, new password, OTP, SAMLResponse, client secret, session token) and
// what the previous logon did, since requests sent with the previous token may still be answered
// or read after a renewal. Each logon starts a generation and forgets the one before the previous,
// so a service renewing its token for months matches two logons' secrets, never hundreds.
// Credentials are registered again by every logon that uses them, so they stay.
import { SecretMatcher } from "./secret-matcher.js";

export { REDACTED } from "./secret-matcher.js";

export class SecretRegistry {
  #current = new Set<string>();
  #previous = new Set<string>();
  /** Built at the first redaction after a change. */
  #matcher: SecretMatcher | undefined;

  /** Remembers a secret of the current generation; empty and undefined values are ignored. */
  add(value: string | undefined): void {
    if (typeof value !== "string" || value.length === 0 || this.#current.has(value)) return;
    this.#current.add(value);
    this.#matcher = undefined;
  }

  /** A logon starts: the current secrets become the previous ones, and those before are forgotten. */
  nextGeneration(): void {
    this.#previous = this.#current;
    this.#current = new Set();
    this.#matcher = undefined;
  }

  /**
   * The session was logged off: the secrets of the logons before it are forgotten now (their
   * requests were answered before the ended session began); the ended session's own stay until
   * the next logon replaces them, for answers still on their way.
   */
  sessionEnded(): void {
    if (this.#previous.size === 0) return;
    this.#previous = new Set();
    this.#matcher = undefined;
  }

  /** How many secrets are live (matched by `redact`): at most those of two logons. */
  get size(): number {
    let size = this.#current.size;
    for (const value of this.#previous) if (!this.#current.has(value)) size++;
    return size;
  }

  /** The text with every live secret replaced by REDACTED, in any of the encodings a server echoes. */
  redact(text: string): string {
    if (typeof text !== "string" || text.length === 0 || (this.#current.size === 0 && this.#previous.size === 0)) return text;
    this.#matcher ??= new SecretMatcher(new Set([...this.#current, ...this.#previous]));
    return this.#matcher.redact(text);
  }
}
