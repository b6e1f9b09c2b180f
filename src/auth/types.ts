// The shape every auth strategy has: a small object that can log on (and maybe log off) using the
// services the client hands it. Strategies never see the client's hooks and never build URLs from
// user input: the deployment's resolved bases are given to them.
import type { ResolvedDeployment } from "../deployment.js";
import type { CyberArkHttpError } from "../errors/http-error.js";
import type { Session } from "../core/session.js";
import type { Logger } from "../logging/logger.js";

export type { Session };

export interface AuthRequest {
  method: "POST" | "GET";
  headers?: Record<string, string>;
  body?: string | URLSearchParams;
}

export interface AuthContext {
  readonly deployment: ResolvedDeployment;
  /** Sends a logon-side request with this client's cookies and TLS settings, time-limited, no redirects off-origin. */
  send(url: string, request: AuthRequest): Promise<Response>;
  /** Reads a failed logon response into a typed error (LogonFailedError, AuthenticationError...). */
  fail(response: Response, url: string, method: string, bodyText?: string): Promise<CyberArkHttpError>;
  /** Registers a value that must never appear in logs, errors or inspect output. */
  secret(value: string | undefined): void;
  readonly logger: Logger;
}

export interface AuthStrategy {
  /** Short name for logs, e.g. "cyberark", "platform-token". */
  readonly name: string;
  /** False when logging on again cannot produce a different token (a fixed token). */
  readonly canRenew?: boolean;
  /**
   * Whether a logon that failed for a passing reason (502/503/504, no answer) may be tried again now. False
   * while a second try could repeat what the first may have done: a password change, a single-use OTP or
   * SAML assertion. Default: true.
   */
  mayRetryLogon?(): boolean;
  logon(ctx: AuthContext): Promise<Session>;
  logoff?(ctx: AuthContext, session: Session): Promise<void>;
}
