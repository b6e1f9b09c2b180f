// The caller's AbortSignal fired. The caller's reason is kept as `cause`.
import { CyberArkError } from "./base.js";

export class RequestAbortedError extends CyberArkError {
  readonly kind = "ABORTED" as const;

  constructor(what = "the request", cause?: unknown) {
    super(`${what} was aborted by the caller`, { cause });
  }
}
