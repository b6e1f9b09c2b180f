// A cheap stand-in for the Request that openapi-fetch builds for every call. A real Request costs
// a URL parse, a RequestInit conversion, a header copy and an AbortSignal, and undici's fetch then
// builds a second one from it; for a bodiless request that nobody outside the client looks at,
// the transport can instead hand the URL, method and headers straight to undici's fetch (one
// Request per call, as with a bare fetch). Anything out of the ordinary (a body, extra init
// options, an unusual method, a URL a Request would refuse) gets a real Request, so errors and
// behaviour stay exactly those of the Request class.

import { Headers as UndiciHeaders } from "undici";

/** Methods a Request keeps as they are (already normalised); anything else goes to the real class. */
const PLAIN_METHODS = new Set(["GET", "HEAD", "DELETE", "OPTIONS", "PUT", "POST", "PATCH"]);
const REDIRECT_MODES = new Set(["follow", "manual", "error"]);
/** RequestInit keys the stand-in understands; any other key means a real Request. */
const PLAIN_KEYS = new Set(["method", "headers", "body", "redirect"]);

type RedirectMode = NonNullable<RequestInit["redirect"]>;

/**
 * What the client's pipeline uses of a Request (url, method, headers, redirect, body, bodyUsed,
 * clone). Only ever seen by the client itself: callers that get a Request (hooks) get a real one.
 */
export class BodilessRequest {
  readonly url: string;
  readonly method: string;
  readonly headers: Headers;
  readonly redirect: RedirectMode;
  readonly body = null;
  readonly bodyUsed = false;

  constructor(url: string, method: string, headers: Headers, redirect: RedirectMode) {
    this.url = url;
    this.method = method;
    this.headers = headers;
    this.redirect = redirect;
  }

  clone(): BodilessRequest {
    const headers = new UndiciHeaders() as unknown as Headers;
    for (const [name, value] of this.headers) headers.append(name, value);
    return new BodilessRequest(this.url, this.method, headers, this.redirect);
  }
}

/**
 * A class to give openapi-fetch as its `Request`: `new` on it returns a BodilessRequest when
 * `allowed()` says nobody outside the client will see the request and the init is a plain
 * bodiless one, else a `RealRequest`.
 */
export function bodilessRequestClass(RealRequest: typeof Request, allowed: () => boolean): typeof Request {
  function ClientRequest(input: ConstructorParameters<typeof Request>[0], init?: RequestInit): Request {
    // undici has its own FormData class and would send a global one as "[object FormData]": such
    // a request is built by the global class, which the transport rebuilds with the encoded body.
    if (init?.body instanceof FormData) return new Request(input, init);
    return (typeof input === "string" && init !== undefined && allowed() && bodiless(input, init)) || new RealRequest(input, init);
  }
  return ClientRequest as unknown as typeof Request;
}

function bodiless(input: string, init: RequestInit): Request | undefined {
  for (const key in init) if (!PLAIN_KEYS.has(key)) return undefined;
  if (init.body !== undefined && init.body !== null) return undefined;
  const method = init.method ?? "GET";
  if (!PLAIN_METHODS.has(method)) return undefined;
  const redirect = init.redirect ?? "follow";
  if (!REDIRECT_MODES.has(redirect)) return undefined;
  // openapi-fetch merges all headers into one global Headers object. They are moved into undici's
  // own class, which undici's fetch takes over without converting it entry by entry.
  const given = init.headers;
  if (!(given instanceof Headers)) return undefined;
  const headers = new UndiciHeaders() as unknown as Headers;
  for (const [name, value] of given) headers.append(name, value);
  // The Request constructor's URL rules (it throws for these, so they go to it).
  let parsed: URL;
  try {
    parsed = new URL(input);
  } catch {
    return undefined;
  }
  if (parsed.username || parsed.password) return undefined;
  return new BodilessRequest(parsed.href, method, headers, redirect) as unknown as Request;
}
