// One request as the client sends it: what fetch needs, with the body already serialised, so any
// attempt (a retry, the replay after a fresh logon, a 307 redirect) can send it again as it is.

export interface HttpRequest {
  readonly method: string;
  /** Absolute URL. */
  readonly url: string;
  readonly headers: Headers;
  readonly body: string | Uint8Array | null;
}

/** The same request with one header set (or removed with `undefined`); the original is left as it was. */
export function withHeader(request: HttpRequest, name: string, value: string | undefined): HttpRequest {
  const headers = new Headers(request.headers);
  if (value === undefined) headers.delete(name);
  else headers.set(name, value);
  return { ...request, headers };
}

/** The origin of an absolute URL string, without allocating a URL object on the common path. */
export function originOf(url: string): string {
  const schemeEnd = url.indexOf("://");
  if (schemeEnd < 0) return new URL(url).origin;
  // The authority ends at the first "/", "?", "#" or "\\" (which URL parsing treats as "/").
  const rest = url.slice(schemeEnd + 3);
  const end = rest.search(/[/?#\\]/);
  const origin = end < 0 ? url : url.slice(0, schemeEnd + 3 + end);
  // URL serialisation already lower-cases and drops default ports; only normalise the odd cases.
  return /[A-Z@]|:(80|443)$/.test(origin) ? new URL(url).origin : origin;
}
