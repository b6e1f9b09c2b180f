// Per-client cookie store. PVWA behind a load balancer ties the session to the node that issued it
// through cookies, so cookies set by a response are sent back, but only to the origin that set
// them (no Domain widening, no sharing between clients).

interface StoredCookie {
  value: string;
  /** Epoch ms; undefined = session cookie. */
  expiresAt: number | undefined;
}

export class CookieJar {
  private readonly byOrigin = new Map<string, Map<string, StoredCookie>>();

  /** Records the Set-Cookie headers of a response from `origin`. */
  store(origin: string, setCookies: readonly string[]): void {
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
      if (expiresAt !== undefined && expiresAt <= now) jar.delete(name);
      else jar.set(name, { value, expiresAt });
    }
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

  /** All cookie values (so the secret registry can keep them out of logs). */
  values(): string[] {
    const out: string[] = [];
    for (const jar of this.byOrigin.values()) for (const c of jar.values()) out.push(c.value);
    return out;
  }

  clear(): void {
    this.byOrigin.clear();
  }
}
