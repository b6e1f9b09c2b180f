// One class for every non-2xx answer. `status` is the discriminant; subclasses (status-errors.ts)
// exist so callers can `catch (e) { if (e instanceof NotFoundError) ... }`. Everything stored here has
// already been redacted by the code that builds it (from-response.ts).
import { CyberArkError, type CyberArkErrorCode } from "./base.js";

/** What the error body turned out to be. */
export type ErrorBodyKind = "json" | "html" | "text" | "empty";

export interface HttpErrorInit {
  status: number;
  method: string;
  /** The path template of the operation, e.g. "/Accounts/{id}", when the call went through a typed client. */
  pathTemplate?: string | undefined;
  /** Path of the URL actually requested, query values replaced by "[REDACTED]". */
  urlPath: string;
  operationId?: string | undefined;
  /** CyberArk `ErrorCode` / `ErrorMessage` / `Details` (PVWA) or `code` / `message` (newer services). */
  errorCode?: string | undefined;
  errorMessage?: string | undefined;
  details?: unknown;
  /** Identity (OAuth2) `error` / `error_description`. */
  identityError?: string | undefined;
  identityErrorDescription?: string | undefined;
  bodyKind: ErrorBodyKind;
  /** Minimum server version of the operation, when the operation table knows it. */
  minVersion?: string | undefined;
  /** How many times the request was sent. */
  attempts?: number | undefined;
  /** For 429: the last wait the server asked for. */
  retryAfterMs?: number | undefined;
  /** True when the failure happened while logging on. */
  duringLogon?: boolean | undefined;
  /** True when the logoff request failed (never a refused logon: the session was already there). */
  duringLogoff?: boolean | undefined;
  /** Sentence explaining the status for a person; set by the subclass factory. */
  summary: string;
}

export class CyberArkHttpError extends CyberArkError {
  readonly kind: CyberArkErrorCode = "HTTP_ERROR";
  readonly status: number;
  readonly method: string;
  readonly pathTemplate: string | undefined;
  readonly urlPath: string;
  readonly operationId: string | undefined;
  readonly errorCode: string | undefined;
  readonly errorMessage: string | undefined;
  /** The server's `Details` (object or array), redacted. */
  readonly errorDetails: unknown;
  readonly identityError: string | undefined;
  readonly identityErrorDescription: string | undefined;
  readonly bodyKind: ErrorBodyKind;
  readonly minVersion: string | undefined;
  readonly attempts: number | undefined;
  readonly retryAfterMs: number | undefined;
  readonly duringLogon: boolean;
  readonly duringLogoff: boolean;

  constructor(init: HttpErrorInit) {
    super(composeMessage(init));
    this.status = init.status;
    this.method = init.method;
    this.pathTemplate = init.pathTemplate;
    this.urlPath = init.urlPath;
    this.operationId = init.operationId;
    this.errorCode = init.errorCode;
    this.errorMessage = init.errorMessage;
    this.errorDetails = init.details;
    this.identityError = init.identityError;
    this.identityErrorDescription = init.identityErrorDescription;
    this.bodyKind = init.bodyKind;
    this.minVersion = init.minVersion;
    this.attempts = init.attempts;
    this.retryAfterMs = init.retryAfterMs;
    this.duringLogon = init.duringLogon ?? false;
    this.duringLogoff = init.duringLogoff ?? false;
  }

  protected override details(): Record<string, unknown> {
    const out: Record<string, unknown> = { status: this.status, method: this.method, urlPath: this.urlPath };
    const optional: Record<string, unknown> = {
      pathTemplate: this.pathTemplate,
      operationId: this.operationId,
      errorCode: this.errorCode,
      errorMessage: this.errorMessage,
      errorDetails: this.errorDetails,
      identityError: this.identityError,
      identityErrorDescription: this.identityErrorDescription,
      minVersion: this.minVersion,
      attempts: this.attempts,
      retryAfterMs: this.retryAfterMs,
    };
    for (const [k, v] of Object.entries(optional)) if (v !== undefined) out[k] = v;
    out["bodyKind"] = this.bodyKind;
    if (this.duringLogon) out["duringLogon"] = true;
    if (this.duringLogoff) out["duringLogoff"] = true;
    return out;
  }
}

const MAX_TEXT = 400;

function clip(text: string): string {
  return text.length > MAX_TEXT ? `${text.slice(0, MAX_TEXT)}…` : text;
}

function composeMessage(init: HttpErrorInit): string {
  const what = `${init.duringLogon ? "Logon request " : init.duringLogoff ? "Logoff request " : ""}${init.method} ${init.urlPath}`;
  let message = `${what} failed with HTTP ${init.status}: ${init.summary}`;
  if (init.errorCode || init.errorMessage) {
    message += `. Server says: ${init.errorCode ? `[${init.errorCode}] ` : ""}${clip(init.errorMessage ?? "")}`.trimEnd();
  }
  if (init.identityError || init.identityErrorDescription) {
    message += `. Identity says: ${init.identityError ?? ""}${init.identityErrorDescription ? ` (${clip(init.identityErrorDescription)})` : ""}`;
  }
  const detail = firstDetailMessage(init.details);
  if (detail) message += `. Details: ${clip(detail)}`;
  if (init.bodyKind === "html") {
    message += ". The server returned an HTML page, not JSON (often a sign-in page or an IIS error page)";
  } else if (init.bodyKind === "empty" && !init.errorCode) {
    message += ". The response body was empty";
  }
  return message;
}

function firstDetailMessage(details: unknown): string | undefined {
  const first = Array.isArray(details) ? details[0] : details;
  if (!first || typeof first !== "object") return typeof first === "string" ? first : undefined;
  const rec = first as Record<string, unknown>;
  const code = typeof rec["ErrorCode"] === "string" ? `[${rec["ErrorCode"]}] ` : "";
  const msg = typeof rec["ErrorMessage"] === "string" ? rec["ErrorMessage"] : typeof rec["message"] === "string" ? rec["message"] : "";
  const more = Array.isArray(details) && details.length > 1 ? ` (+${details.length - 1} more)` : "";
  return code || msg ? `${code}${msg}${more}` : undefined;
}
