// A response body larger than the transport's limit. Raised from the declared Content-Length
// before reading, or while streaming once the counted bytes pass the limit.
import { CyberArkError } from "./base.js";

export class ResponseTooLargeError extends CyberArkError {
  // No dedicated kind exists in CyberArkErrorCode; an oversized body is an unusable response.
  readonly kind = "INVALID_RESPONSE" as const;
  readonly limitBytes: number;
  /** Bytes declared by Content-Length, or counted so far when the body was streamed. */
  readonly receivedBytes: number;
  readonly declared: boolean;
  /** Origin, path and query, values of secret-named query keys replaced (see logging/url-text.ts). */
  readonly url: string | undefined;

  constructor(options: { limitBytes: number; receivedBytes: number; declared: boolean; url?: string | undefined }) {
    const where = options.url ? ` from ${options.url}` : "";
    const how = options.declared
      ? `declares ${options.receivedBytes} bytes`
      : `passed ${options.limitBytes} bytes while reading`;
    super(`The response body${where} ${how}; the limit is ${options.limitBytes} bytes (option maxResponseBytes)`);
    this.limitBytes = options.limitBytes;
    this.receivedBytes = options.receivedBytes;
    this.declared = options.declared;
    this.url = options.url;
  }

  protected override details(): Record<string, unknown> {
    return { limitBytes: this.limitBytes, receivedBytes: this.receivedBytes, declared: this.declared, url: this.url };
  }
}
