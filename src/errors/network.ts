// The request never got an HTTP response: DNS, refused connection, reset, TLS failure.
import { CyberArkError } from "./base.js";
import { urlText } from "../logging/url-text.js";

export class NetworkError extends CyberArkError {
  readonly kind = "NETWORK_ERROR" as const;
  readonly method: string;
  readonly urlPath: string;
  /** False when sending again cannot help (a redirect loop): the retry rules then leave it alone. */
  readonly retriable: boolean;

  constructor(message: string, init: { method: string; urlPath: string; cause?: unknown; retriable?: boolean }) {
    super(message, { cause: init.cause });
    this.method = init.method;
    this.urlPath = init.urlPath;
    this.retriable = init.retriable ?? true;
  }

  protected override details(): Record<string, unknown> {
    return { method: this.method, urlPath: this.urlPath };
  }
}

const TLS_TRUST_CODES = /CERT|SELF_SIGNED|UNABLE_TO_(GET|VERIFY)|ERR_TLS/;

/** The useful part of a fetch failure ("fetch failed" hides the cause), with a hint for TLS trust problems. */
export function describeNetworkFailure(error: unknown): string {
  const cause = (error as { cause?: { code?: unknown; message?: unknown } } | undefined)?.cause;
  const code = typeof cause?.code === "string" ? cause.code : undefined;
  if (code && TLS_TRUST_CODES.test(code)) return `${code} (the server's TLS certificate is not trusted: pass its CA as tls.ca, which replaces the system CAs)`;
  const detail = code ?? (typeof cause?.message === "string" && cause.message ? cause.message : undefined);
  if (detail) return detail;
  // undici turns a proxy's "407 Proxy Authentication Required" into a reasonless network error.
  if (cause !== undefined) {
    return "the connection failed without a reason (this is how a proxy's 407 Proxy Authentication Required shows; check the proxy option and its credentials)";
  }
  const message = String((error as Error | undefined)?.message ?? error);
  return message === "terminated" ? "the connection was closed before the whole response arrived" : message || "unknown network failure";
}

/**
 * The one mapping of a failed send (fetch's TypeError, a broken body, a socket error) to a NetworkError
 * naming the request and the host it could not reach. Its text still goes through the caller's redaction.
 */
export function networkError(method: string, url: string, error: unknown): NetworkError {
  const urlPath = urlText(url);
  let host = "(unknown host)";
  try {
    host = new URL(url).host;
  } catch {
    // An unparsable URL never reached the wire; the path text already says "(invalid URL)".
  }
  return new NetworkError(`${method} ${urlPath} got no response from ${host}: ${describeNetworkFailure(error)}`, { method, urlPath });
}
