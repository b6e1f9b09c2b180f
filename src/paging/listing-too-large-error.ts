// toArray({ limit }) found more items than its limit: the listing is not cut silently, the
// caller is told to raise the limit or iterate instead (memory stays flat while iterating).
import { CyberArkError } from "../errors/base.js";

export class ListingTooLargeError extends CyberArkError {
  // No dedicated kind exists in CyberArkErrorCode; as ResponseTooLargeError, an answer too large to take.
  readonly kind = "INVALID_RESPONSE" as const;
  readonly path: string;
  readonly limit: number;
  /** Total the server reported, when it did. */
  readonly total: number | undefined;

  constructor(path: string, limit: number, total: number | undefined) {
    const reported = total === undefined ? "" : ` (the server reports ${total})`;
    super(`GET ${path} lists more than ${limit} items${reported}, the limit given to toArray(); raise the limit or iterate the listing instead`);
    this.path = path;
    this.limit = limit;
    this.total = total;
  }

  protected override details(): Record<string, unknown> {
    return { path: this.path, limit: this.limit, total: this.total };
  }
}
