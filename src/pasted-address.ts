// Addresses people paste as a self-hosted deployment's URL that point into the PVWA rather than at its
// root: a web UI page ("https://pvwa/PasswordVault/v10/logon", ".../logon.aspx"), an operation
// (".../PasswordVault/API/Accounts") or a Privilege Cloud portal path ("/privilegecloud"). Appending the
// API path to them gives URLs that answer 404 or HTML; this finds the root they were copied from.

/** A pasted address that is not a root: the root to use, and what to drop from the path. */
export interface PastedAddress {
  /** Origin and any reverse-proxy prefix, without a trailing slash. */
  root: string;
  /** The part of the path to drop, as it was written (e.g. "/PasswordVault/v10/logon"). */
  dropped: string;
  /** The IIS application name the path shows, when it is not the configured one. */
  applicationName: string | undefined;
}

/** The pieces the API bases are built on; anything else after the application is a page or an operation. */
const API_SEGMENTS = new Set(["api", "webservices"]);
/** The PVWA web UI lives under /<app>/v10/ (every version since 10), older pages are .aspx. */
const WEB_UI_SEGMENT = /^v10$|\.aspx$/i;
/** The Privilege Cloud portal's path. */
const PORTAL_SEGMENT = /^privilegecloud$/i;

/**
 * What to drop from `url` (letter case and trailing slashes ignored) to reach the API root for an IIS
 * application named `applicationName`; undefined when `url` is a root, "<root>/<app>", or
 * "<root>/<app>/API" / "<root>/<app>/WebServices".
 */
export function pastedAddress(url: URL, applicationName: string): PastedAddress | undefined {
  const segments = url.pathname.replace(/\/+$/, "").split("/").slice(1);
  const lower = segments.map((s) => s.toLowerCase());
  const app = applicationName.toLowerCase().split("/");
  const at = (start: number): PastedAddress => ({
    root: `${url.origin}${segments.slice(0, start).map((s) => `/${s}`).join("")}`,
    dropped: segments.slice(start).map((s) => `/${s}`).join(""),
    applicationName: undefined,
  });

  // The configured application in the path (its last occurrence: a prefix may repeat the name).
  for (let i = lower.length - app.length; i >= 0; i--) {
    if (!app.every((part, k) => lower[i + k] === part)) continue;
    const rest = lower.slice(i + app.length);
    if (rest.length === 0 || (rest.length === 1 && API_SEGMENTS.has(rest[0]!))) return undefined;
    return at(i);
  }
  // No configured application: a portal path, or the web UI of an application with another name.
  const portal = lower.findIndex((s) => PORTAL_SEGMENT.test(s));
  const page = segments.findIndex((s) => WEB_UI_SEGMENT.test(s));
  if (portal >= 0 && (page < 0 || portal < page)) return at(portal);
  if (page < 0) return undefined;
  if (page === 0) return at(0);
  return { ...at(page - 1), applicationName: segments[page - 1] };
}
