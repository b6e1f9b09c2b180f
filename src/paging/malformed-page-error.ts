// A list response whose envelope does not have the shape the operation's paging entry
// describes (no item array, unreadable nextLink), or that cannot be followed without losing,
// repeating or looping (a nextLink pointing back, into the page, or repeating an earlier one; an
// empty page with a nextLink). Only key names and numbers are reported, never values or link text.
import { CyberArkError } from "../errors/base.js";

export class MalformedPageError extends CyberArkError {
  readonly kind = "INVALID_RESPONSE" as const;
  readonly path: string;

  constructor(path: string, problem: string) {
    super(`The list response of GET ${path} cannot be paged: ${problem}`);
    this.path = path;
  }

  protected override details(): Record<string, unknown> {
    return { path: this.path };
  }
}
