import { describe, expect, it } from "vitest";
import { COOKIE_LIMITS, CookieJar } from "../../src/core/cookie-jar.js";

describe("CookieJar", () => {
  it("keeps cookies per origin, updates, expires and deletes them", () => {
    const jar = new CookieJar();
    jar.store("https://a.example", ["X=1; Path=/; HttpOnly; Secure", "Y=2=3", "bad"]);
    jar.store("https://b.example", ["Z=9"]);
    expect(jar.headerFor("https://a.example")).toBe("X=1; Y=2=3");
    expect(jar.headerFor("https://b.example")).toBe("Z=9");
    expect(jar.headerFor("https://c.example")).toBeUndefined();
    jar.store("https://a.example", ["X=10", "Y=; Expires=Thu, 01 Jan 1970 00:00:00 GMT"]);
    expect(jar.headerFor("https://a.example")).toBe("X=10");
    jar.store("https://a.example", ["X=11; Max-Age=0"]);
    expect(jar.headerFor("https://a.example")).toBeUndefined();
    jar.clear();
    expect(jar.headerFor("https://b.example")).toBeUndefined();
  });
});

describe("bounds", () => {
  const origin = "https://pvwa.example.test";

  it("keeps at most the per-origin count and header size, dropping the oldest first but never a logon's cookie", () => {
    const jar = new CookieJar();
    jar.store(origin, ["LBNODE=node-1", "ASP.NET_SessionId=abc"], true);
    for (let i = 0; i < 300; i++) jar.store(origin, [`waf${i}=${"v".repeat(20)}`]);
    const header = jar.headerFor(origin) ?? "";
    const names = header.split("; ").map((p) => p.split("=")[0]);
    expect(names.length).toBeLessThanOrEqual(COOKIE_LIMITS.perOrigin);
    expect(header.length).toBeLessThanOrEqual(COOKIE_LIMITS.headerBytes);
    expect(names.slice(0, 2)).toEqual(["LBNODE", "ASP.NET_SessionId"]);
    expect(names).toContain("waf299"); // the newest stay
    expect(names).not.toContain("waf0");
  });

  it("refuses one cookie larger than the per-cookie limit, and lets big ones push out old ones by size", () => {
    const jar = new CookieJar();
    jar.store(origin, [`huge=${"x".repeat(COOKIE_LIMITS.cookieBytes)}`]);
    expect(jar.headerFor(origin)).toBeUndefined();
    for (let i = 0; i < 5; i++) jar.store(origin, [`big${i}=${"y".repeat(3000)}`]);
    const header = jar.headerFor(origin) ?? "";
    expect(header.length).toBeLessThanOrEqual(COOKIE_LIMITS.headerBytes);
    expect(header.split("; ").map((p) => p.split("=")[0])).toEqual(["big3", "big4"]);
  });

  it("a cookie set again counts as the newest, and keeps being a logon's", () => {
    const jar = new CookieJar();
    jar.store(origin, ["LB=1"], true);
    for (let i = 0; i < 60; i++) jar.store(origin, [`c${i}=1`]);
    jar.store(origin, ["LB=2"]); // a later answer renews it: still pinned
    for (let i = 60; i < 120; i++) jar.store(origin, [`c${i}=1`]);
    expect(jar.headerFor(origin)).toMatch(/(^|; )LB=2(;|$)/);
  });
});

describe("through the client", () => {
  it("300 answers that each set a new cookie: no call fails on header size, and the logon's cookie stays", async () => {
    const { vaultTenant, makeClient } = await import("./helpers.js");
    const { tenant } = await vaultTenant();
    let n = 0;
    tenant.authed("GET", "/PasswordVault/API/Safes", (req) => {
      const cookie = String(req.headers["cookie"] ?? "");
      // What IIS does past its header limit.
      if (cookie.length > 8192) return { status: 431 };
      return { json: { value: [], count: 0 }, headers: { "set-cookie": `waf${n++}=${"t".repeat(40)}; Path=/` } };
    });
    const client = makeClient(tenant);
    try {
      for (let i = 0; i < 300; i++) await (client.gen2.GET as unknown as (p: string) => Promise<unknown>)("/Safes");
      const last = tenant.requestsTo("GET", "/PasswordVault/API/Safes").at(-1);
      expect(String(last?.headers["cookie"])).toMatch(/(^|; )LBNODE=node-1(;|$)/);
    } finally {
      await client.close();
      await tenant.close();
    }
  }, 60_000);
});
