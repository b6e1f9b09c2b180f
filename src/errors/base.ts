// The root of every error this package throws. Subclasses add context; whatever they carry is safe
// to log: `message`, `toJSON()` and `util.inspect` never show secrets, because a client passes every
// error through sealError (seal.ts) before it reaches the caller.
import { inspect } from "node:util";

export type CyberArkErrorCode =
  | "HTTP_ERROR"
  | "AUTHENTICATION_FAILED"
  | "RATE_LIMITED"
  | "INVALID_PATH_PARAMETER"
  | "INVALID_CONFIGURATION"
  | "INVALID_RESPONSE"
  | "NETWORK_ERROR"
  | "TIMEOUT"
  | "ABORTED"
  | "UNSAFE_REDIRECT"
  | "UNSUPPORTED_OPERATION"
  | "CLIENT_CLOSED"
  | "UNEXPECTED";

export abstract class CyberArkError extends Error {
  /** Machine-readable kind of failure; stable across releases. */
  abstract readonly kind: CyberArkErrorCode;

  constructor(message: string, options?: { cause?: unknown }) {
    super(message, options);
    this.name = new.target.name;
  }

  /** Plain data for logs and JSON: only the fields a subclass chose to expose. */
  toJSON(): Record<string, unknown> {
    return { name: this.name, kind: this.kind, message: this.message, ...this.details() };
  }

  /** Subclasses list their public, already-redacted fields here. */
  protected details(): Record<string, unknown> {
    return {};
  }

  [inspect.custom](): string {
    return `${this.name} [${this.kind}]: ${this.message}${this.stack ? `\n${this.stack.split("\n").slice(1).join("\n")}` : ""}`;
  }
}
