// Something other than one of the client's own errors was thrown on a call's path: a TypeError from
// the platform, or an error from a hook or callback of the caller. Wrapped so that callers catch one
// family of errors, with a redacted message (see seal.ts for when the original is kept as `cause`).
import { CyberArkError } from "./base.js";

export class UnexpectedError extends CyberArkError {
  readonly kind = "UNEXPECTED" as const;
}
