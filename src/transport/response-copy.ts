// Rebuilding a response with another body, headers or Response class (a size-limited stream, a body
// already read, redacted headers, the global class for openapi-fetch middleware). The constructor
// cannot set `url` and `redirected`; error messages and redirect checks need them, so they are kept.

/** What a copy needs of the original: undici's and the global Response both have it. */
export interface CopyableResponse {
  status: number;
  statusText: string;
  headers: Iterable<[string, string]>;
  url: string;
  redirected: boolean;
}

type ResponseClass<R> = new (body: never, init: { status: number; statusText: string; headers: never }) => R;

export function copyResponse<R>(
  res: CopyableResponse,
  body: ReadableStream<Uint8Array> | ArrayBuffer | string | null,
  Class: ResponseClass<R>,
  headers: Iterable<[string, string]> = res.headers,
): R {
  const out = new Class(body as never, { status: res.status, statusText: res.statusText, headers: headers as never });
  Object.defineProperty(out, "url", { value: res.url, enumerable: true });
  Object.defineProperty(out, "redirected", { value: res.redirected, enumerable: true });
  return out;
}
