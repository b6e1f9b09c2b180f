// A paged response whose nextLink points at another origin. The client never follows such a
// link (it would carry the caller's intent, and possibly credentials, to a foreign host).
import { CyberArkError } from "./base.js";

export class UnsafeNextLinkError extends CyberArkError {
  // Closest existing kind: following the link would be a redirect to a foreign origin.
  readonly kind = "UNSAFE_REDIRECT" as const;
  /** Origin the list request went to. */
  readonly expectedOrigin: string | undefined;
  /** Origin of the nextLink (only the origin: the rest of the link is not trusted for display). */
  readonly linkOrigin: string;

  constructor(expectedOrigin: string | undefined, linkOrigin: string) {
    super(
      `The server's nextLink points to ${linkOrigin}, not to ${expectedOrigin ?? "the origin of the list request"}; ` +
        "paging stopped instead of following it",
    );
    this.expectedOrigin = expectedOrigin;
    this.linkOrigin = linkOrigin;
  }

  protected override details(): Record<string, unknown> {
    return { expectedOrigin: this.expectedOrigin, linkOrigin: this.linkOrigin };
  }
}
