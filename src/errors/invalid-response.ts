// A 2xx response whose body cannot be what the operation promises: HTML (a sign-in or IIS page),
// truncated or malformed JSON. Replaces the raw SyntaxError a JSON parser would throw.
import { CyberArkError } from "./base.js";

export class InvalidResponseError extends CyberArkError {
  readonly kind = "INVALID_RESPONSE" as const;
  readonly status: number;
  readonly method: string;
  readonly urlPath: string;
  readonly contentType: string | undefined;

  constructor(message: string, init: { status: number; method: string; urlPath: string; contentType?: string | null; cause?: unknown }) {
    super(message, { cause: init.cause });
    this.status = init.status;
    this.method = init.method;
    this.urlPath = init.urlPath;
    this.contentType = init.contentType ?? undefined;
  }

  protected override details(): Record<string, unknown> {
    return { status: this.status, method: this.method, urlPath: this.urlPath, contentType: this.contentType };
  }
}
