// One HTTP GET with undici: extra CA, proxy variables, a hard timeout over the whole download (body included),
// a size limit, manual redirects that keep the credential on the original origin, and network failures turned
// into readable sentences.
import { STATUS_CODES } from "node:http";
import { rootCertificates } from "node:tls";
import { EnvHttpProxyAgent, fetch } from "undici";
import { BodyTooLarge, readCappedBody } from "./capped-body.js";
import type { Env } from "./secrets.js";

export interface HttpResult {
  status: number;
  statusText: string;
  contentType: string;
  bytes: Buffer;
  /** URL that finally answered, after redirects. */
  finalUrl: string;
}

export interface HttpClientOptions {
  timeoutMs: number;
  /** Largest body accepted; a larger one fails the request before or while it is read. */
  maxBytes: number;
  caPem?: string;
  env: Env;
}

export class NetworkFailure extends Error {
  constructor(
    message: string,
    readonly kind: "timeout" | "too-large" | "tls" | "connect" | "other",
  ) {
    super(message);
  }
}

const MAX_REDIRECTS = 5;

const TLS_CODES = new Set([
  "SELF_SIGNED_CERT_IN_CHAIN",
  "DEPTH_ZERO_SELF_SIGNED_CERT",
  "UNABLE_TO_VERIFY_LEAF_SIGNATURE",
  "UNABLE_TO_GET_ISSUER_CERT",
  "UNABLE_TO_GET_ISSUER_CERT_LOCALLY",
  "CERT_HAS_EXPIRED",
  "CERT_NOT_YET_VALID",
  "CERT_UNTRUSTED",
  "CERT_SIGNATURE_FAILURE",
  "ERR_TLS_CERT_ALTNAME_INVALID",
]);

/** URL as it may be shown or written into headers: no credentials, query or fragment. */
export function publicUrl(url: string): string {
  const u = new URL(url);
  u.username = "";
  u.password = "";
  u.search = "";
  u.hash = "";
  return u.toString();
}

export class HttpClient {
  private readonly dispatcher: EnvHttpProxyAgent;

  constructor(private readonly options: HttpClientOptions) {
    const env = options.env;
    const tls = options.caPem ? { ca: [...rootCertificates, options.caPem] } : {};
    // Empty strings (not undefined) so undici never falls back to process.env behind the caller's back.
    this.dispatcher = new EnvHttpProxyAgent({
      httpProxy: env["http_proxy"] ?? env["HTTP_PROXY"] ?? "",
      httpsProxy: env["https_proxy"] ?? env["HTTPS_PROXY"] ?? "",
      noProxy: env["no_proxy"] ?? env["NO_PROXY"] ?? "",
      connect: tls,
      requestTls: tls,
    });
  }

  async get(url: string, headers: Record<string, string>): Promise<HttpResult> {
    const controller = new AbortController();
    const timer = setTimeout(() => controller.abort(), this.options.timeoutMs);
    let current = url;
    try {
      for (let hop = 0; ; hop++) {
        // The credential only goes to the origin it was meant for, and never in clear text.
        const sameOrigin = new URL(current).origin === new URL(url).origin;
        const sendable = sameOrigin && new URL(current).protocol === "https:";
        const response = await fetch(current, {
          headers: sendable ? headers : withoutAuthorization(headers),
          redirect: "manual",
          signal: controller.signal,
          dispatcher: this.dispatcher,
        });
        const location = response.headers.get("location");
        if (response.status >= 300 && response.status < 400 && location && hop < MAX_REDIRECTS) {
          await response.body?.cancel();
          current = new URL(location, current).toString();
          continue;
        }
        const declared = Number(response.headers.get("content-length") ?? "");
        if (declared > this.options.maxBytes) {
          await response.body?.cancel();
          throw tooLarge(publicUrl(current), this.options.maxBytes, declared);
        }
        const bytes = await readCappedBody(response.body, this.options.maxBytes);
        return {
          status: response.status,
          statusText: response.statusText || STATUS_CODES[response.status] || "",
          contentType: response.headers.get("content-type") ?? "",
          bytes,
          finalUrl: current,
        };
      }
    } catch (error) {
      if (error instanceof NetworkFailure) throw error;
      if (error instanceof BodyTooLarge) throw tooLarge(publicUrl(current), this.options.maxBytes);
      throw describeFailure(error, publicUrl(current), controller.signal.aborted, this.options.timeoutMs);
    } finally {
      clearTimeout(timer);
    }
  }

  async close(): Promise<void> {
    // destroy, not close: a server that never answered must not keep the process alive.
    await this.dispatcher.destroy();
  }
}

function withoutAuthorization(headers: Record<string, string>): Record<string, string> {
  return Object.fromEntries(Object.entries(headers).filter(([k]) => k.toLowerCase() !== "authorization"));
}

function tooLarge(url: string, maxBytes: number, declared?: number): NetworkFailure {
  const mib = 1024 * 1024;
  const limit = `the download limit of ${maxBytes % mib === 0 ? `${maxBytes / mib} MiB` : `${maxBytes} bytes`}`;
  const what =
    declared === undefined
      ? `kept sending past ${limit}, so reading stopped`
      : `announced ${declared} bytes (Content-Length), more than ${limit}, so it was not read`;
  return new NetworkFailure(
    `the answer from ${url} ${what}. Swagger documents take a few MB at most; if this one really is larger, ` +
      "raise the limit with --max-download-mb <n>",
    "too-large",
  );
}

function describeFailure(error: unknown, url: string, timedOut: boolean, timeoutMs: number): NetworkFailure {
  if (timedOut) {
    return new NetworkFailure(
      `no complete answer from ${url} within ${timeoutMs} ms (timeout; a slow portal may need a larger --timeout <ms>)`,
      "timeout",
    );
  }
  const cause = (error instanceof Error && error.cause instanceof Error ? error.cause : error) as
    | (Error & { code?: string })
    | undefined;
  const code = typeof cause?.code === "string" ? cause.code : "";
  const detail = cause instanceof Error ? cause.message : String(error);
  if (TLS_CODES.has(code) || code.startsWith("ERR_TLS_") || code.startsWith("ERR_SSL_") || /certificate/i.test(detail)) {
    const hint =
      code === "ERR_TLS_CERT_ALTNAME_INVALID"
        ? "the server's certificate is not issued for this host name; use the name the certificate was issued for"
        : "if the server uses a self-signed or private CA certificate, trust that CA with --ca <file.pem>";
    return new NetworkFailure(`TLS failure talking to ${url}: ${detail}${code ? ` (${code})` : ""}; ${hint}`, "tls");
  }
  if (code === "ECONNREFUSED" || code === "ENOTFOUND" || code === "EAI_AGAIN" || code === "ECONNRESET") {
    return new NetworkFailure(`could not connect to ${url}: ${detail} (${code})`, "connect");
  }
  return new NetworkFailure(`request to ${url} failed: ${detail}${code ? ` (${code})` : ""}`, "other");
}
