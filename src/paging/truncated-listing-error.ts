// A listing the server cut short: the server stopped honouring the offset (a page repeats an
// earlier one), the listing ended below the total the server itself reported (PVWA's
// MaxDisplayedRecords, an offset cap, a count that lies high), or the one answer of an unpaged
// operation held fewer items than its total (a server-side default limit). Raised by default; a caller who
// wants the items that did arrive passes `onTruncated: "accept"` (or a callback) to paginate().
// Only numbers and the path template are reported, never server text.
import { CyberArkError } from "../errors/base.js";

export type TruncationReason =
  /** A page repeated an earlier page: the server ignores the offset past some point. */
  | "repeated-page"
  /** The listing ended (no nextLink, a short or empty page) below the total the server reported. */
  | "ended-below-total"
  /** An unpaged operation's one answer held fewer items than the total it reported (a default limit). */
  | "below-total";

export class TruncatedListingError extends CyberArkError {
  // No dedicated kind exists in CyberArkErrorCode; a cut listing is an unusable response.
  readonly kind = "INVALID_RESPONSE" as const;
  readonly path: string;
  readonly reason: TruncationReason;
  /** The highest total the server reported during the listing; undefined when it reported none. */
  readonly expected: number | undefined;
  /** Position the listing reached, counted from the start of the list (offset of the first missing item). */
  readonly received: number;

  constructor(options: { path: string; reason: TruncationReason; expected: number | undefined; received: number }) {
    const { path, reason, expected, received } = options;
    const what =
      reason === "repeated-page"
        ? `the page at offset ${received} repeats an earlier page (the server ignores the offset from there on), ` +
          `so only ${received} of ${expected === undefined ? "an unknown number of" : expected} items could be read`
        : reason === "below-total"
          ? `its one answer (the operation is not paged) held ${received} of the ${expected} items it reported ` +
            "(a default limit on the server's side: ask for more with the operation's own query, such as a larger limit)"
          : `it reported ${expected} items but the listing ended after ${received} ` +
            "(a cap such as PVWA's MaxDisplayedRecords, a count that is too high, or items removed while listing)";
    super(`The listing of GET ${path} was truncated by the server: ${what}. Pass onTruncated: "accept" to keep the items that arrived`);
    this.path = path;
    this.reason = reason;
    this.expected = expected;
    this.received = received;
  }

  protected override details(): Record<string, unknown> {
    return { path: this.path, reason: this.reason, expected: this.expected, received: this.received };
  }
}
