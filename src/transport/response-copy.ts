// Rebuilding a response with another body or headers (a size-limited stream, a body already read,
// redacted headers). Always undici's Response class, as every response of the client. The
// constructor cannot set `url` and `redirected`; error messages and redirect checks need them, so
// they are kept.
import { Response as UndiciResponse } from "undici";

/** What a copy needs of the original: undici's and the global Response both have it. */
export interface CopyableResponse {
  status: number;
  statusText: string;
  headers: Iterable<[string, string]>;
  url: string;
  redirected: boolean;
}

export function copyResponse(
  res: CopyableResponse,
  body: ReadableStream<Uint8Array> | ArrayBuffer | string | null,
  headers: Iterable<[string, string]> = res.headers,
): Response {
  const out = new UndiciResponse(body as never, { status: res.status, statusText: res.statusText, headers: headers as never }) as unknown as Response;
  Object.defineProperty(out, "url", { value: res.url, enumerable: true });
  Object.defineProperty(out, "redirected", { value: res.redirected, enumerable: true });
  return out;
}
