// Turns a non-2xx response into the right error class with a sentence a person understands.
// Never assumes JSON: HTML pages (SSO sign-in, IIS errors), plain text and empty bodies are named as such.
import { classifyBody } from "../core/body-kind.js";
import { redactValue } from "../logging/redact.js";
import { urlText } from "../logging/url-text.js";
import { CyberArkHttpError, type ErrorBodyKind, type HttpErrorInit } from "./http-error.js";
import {
  AuthenticationError,
  BadRequestError,
  ConflictError,
  ForbiddenError,
  LogonFailedError,
  NotFoundError,
  NotImplementedError,
  RateLimitError,
  ServerError,
} from "./status-errors.js";

export interface ParsedErrorBody {
  kind: ErrorBodyKind;
  errorCode?: string;
  errorMessage?: string;
  details?: unknown;
  identityError?: string;
  identityErrorDescription?: string;
}

export interface ErrorContext {
  method: string;
  /** Full request URL; its path and query end up in the error, values of secret-named keys replaced. */
  url: string;
  pathTemplate?: string | undefined;
  operationId?: string | undefined;
  minVersion?: string | undefined;
  attempts?: number | undefined;
  retryAfterMs?: number | undefined;
  duringLogon?: boolean | undefined;
  /** The logoff request failed: an ordinary HTTP error, never a refused logon, whatever the status or code. */
  duringLogoff?: boolean | undefined;
  /** The 401 came back for a request already replayed after a fresh logon. */
  afterRelogon?: boolean | undefined;
  /** Replaces known secret values (the client's SecretRegistry) and key-named ones. */
  redact: (text: string) => string;
}

/** Shortens an already-redacted text. */
function clip(text: string, max: number): string {
  return text.length > max ? `${text.slice(0, max)}…` : text;
}

const str = (v: unknown): string | undefined =>
  typeof v === "string" ? v : typeof v === "number" ? String(v) : undefined;

export function parseErrorBody(text: string, contentType: string | null): ParsedErrorBody {
  const body = classifyBody(text, contentType);
  // Plain text (WCF "Request Error", proxies): kept whole here; trimmed and clipped only after
  // redaction, so neither can cut a secret (one ending in a space, say) and leave it unrecognisable.
  if (body.kind === "text") return { kind: "text", errorMessage: body.text };
  if (body.kind !== "json") return { kind: body.kind };
  const value = body.value;
  if (typeof value === "string") return { kind: "json", errorMessage: value };
  if (!value || typeof value !== "object" || Array.isArray(value)) return { kind: "json", details: value };
  const rec = value as Record<string, unknown>;
  const out: ParsedErrorBody = { kind: "json" };
  const code = str(rec["ErrorCode"]) ?? str(rec["errorCode"]) ?? str(rec["code"]);
  const message = str(rec["ErrorMessage"]) ?? str(rec["errorMessage"]) ?? str(rec["message"]) ?? str(rec["Message"]);
  const details = rec["Details"] ?? rec["details"];
  if (code !== undefined) out.errorCode = code;
  if (message !== undefined) out.errorMessage = message;
  if (details !== undefined && details !== null) out.details = details;
  if (typeof rec["error"] === "string") out.identityError = rec["error"];
  if (typeof rec["error_description"] === "string") out.identityErrorDescription = rec["error_description"];
  return out;
}

/** OAuth2 `error` values (Identity's platform token) that refuse the client's credentials rather than the request. */
const REFUSED_GRANTS = new Set(["invalid_client", "invalid_grant", "unauthorized_client", "access_denied"]);
/** Vault codes for refused credentials that come with a status other than 403 (SAML answers 400 PASWS035E). */
const REFUSED_CODES = new Set(["PASWS013E", "PASWS035E"]);

/** A logon answer that refuses the credentials themselves (one error class for all logon kinds). */
function refusesCredentials(status: number, body: ParsedErrorBody, ctx: ErrorContext): boolean {
  // A logoff sends the session token, not the credentials: whatever it answers, no logon was refused.
  if (ctx.duringLogoff) return false;
  if (status === 403 && body.errorCode === "PASWS013E") return true;
  if (!ctx.duringLogon) return false;
  if (status === 401 || status === 403) return true;
  return status === 400 && ((body.identityError !== undefined && REFUSED_GRANTS.has(body.identityError)) || REFUSED_CODES.has(body.errorCode ?? ""));
}

function summaryFor(status: number, body: ParsedErrorBody, ctx: ErrorContext): string {
  switch (status) {
    case 400:
      if (refusesCredentials(status, body, ctx)) return "logon failed: the credentials were not accepted";
      return "the server rejected the request's parameters or body";
    case 401:
      if (ctx.duringLogon) return "logon failed: the credentials were not accepted";
      return ctx.afterRelogon
        ? "the server refused the session even right after a fresh logon (check the user's permissions and the auth method)"
        : "the session token is missing, expired or not accepted";
    case 403:
      if (ctx.duringLogoff) return "the logoff was refused (the session may stay open on the vault until it times out)";
      if (body.errorCode === "PASWS013E") return "logon failed: the user name or password was not accepted";
      if (ctx.duringLogon) return "logon was refused";
      return "the user is authenticated but not permitted to do this";
    case 404:
      return "not found (the object does not exist, or this server has no such URL)";
    case 409:
      return ctx.duringLogon
        ? "the password has expired or must be changed (log on with newPassword)"
        : "conflict: the object already exists or the change conflicts with its current state";
    case 429:
      return `too many requests; the server was still rate-limiting after ${ctx.attempts ?? 1} attempt(s)`;
    case 500:
      return "the server reported an internal error";
    case 501:
      return ctx.minVersion
        ? `this server version does not implement ${ctx.operationId ?? "this operation"} (it needs version ${ctx.minVersion} or later)`
        : `this server version does not implement ${ctx.operationId ?? "this operation"}`;
    case 502:
    case 503:
    case 504:
      return "the server or a gateway in front of it is unavailable";
    default:
      return "unexpected status";
  }
}

export function createHttpError(status: number, bodyText: string, contentType: string | null, ctx: ErrorContext): CyberArkHttpError {
  const body = parseErrorBody(bodyText, contentType);
  const r = ctx.redact;
  const init: HttpErrorInit = {
    status,
    method: ctx.method,
    pathTemplate: ctx.pathTemplate,
    urlPath: r(urlText(ctx.url)),
    operationId: ctx.operationId,
    errorCode: body.errorCode === undefined ? undefined : clip(r(body.errorCode), 100),
    errorMessage: body.errorMessage === undefined ? undefined : body.kind === "text" ? clip(r(body.errorMessage).trim(), 200) : clip(r(body.errorMessage), 2000),
    // The same key rules as the logs, so a detail hidden in a log line is hidden here too.
    details: body.details === undefined ? undefined : redactValue(body.details, r),
    identityError: body.identityError === undefined ? undefined : clip(r(body.identityError), 200),
    identityErrorDescription: body.identityErrorDescription === undefined ? undefined : clip(r(body.identityErrorDescription), 2000),
    bodyKind: body.kind,
    minVersion: ctx.minVersion,
    attempts: ctx.attempts,
    retryAfterMs: ctx.retryAfterMs,
    duringLogon: ctx.duringLogon,
    duringLogoff: ctx.duringLogoff,
    summary: summaryFor(status, body, ctx),
  };
  if (refusesCredentials(status, body, ctx)) return new LogonFailedError(init);
  switch (status) {
    case 400:
      return new BadRequestError(init);
    case 401:
      return new AuthenticationError(init);
    case 403:
      return new ForbiddenError(init);
    case 404:
      return new NotFoundError(init);
    case 409:
      return new ConflictError(init);
    case 429:
      return new RateLimitError(init);
    case 500:
      return new ServerError(init);
    case 501:
      return new NotImplementedError(init);
    default:
      return new CyberArkHttpError(init);
  }
}
