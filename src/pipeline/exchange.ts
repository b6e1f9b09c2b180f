// One HTTP exchange as the client does it everywhere (API calls and logon calls alike): add this
// client's cookies for the origin, send, keep the cookies the server sets, follow a few same-origin
// redirects, and refuse any redirect to another origin (it could carry the session token, cookies
// or the request body away). Same shape as the transport's send, which it wraps.
import { InvalidResponseError } from "../errors/invalid-response.js";
import { NetworkError } from "../errors/network.js";
import { UnsafeRedirectError } from "../errors/unsafe-redirect.js";
import type { CookieJar } from "../core/cookie-jar.js";
import { originOf, type HttpRequest } from "../transport/http-request.js";
import type { Transport } from "../transport/transport.js";

const MAX_REDIRECTS = 5;
const REDIRECT_STATUSES = new Set([301, 302, 303, 307, 308]);

/** The transport's send, with cookies and redirects. */
export type ExchangeSend = Transport["send"];

export interface ExchangeOptions {
  send: Transport["send"];
  cookies: CookieJar;
  /** Logon and logoff exchanges: the cookies their answers set are kept whatever else arrives. */
  pinCookies?: boolean;
}

export function createExchange({ send, cookies, pinCookies = false }: ExchangeOptions): ExchangeSend {
  return async function exchange(request, options = {}) {
    let current = request;
    for (let hops = 0; ; hops++) {
      const origin = originOf(current.url);
      const cookie = cookies.headerFor(origin);
      const outgoing = cookie === undefined ? current : withCookie(current, cookie);
      const response = await send(outgoing, options);
      const setCookies = response.headers.getSetCookie();
      if (setCookies.length) cookies.store(origin, setCookies, pinCookies);
      if (!REDIRECT_STATUSES.has(response.status)) return response;
      const location = response.headers.get("location");
      if (location === null) return response;
      void response.body?.cancel().catch(() => undefined);

      const target = redirectTarget(location, current, response.status, origin);
      if (target.origin !== origin) {
        throw new UnsafeRedirectError({ status: response.status, fromOrigin: origin, toOrigin: target.origin });
      }
      if (hops >= MAX_REDIRECTS) {
        // Named by the caller's own request: the Locations are server text.
        const { pathname: urlPath, host } = new URL(request.url);
        throw new NetworkError(`${request.method} ${urlPath} at ${host}: stopped after ${MAX_REDIRECTS} redirects`, {
          method: request.method,
          urlPath,
          retriable: false,
        });
      }
      current = redirected(current, target, response.status);
    }
  };
}

function withCookie(request: HttpRequest, cookie: string): HttpRequest {
  const headers = new Headers(request.headers);
  headers.set("cookie", cookie);
  return { ...request, headers };
}

/**
 * The URL a redirect points to. A Location that is no URL, or that holds credentials, is refused here:
 * the TypeError of URL or fetch would quote it, and with it whatever a server echoed into it.
 */
function redirectTarget(location: string, current: HttpRequest, status: number, origin: string): URL {
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

function redirected(current: HttpRequest, target: URL, status: number): HttpRequest {
  // Fetch rules: 303 turns anything but HEAD into GET; 301/302 turn POST into GET.
  const toGet = (status === 303 && current.method !== "HEAD") || ((status === 301 || status === 302) && current.method === "POST");
  const headers = new Headers(current.headers);
  headers.delete("cookie");
  if (!toGet) return { method: current.method, url: target.href, headers, body: current.body };
  headers.delete("content-type");
  headers.delete("content-length");
  return { method: "GET", url: target.href, headers, body: null };
}
