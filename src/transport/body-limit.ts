// Caps response bodies: the declared Content-Length is checked before reading, then a counting
// stream fails the body with ResponseTooLargeError once the limit is passed (chunked or
// compressed bodies, or a server that lies about the length). A body with an exact
// Content-Length within the limit is handed on as it is: undici never delivers more bytes than
// declared when nothing decodes them, so counting would only cost time on every call.
import { InvalidResponseError } from "../errors/invalid-response.js";
import { ResponseTooLargeError } from "../errors/response-too-large.js";
import { urlText } from "../logging/url-text.js";
import { copyResponse } from "./response-copy.js";

/** Statuses whose responses have no body by definition (Fetch "null body status"). */
const NULL_BODY_STATUSES = new Set([101, 103, 204, 205, 304]);

export interface LimitableResponse {
  status: number;
  statusText: string;
  headers: Iterable<[string, string]> & { get(name: string): string | null };
  body: ReadableStream<Uint8Array> | null;
  url: string;
  redirected: boolean;
}

function displayUrl(url: string): string | undefined {
  return url ? urlText(url, { withOrigin: true }) : undefined;
}

/** Re-streams `source`, failing with ResponseTooLargeError once more than `limitBytes` arrived. */
function limitedStream(source: ReadableStream<Uint8Array>, limitBytes: number, rawUrl: string): ReadableStream<Uint8Array> {
  const reader = source.getReader();
  let received = 0;
  return new ReadableStream<Uint8Array>(
    {
      async pull(controller) {
        const { done, value } = await reader.read();
        if (done) {
          controller.close();
          return;
        }
        received += value.byteLength;
        if (received > limitBytes) {
          const error = new ResponseTooLargeError({ limitBytes, receivedBytes: received, declared: false, url: displayUrl(rawUrl) });
          controller.error(error);
          // Stop the download: the connection is dropped instead of reading the rest.
          reader.cancel(error).catch(() => {});
          return;
        }
        controller.enqueue(value);
      },
      cancel(reason) {
        return reader.cancel(reason);
      },
    },
    { highWaterMark: 0 },
  );
}

/**
 * The response to hand on, its body limited to `limitBytes`; throws at once when Content-Length
 * already exceeds it. `res` itself when nothing needs changing (the common case: a declared,
 * uncompressed body within the limit), otherwise a new Response with the same status,
 * headers, url and redirected flag.
 */
export function limitResponseBody<R extends LimitableResponse>(res: R, limitBytes: number, method: string): R {
  const status = res.status;
  if (status < 200 || status > 599) {
    // HTTP parsers accept any three-digit code; a Response cannot carry one outside 200-599.
    res.body?.cancel().catch(() => {});
    throw new InvalidResponseError(`The server answered with HTTP status ${status}, which is not a valid final status`, {
      status,
      method,
      urlPath: res.url ? urlText(res.url) : "",
    });
  }
  if (res.body === null) return res;
  if (method === "HEAD" || NULL_BODY_STATUSES.has(status)) {
    res.body.cancel().catch(() => {});
    return copyResponse(res, null) as unknown as R;
  }

  const headers = res.headers;
  const declared = headers.get("content-length");
  const declaredBytes = declared === null ? NaN : Number(declared);
  if (Number.isFinite(declaredBytes)) {
    if (declaredBytes > limitBytes) {
      res.body.cancel().catch(() => {});
      throw new ResponseTooLargeError({ limitBytes, receivedBytes: declaredBytes, declared: true, url: displayUrl(res.url) });
    }
    // Exact length: no content coding (which undici would decode into more bytes) and no chunking.
    if (headers.get("content-encoding") === null && headers.get("transfer-encoding") === null) return res;
  }
  return copyResponse(res, limitedStream(res.body, limitBytes, res.url)) as unknown as R;
}

