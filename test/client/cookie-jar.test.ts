import { describe, expect, it } from "vitest";
import { CookieJar } from "../../src/core/cookie-jar.js";

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
