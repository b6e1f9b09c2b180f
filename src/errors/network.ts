// The request never got an HTTP response: DNS, refused connection, reset, TLS failure.
import { CyberArkError } from "./base.js";

export class NetworkError extends CyberArkError {
  readonly kind = "NETWORK_ERROR" as const;
  readonly method: string;
  readonly urlPath: string;

  constructor(message: string, init: { method: string; urlPath: string; cause?: unknown }) {
    super(message, { cause: init.cause });
    this.method = init.method;
    this.urlPath = init.urlPath;
  }

  protected override details(): Record<string, unknown> {
    return { method: this.method, urlPath: this.urlPath };
  }
}
