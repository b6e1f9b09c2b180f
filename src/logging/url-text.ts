// The one way a URL becomes text for an error message or a log line: path and query, the values of
// secret-named query keys (isSensitiveKey) replaced and every other value kept as sent, so a failing
// `savedFilter` or `offset` can be seen; the origin only when asked, and never a user name or password.
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
