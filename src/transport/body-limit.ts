// Caps response bodies: the declared Content-Length is checked before reading, then a counting
// stream fails the body with ResponseTooLargeError once the limit is passed (chunked or
// compressed bodies, or a server that lies about the length).
import { InvalidResponseError } from "../errors/invalid-response.js";
import { ResponseTooLargeError } from "../errors/response-too-large.js";

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
  if (!url) return undefined;
  try {
    const u = new URL(url);
    return `${u.origin}${u.pathname}`;
  } catch {
    return undefined;
  }
}

/** Re-streams `source`, failing with ResponseTooLargeError once more than `limitBytes` arrived. */
function limitedStream(
  source: ReadableStream<Uint8Array>,
  limitBytes: number,
  url: string | undefined,
): ReadableStream<Uint8Array> {
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
          const error = new ResponseTooLargeError({ limitBytes, receivedBytes: received, declared: false, url });
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
 * Returns a global `Response` (what openapi-fetch's middleware checks with `instanceof`) whose
 * body is limited to `limitBytes`. Throws at once when Content-Length already exceeds it.
 */
export function limitResponseBody(res: LimitableResponse, limitBytes: number, method: string): Response {
  const url = displayUrl(res.url);
  if (res.status < 200 || res.status > 599) {
    // HTTP parsers accept any three-digit code; a Response cannot carry one outside 200-599.
    res.body?.cancel().catch(() => {});
    throw new InvalidResponseError(`The server answered with HTTP status ${res.status}, which is not a valid final status`, {
      status: res.status,
      method,
      urlPath: url ? new URL(url).pathname : "",
    });
  }
  const hasBody = res.body !== null && method !== "HEAD" && !NULL_BODY_STATUSES.has(res.status);

  if (hasBody) {
    const declared = res.headers.get("content-length");
    const declaredBytes = declared === null ? NaN : Number(declared);
    if (Number.isFinite(declaredBytes) && declaredBytes > limitBytes) {
      res.body?.cancel().catch(() => {});
      throw new ResponseTooLargeError({ limitBytes, receivedBytes: declaredBytes, declared: true, url });
    }
  } else if (res.body !== null) {
    res.body.cancel().catch(() => {});
  }

  const body = hasBody && res.body ? limitedStream(res.body, limitBytes, url) : null;
  const out = new Response(body, {
    status: res.status,
    statusText: res.statusText,
    headers: new Headers([...res.headers]),
  });
  // The constructor cannot set these; keep them for error messages and redirect checks.
  Object.defineProperty(out, "url", { value: res.url, enumerable: true });
  Object.defineProperty(out, "redirected", { value: res.redirected, enumerable: true });
  return out;
}
