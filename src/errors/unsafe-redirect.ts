// The server answered with a redirect to another origin. Following it could hand the session token
// or cookies to that origin (or leak the request body), so the client stops instead.
import { CyberArkError } from "./base.js";

export class UnsafeRedirectError extends CyberArkError {
  readonly kind = "UNSAFE_REDIRECT" as const;
  readonly status: number;
  readonly fromOrigin: string;
  readonly toOrigin: string;

  constructor(init: { status: number; fromOrigin: string; toOrigin: string; reason?: string }) {
    super(
      init.reason ??
        `the server redirected (${init.status}) from ${init.fromOrigin} to another origin, ${init.toOrigin}; ` +
          "the client does not follow cross-origin redirects so credentials stay with the deployment " +
          "(if the API moved, configure its new address)",
    );
    this.status = init.status;
    this.fromOrigin = init.fromOrigin;
    this.toOrigin = init.toOrigin;
  }

  protected override details(): Record<string, unknown> {
    return { status: this.status, fromOrigin: this.fromOrigin, toOrigin: this.toOrigin };
  }
}
