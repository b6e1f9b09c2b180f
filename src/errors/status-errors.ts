// One subclass per documented status, so callers can branch with instanceof or on `status`.
// Statuses without a subclass (405, 502, 503, ...) stay plain CyberArkHttpError.
import { CyberArkHttpError } from "./http-error.js";

/** 400: the server rejected parameters or body (often with PASWS167E "There are some invalid parameters"). */
export class BadRequestError extends CyberArkHttpError {
  declare readonly status: 400;
}

/**
 * The server refused authentication. Thrown as such for a 401 on a call: a session token that is missing,
 * expired or refused, after one fresh logon and replay when the auth method can log on again (a fixed token
 * cannot). Its subclass LogonFailedError is every refusal of the credentials themselves, at logon.
 */
export class AuthenticationError extends CyberArkHttpError {
  override readonly kind = "AUTHENTICATION_FAILED" as const;
}

/**
 * The credentials were refused at logon, whatever the logon kind (vault, LDAP, RADIUS, SAML, PKI, Gen 1,
 * Privilege Cloud platform token) and the status the server chose for it: 401, 403 (PASWS013E, or any 403
 * while logging on), 400 with an OAuth2 refusal (invalid_client, invalid_grant...) or PASWS035E, and 500
 * when a RADIUS server keeps challenging. An AuthenticationError, so one catch covers both.
 */
export class LogonFailedError extends AuthenticationError {}

/** 403 after logon: the user is authenticated but lacks the permission (e.g. PASWS041E). */
export class ForbiddenError extends CyberArkHttpError {
  declare readonly status: 403;
}

/** 404: unknown object or URL. */
export class NotFoundError extends CyberArkHttpError {
  declare readonly status: 404;
}

/** 409: the object exists already, or the change conflicts with its state. */
export class ConflictError extends CyberArkHttpError {
  declare readonly status: 409;
}

/** 429: still rate-limited when the retry limit or time budget ran out. */
export class RateLimitError extends CyberArkHttpError {
  override readonly kind = "RATE_LIMITED" as const;
  declare readonly status: 429;
}

/** 500: internal error; CyberArk puts many logical errors here with an ErrorCode. */
export class ServerError extends CyberArkHttpError {
  declare readonly status: 500;
}

/** 501: this server version does not implement the operation. */
export class NotImplementedError extends CyberArkHttpError {
  declare readonly status: 501;
}
