// Per-client cookie store. PVWA behind a load balancer ties the session to the node that issued it
// through cookies, so cookies set by a response are sent back, but only to the origin that set
// them (no Domain widening, no sharing between clients).
//
// Bounded (RFC 6265 §6.1 lets a client limit cookies): a load balancer or WAF that sets a new cookie on every
// answer would otherwise grow the Cookie header until the server refuses every request (431). Past the limits
// the oldest cookie goes first, except the ones a logon set: they carry the session's affinity.

/** Cookies kept per origin, and the size of one cookie and of all of an origin's together (name=value). */
export const COOKIE_LIMITS = Object.freeze({ perOrigin: 50, cookieBytes: 4096, headerBytes: 8192 });

interface StoredCookie {
  value: string;
  /** Epoch ms; undefined = session cookie. */
  expiresAt: number | undefined;
  /** Set by a logon or logoff answer: never evicted to make room. */
  pinned: boolean;
}

const sizeOf = (name: string, cookie: StoredCookie) => name.length + 1 + cookie.value.length;

export class CookieJar {
  private readonly byOrigin = new Map<string, Map<string, StoredCookie>>();

  /** Records the Set-Cookie headers of a response from `origin`; `pinned` for a logon's answer. */
  store(origin: string, setCookies: readonly string[], pinned = false): void {
    if (setCookies.length === 0) return;
    let jar = this.byOrigin.get(origin);
    if (!jar) {
      jar = new Map();
      this.byOrigin.set(origin, jar);
    }
    const now = Date.now();
    for (const line of setCookies) {
      const [pair = "", ...attributes] = line.split(";");
      const eq = pair.indexOf("=");
      if (eq <= 0) continue;
      const name = pair.slice(0, eq).trim();
      const value = pair.slice(eq + 1).trim();
      let expiresAt: number | undefined;
      for (const attribute of attributes) {
        const [rawKey = "", ...rest] = attribute.split("=");
        const key = rawKey.trim().toLowerCase();
        const attrValue = rest.join("=").trim();
        if (key === "max-age") {
          const seconds = Number(attrValue);
          if (Number.isFinite(seconds)) expiresAt = now + seconds * 1000;
        } else if (key === "expires" && expiresAt === undefined) {
          const at = Date.parse(attrValue);
          if (!Number.isNaN(at)) expiresAt = at;
        }
      }
      const stored = { value, expiresAt, pinned: pinned || jar.get(name)?.pinned === true };
      // Set again, it counts as the newest: Map order is age order.
      jar.delete(name);
      if ((expiresAt !== undefined && expiresAt <= now) || sizeOf(name, stored) > COOKIE_LIMITS.cookieBytes) continue;
      jar.set(name, stored);
    }
    evictOldest(jar);
  }

  /** The Cookie header value for a request to `origin`, or undefined when there is none. */
  headerFor(origin: string): string | undefined {
    const jar = this.byOrigin.get(origin);
    if (!jar || jar.size === 0) return undefined;
    const now = Date.now();
    const parts: string[] = [];
    for (const [name, cookie] of jar) {
      if (cookie.expiresAt !== undefined && cookie.expiresAt <= now) jar.delete(name);
      else parts.push(`${name}=${cookie.value}`);
    }
    return parts.length ? parts.join("; ") : undefined;
  }

  clear(): void {
    this.byOrigin.clear();
  }
}

function evictOldest(jar: Map<string, StoredCookie>): void {
  let bytes = 0;
  for (const [name, cookie] of jar) bytes += sizeOf(name, cookie) + 2;
  for (const [name, cookie] of jar) {
    if (jar.size <= COOKIE_LIMITS.perOrigin && bytes <= COOKIE_LIMITS.headerBytes) return;
    if (cookie.pinned) continue;
    jar.delete(name);
    bytes -= sizeOf(name, cookie) + 2;
  }
}
