// One HTTP exchange as the client does it everywhere (API calls and logon calls alike): add this
// client's cookies for the origin, send with redirect "manual", keep the cookies the server sets,
// follow a few same-origin redirects, and refuse any redirect to another origin (it could carry the
// session token, cookies or the request body away).
import { InvalidResponseError } from "../errors/invalid-response.js";
import { UnsafeRedirectError } from "../errors/unsafe-redirect.js";
import { NetworkError } from "../errors/network.js";
import type { Transport } from "../transport/transport.js";
import { Cancellation } from "./cancellation.js";
import type { CookieJar } from "./cookie-jar.js";

const MAX_REDIRECTS = 5;
const REDIRECT_STATUSES = new Set([301, 302, 303, 307, 308]);

export interface Exchange {
  transport: Transport;
  cookies: CookieJar;
  /** Logon and logoff exchanges: the cookies their answers set are kept whatever else arrives. */
  pinCookies?: boolean;
}

/** The origin of an absolute URL string, without allocating a URL object on the hot path. */
export function originOf(url: string): string {
  const schemeEnd = url.indexOf("://");
  if (schemeEnd < 0) return new URL(url).origin;
  const pathStart = url.indexOf("/", schemeEnd + 3);
  const origin = pathStart < 0 ? url : url.slice(0, pathStart);
  // URL serialisation already lower-cases and drops default ports; only normalise the odd cases.
  return /[A-Z@]|:(80|443)$/.test(origin) ? new URL(url).origin : origin;
}

/**
 * Sends `request` (its headers already final). `replayBody` builds the body again for a redirect
 * that keeps the method (307/308); without it such a redirect of a request with a body is refused.
 * `cancel` ends the exchange: a Cancellation (API calls) through the transport's dispatcher, an
 * AbortSignal (logon calls) as fetch's signal.
 */
export async function exchange(ex: Exchange, request: Request, replayBody?: () => Request, cancel?: AbortSignal | Cancellation): Promise<Response> {
  const cancellation = cancel instanceof Cancellation ? cancel : undefined;
  // A signal goes to fetch rather than into the Request: a Request that follows a signal costs
  // several times more to build.
  const signal = cancel instanceof Cancellation ? undefined : cancel;
  const init: RequestInit | undefined = signal ? { signal, redirect: "manual" } : undefined;
  let current = request;
  for (let hops = 0; ; hops++) {
    const origin = originOf(current.url);
    const cookie = ex.cookies.headerFor(origin);
    if (cookie !== undefined) current.headers.set("cookie", cookie);
    const response = await ex.transport.send(current, init ?? (current.redirect === "manual" ? undefined : { redirect: "manual" }), cancellation);
    const setCookies = response.headers.getSetCookie();
    if (setCookies.length) ex.cookies.store(origin, setCookies, ex.pinCookies === true);
    if (!REDIRECT_STATUSES.has(response.status)) return response;
    const location = response.headers.get("location");
    if (location === null) return response;
    void response.body?.cancel().catch(() => undefined);

    const target = redirectTarget(location, current, response.status, origin);
    if (target.origin !== origin) {
      throw new UnsafeRedirectError({ status: response.status, fromOrigin: origin, toOrigin: target.origin });
    }
    if (hops >= MAX_REDIRECTS) {
      throw new NetworkError(`stopped after ${MAX_REDIRECTS} redirects (last one to ${target.pathname})`, {
        method: current.method,
        urlPath: new URL(current.url).pathname,
      });
    }
    current = await redirected(ex.transport.Request, current, target, response.status, replayBody);
  }
}

/**
 * The URL a redirect points to. A Location that is no URL, or that holds credentials, is refused here:
 * the TypeError of URL or Request would quote it, and with it whatever a server echoed into it.
 */
function redirectTarget(location: string, current: Request, status: number, origin: string): URL {
  let target: URL;
  try {
    target = new URL(location, current.url);
  } catch {
    throw new InvalidResponseError(`the server redirected (${status}) to a Location that is not a valid URL`, {
      status,
      method: current.method,
      urlPath: new URL(current.url).pathname,
    });
  }
  if (target.username || target.password) {
    throw new UnsafeRedirectError({
      status,
      fromOrigin: origin,
      toOrigin: target.origin,
      reason: `the server redirected (${status}) to a URL with a user name or password, which the client does not follow`,
    });
  }
  return target;
}

async function redirected(RequestClass: typeof Request, current: Request, target: URL, status: number, replayBody?: () => Request): Promise<Request> {
  // Fetch rules: 303 turns anything but HEAD into GET; 301/302 turn POST into GET.
  const toGet = (status === 303 && current.method !== "HEAD") || ((status === 301 || status === 302) && current.method === "POST");
  const headers = new Headers(current.headers);
  headers.delete("cookie");
  const init: RequestInit = { method: toGet ? "GET" : current.method, headers, redirect: "manual" };
  if (toGet) {
    headers.delete("content-type");
    headers.delete("content-length");
  } else if (current.body !== null || current.bodyUsed) {
    if (!replayBody) {
      throw new UnsafeRedirectError({
        status,
        fromOrigin: target.origin,
        toOrigin: target.origin,
        reason: `the server redirected (${status}) a request with a body to ${target.pathname}, and the body could not be sent again`,
      });
    }
    // Buffered (API bodies are small) so it goes out with a Content-Length like the first time,
    // not as a chunked upload that some proxies and load balancers in front of a PVWA refuse.
    init.body = await replayBody().arrayBuffer();
  }
  return new RequestClass(target, init);
}
