// The one way a URL becomes text for an error message or a log line: path and query, the values of
// secret-named query keys (isSensitiveKey) replaced and every other value kept as sent, so a failing
// `savedFilter` or `offset` can be seen; the origin only when asked, and never a user name or password.
// An address the user gave as an option (givenUrlText) is quoted more tightly: a pasted URL may carry a
// password or a token anywhere in its user-info or query, so neither is ever quoted.
import { isSensitiveKey, REDACTED } from "./redact.js";

export function urlText(url: string | URL, options: { withOrigin?: boolean } = {}): string {
  let parsed: URL;
  try {
    parsed = new URL(String(url));
  } catch {
    return "(invalid URL)";
  }
  const front = options.withOrigin ? `${parsed.origin}${parsed.pathname}` : parsed.pathname;
  if (!parsed.search) return front;
  const pairs = parsed.search
    .slice(1)
    .split("&")
    .map((pair) => {
      const eq = pair.indexOf("=");
      if (eq < 0) return pair;
      const key = pair.slice(0, eq);
      return isSensitiveKey(decodeQueryKey(key)) ? `${key}=${REDACTED}` : pair;
    });
  return `${front}?${pairs.join("&")}`;
}

function decodeQueryKey(key: string): string {
  try {
    return decodeURIComponent(key.replace(/\+/g, " "));
  } catch {
    return key;
  }
}

/**
 * An option's address (deployment.url, identityUrl, discoveryUrl, ...) as an error message may quote it,
 * quotes included: scheme, host, port and path, never the user name, password, query or fragment (a note
 * says which were there). A value that is not a URL is quoted only as far as "scheme://host:port", and
 * only when that part looks like a host; undefined when nothing can be quoted safely (a password pasted
 * into the field, say).
 */
export function givenUrlText(input: string | URL): string | undefined {
  let url: URL | undefined;
  try {
    url = typeof input === "string" ? new URL(input) : input;
  } catch {
    url = undefined;
  }
  if (url) {
    // An opaque URL ("mailto:x") has no host to quote, only text that may be anything.
    if (!url.host) return undefined;
    return quoted(`${url.protocol}//${url.host}${url.pathname}`, Boolean(url.username || url.password), Boolean(url.search), Boolean(url.hash));
  }
  const text = String(input).trim();
  const scheme = /^[a-z][a-z0-9+.-]*:\/\//i.exec(text)?.[0] ?? "";
  const rest = text.slice(scheme.length);
  // The authority ends where a URL parser ends it; user-info is whatever precedes its last "@".
  const end = rest.search(/[/\\?#]/);
  const authority = end < 0 ? rest : rest.slice(0, end);
  const at = authority.lastIndexOf("@");
  const host = authority.slice(at + 1);
  // Only a host name or IP with an all-digit port: "user:password" without its "@host" is not one.
  if (!HOST_LIKE.test(host)) return undefined;
  const after = end < 0 ? "" : rest.slice(end);
  const tail = /[^/\\]/.test(after.replace(/[?#][\s\S]*$/, "")) ? "/…" : "";
  return quoted(`${scheme.toLowerCase()}${host}${tail}`, at >= 0, after.includes("?"), after.includes("#"));
}

const HOST_LIKE = /^(?:[a-z0-9](?:[a-z0-9-]*[a-z0-9])?(?:\.[a-z0-9](?:[a-z0-9-]*[a-z0-9])?)*\.?|\[[0-9a-f:.]+\])(?::[0-9]*)?$/i;

function quoted(text: string, userInfo: boolean, query: boolean, fragment: boolean): string {
  const removed = [userInfo && "user name and password", query && "query", fragment && "fragment"].filter((part): part is string => Boolean(part));
  if (removed.length === 0) return JSON.stringify(text);
  return `${JSON.stringify(text)} (${removed.join(", ")} removed)`;
}
