// The last step before an error reaches a client's caller: every text field of a CyberArkError
// (message, stack, urlPath, url, contentType, origins, server details...) goes through the client's
// redaction, whichever code built it and whatever server or proxy text it quotes; anything else that
// was thrown becomes an UnexpectedError. Sealing a sealed error changes nothing, so each layer a
// failure passes through (logon, call, paging) may seal it.
import { redactValue } from "../logging/redact.js";
import { CyberArkError } from "./base.js";
import { UnexpectedError } from "./unexpected.js";

export type Redact = (text: string) => string;

/** On a client's typed clients: the redaction of that client, for errors built outside a call (paging). */
export const CLIENT_REDACTION = Symbol("cyberark-pam-client.redaction");

// The class's own constants: never server text, and `kind` must stay what callers test against.
const CONSTANTS = new Set(["name", "kind"]);

export function sealError(error: unknown, redact: Redact): CyberArkError {
  return error instanceof CyberArkError ? redactFields(error, redact) : unexpected(error, redact);
}

function redactFields(error: CyberArkError, redact: Redact): CyberArkError {
  const fields = error as unknown as Record<string, unknown>;
  for (const key of Object.getOwnPropertyNames(error)) {
    if (CONSTANTS.has(key)) continue;
    const value = fields[key];
    if (typeof value === "string") fields[key] = redact(value);
    else if (value instanceof CyberArkError) redactFields(value, redact);
    // Any other `cause` is the caller's own (an abort reason); objects are server data (errorDetails).
    else if (key !== "cause" && typeof value === "object" && value !== null) fields[key] = redactValue(value, redact);
  }
  return error;
}

function unexpected(error: unknown, redact: Redact): UnexpectedError {
  const text = error instanceof Error ? `${error.name}: ${error.message}` : describe(error);
  const safe = redact(text);
  // The original goes along as `cause` (so a hook's own error can still be recognised) only when
  // nothing in it had to be redacted; a platform error quoting a header value or URL does not.
  return new UnexpectedError(safe, safe === text && isClean(error, redact) ? { cause: error } : undefined);
}

function describe(value: unknown): string {
  try {
    return String(value);
  } catch {
    return typeof value;
  }
}

function isClean(error: unknown, redact: Redact): boolean {
  if (!(error instanceof Error) || error.cause !== undefined) return false;
  const fields = error as unknown as Record<string, unknown>;
  return Object.getOwnPropertyNames(error).every((key) => {
    const value = fields[key];
    if (value === null || value === undefined || typeof value === "number" || typeof value === "boolean") return true;
    return typeof value === "string" && redact(value) === value;
  });
}
