// The exchange on its own: a fake send that records every request and answers from a script, and a
// real CookieJar. Covers the cookie rules (per origin, pinned), every redirect rule, the refusals and
// that nothing a server put into a Location comes back in an error.
import { inspect } from "node:util";
import { describe, expect, it } from "vitest";
import { createExchange } from "../../src/pipeline/exchange.js";
import { COOKIE_LIMITS, CookieJar } from "../../src/core/cookie-jar.js";
import type { HttpRequest } from "../../src/transport/http-request.js";
import type { SendOptions } from "../../src/transport/transport.js";
import { NetworkError } from "../../src/errors/network.js";
import { UnsafeRedirectError } from "../../src/errors/unsafe-redirect.js";
import { InvalidResponseError } from "../../src/errors/invalid-response.js";

const A = "https://pvwa.example.test";
const B = "https://other.example.test";

/** What the fake send saw: a snapshot of each request (the headers copied, the body as it was) and the options. */
interface Sent {
  method: string;
  url: string;
  headers: Headers;
  body: string | Uint8Array | null;
  /** The object the exchange handed to send, to check it is passed on as it is. */
  request: HttpRequest;
  options: SendOptions | undefined;
}

type Reply = Response | ((request: HttpRequest) => Response);

/** A send that answers the i-th request with `replies[i]` (the last one repeats), recording each request. */
function fakeSend(...replies: Reply[]): { send: (request: HttpRequest, options?: SendOptions) => Promise<Response>; sent: Sent[] } {
  const sent: Sent[] = [];
  const send = async (request: HttpRequest, options?: SendOptions): Promise<Response> => {
    sent.push({ method: request.method, url: request.url, headers: new Headers(request.headers), body: request.body, request, options });
    // A missing redirect limit would loop for ever: stop it here so the test fails instead of hanging.
    if (sent.length > 50) throw new Error("runaway: more than 50 sends");
    const reply = replies[Math.min(sent.length - 1, replies.length - 1)];
    if (reply === undefined) throw new Error("no scripted reply");
    return typeof reply === "function" ? reply(request) : reply;
  };
  return { send, sent };
}

function redirect(status: number, location: string | null, setCookies: string[] = []): Response {
  const headers = new Headers();
  if (location !== null) headers.set("location", location);
  for (const c of setCookies) headers.append("set-cookie", c);
  return new Response(null, { status, headers });
}

function ok(body = "done", setCookies: string[] = []): Response {
  const headers = new Headers({ "content-type": "text/plain" });
  for (const c of setCookies) headers.append("set-cookie", c);
  return new Response(body, { status: 200, headers });
}

function request(method: string, url: string, init: { headers?: Record<string, string>; body?: string | Uint8Array | null } = {}): HttpRequest {
  return { method, url, headers: new Headers(init.headers), body: init.body ?? null };
}

async function failure(promise: Promise<unknown>): Promise<unknown> {
  return promise.then(
    () => {
      throw new Error("expected the exchange to fail");
    },
    (e: unknown) => e,
  );
}

describe("cookies", () => {
  it("sends the cookies an origin set back to that origin only", async () => {
    const cookies = new CookieJar();
    const { send, sent } = fakeSend(
      ok("a", ["LB=node-1; Path=/; HttpOnly", "ASP.NET_SessionId=abc; Secure"]),
      ok("b", ["B_ONLY=1"]),
      ok("a2"),
      ok("b2"),
    );
    const exchange = createExchange({ send, cookies });
    await exchange(request("GET", `${A}/PasswordVault/API/one`), {});
    await exchange(request("GET", `${B}/two`), {});
    await exchange(request("GET", `${A}/PasswordVault/API/three`), {});
    await exchange(request("GET", `${B}/four`), {});
    expect(sent.map((s) => s.headers.get("cookie"))).toEqual([null, null, "LB=node-1; ASP.NET_SessionId=abc", "B_ONLY=1"]);
    // Stored under the origin, whatever path set them.
    expect(cookies.headerFor(A)).toBe("LB=node-1; ASP.NET_SessionId=abc");
    expect(cookies.headerFor(B)).toBe("B_ONLY=1");
  });

  it("treats the same origin spelled differently (case, default port) as one origin, and another port or scheme as another", async () => {
    const cookies = new CookieJar();
    const { send, sent } = fakeSend(ok("set", ["S=1"]), ok(), ok(), ok(), ok());
    const exchange = createExchange({ send, cookies });
    await exchange(request("GET", "https://PVWA.Example.Test:443/a"), {});
    await exchange(request("GET", `${A}/b`), {});
    await exchange(request("GET", "https://pvwa.example.test:8443/c"), {});
    await exchange(request("GET", "http://pvwa.example.test/d"), {});
    expect(sent.map((s) => s.headers.get("cookie"))).toEqual([null, "S=1", null, null]);
  });

  // The origin of a URL with no path but a query or fragment is the plain origin (cookies, redirects).
  it("takes the origin of a URL with a query but no path as the plain origin (cookies and redirects)", async () => {
    const cookies = new CookieJar();
    const { send, sent } = fakeSend(redirect(302, "/next", ["S=1"]), ok());
    const res = await createExchange({ send, cookies })(request("GET", `${A}?x=1`), {});
    expect(res.status).toBe(200);
    expect(sent.map((s) => s.url)).toEqual([`${A}?x=1`, `${A}/next`]);
    expect(sent[1]?.headers.get("cookie")).toBe("S=1");
    expect(cookies.headerFor(A)).toBe("S=1");
  });

  it("leaves the caller's request as it was (the Cookie header goes on a copy)", async () => {
    const cookies = new CookieJar();
    cookies.store(A, ["S=1"]);
    const { send, sent } = fakeSend(ok());
    const original = request("GET", `${A}/x`, { headers: { authorization: "token" } });
    await createExchange({ send, cookies })(original, {});
    expect(sent[0]?.headers.get("cookie")).toBe("S=1");
    expect(sent[0]?.headers.get("authorization")).toBe("token");
    expect(original.headers.get("cookie")).toBeNull();
    expect([...original.headers]).toEqual([["authorization", "token"]]);
  });

  it("pins the cookies of a pinCookies exchange (a logon's) so later cookie floods never push them out", async () => {
    const flood = Array.from({ length: COOKIE_LIMITS.perOrigin + 20 }, (_, i) => `waf${i}=${"v".repeat(20)}`);
    for (const pinCookies of [true, false]) {
      const cookies = new CookieJar();
      const logon = createExchange({ send: fakeSend(ok("logon", ["LBNODE=node-7"])).send, cookies, pinCookies });
      await logon(request("POST", `${A}/PasswordVault/API/auth/Cyberark/Logon`, { body: "{}" }), {});
      const api = createExchange({ send: fakeSend(ok("flood", flood)).send, cookies });
      await api(request("GET", `${A}/PasswordVault/API/Accounts`), {});
      const header = cookies.headerFor(A) ?? "";
      // Pinned, the logon's cookie stays; not pinned, it is the oldest and goes first.
      expect(/(^|; )LBNODE=node-7(;|$)/.test(header)).toBe(pinCookies);
      expect(header).toContain(`waf${flood.length - 1}=`);
    }
  });

  it("does not pin cookies of an ordinary exchange (pinCookies defaults to false)", async () => {
    const cookies = new CookieJar();
    await createExchange({ send: fakeSend(ok("x", ["FIRST=1"])).send, cookies })(request("GET", `${A}/x`), {});
    for (let i = 0; i < COOKIE_LIMITS.perOrigin; i++) cookies.store(A, [`c${i}=1`]);
    expect(cookies.headerFor(A)).not.toMatch(/FIRST=/);
  });

  it("keeps the cookies a redirect sets and sends them on the next hop; a cookie cleared by the redirect is not sent", async () => {
    const cookies = new CookieJar();
    cookies.store(A, ["OLD=1", "KEEP=1"]);
    const { send, sent } = fakeSend(redirect(302, "/next", ["LB=node-2", "OLD=; Max-Age=0"]), ok("final", ["AFTER=1"]));
    const res = await createExchange({ send, cookies })(request("GET", `${A}/start`), {});
    expect(await res.text()).toBe("final");
    expect(sent.map((s) => s.headers.get("cookie"))).toEqual(["OLD=1; KEEP=1", "KEEP=1; LB=node-2"]);
    expect(cookies.headerFor(A)).toBe("KEEP=1; LB=node-2; AFTER=1");
  });

  it("gives a redirected request the jar's cookies only, never a Cookie header carried over from the previous hop", async () => {
    const cookies = new CookieJar();
    cookies.store(A, ["ONLY=1"]);
    const { send, sent } = fakeSend(redirect(307, "/next", ["ONLY=; Max-Age=0"]), ok());
    // A Cookie header already on the request (the caller's, or a previous hop's) is replaced by the jar's.
    await createExchange({ send, cookies })(request("GET", `${A}/start`, { headers: { cookie: "STALE=1" } }), {});
    expect(sent[0]?.headers.get("cookie")).toBe("ONLY=1");
    // The redirect cleared the jar's only cookie: the next hop has none, neither the jar's old one nor the stale one.
    expect(sent[1]?.headers.get("cookie")).toBeNull();
  });
});

describe("redirects", () => {
  const json = { "content-type": "application/json", "content-length": "7", "x-custom": "kept", authorization: "token" };

  it("follows a same-origin redirect (relative or absolute Location), passes the send options on each hop, and returns the final response", async () => {
    const final = ok("final");
    const { send, sent } = fakeSend(redirect(302, "next?page=2"), redirect(301, `${A}/abs/target`), final);
    const controller = new AbortController();
    const options: SendOptions = { signal: controller.signal };
    const res = await createExchange({ send, cookies: new CookieJar() })(request("GET", `${A}/dir/start`), options);
    expect(res).toBe(final);
    expect(sent.map((s) => s.url)).toEqual([`${A}/dir/start`, `${A}/dir/next?page=2`, `${A}/abs/target`]);
    for (const s of sent) expect(s.options).toBe(options);
  });

  it("returns a 3xx without Location, and statuses that are not redirects (300, 304), as they are", async () => {
    for (const reply of [redirect(302, null), redirect(300, "/elsewhere"), new Response(null, { status: 304, headers: { location: "/x" } })]) {
      const { send, sent } = fakeSend(reply);
      const res = await createExchange({ send, cookies: new CookieJar() })(request("GET", `${A}/x`), {});
      expect(res).toBe(reply);
      expect(sent).toHaveLength(1);
    }
  });

  it("cancels the body of a redirect response it follows", async () => {
    let cancelled = false;
    const body = new ReadableStream<Uint8Array>({
      cancel() {
        cancelled = true;
      },
    });
    const moved = new Response(body, { status: 302, headers: { location: "/next" } });
    const { send } = fakeSend(moved, ok());
    await createExchange({ send, cookies: new CookieJar() })(request("GET", `${A}/start`), {});
    expect(cancelled).toBe(true);
  });

  it("303 turns a POST into a GET without body, Content-Type or Content-Length, keeping the other headers", async () => {
    for (const method of ["POST", "PUT", "DELETE", "PATCH"]) {
      const { send, sent } = fakeSend(redirect(303, "/see-other"), ok());
      await createExchange({ send, cookies: new CookieJar() })(request(method, `${A}/form`, { headers: json, body: '{"a":1}' }), {});
      expect(sent).toHaveLength(2);
      expect(sent[1]).toMatchObject({ method: "GET", url: `${A}/see-other`, body: null });
      expect(sent[1]?.headers.get("content-type")).toBeNull();
      expect(sent[1]?.headers.get("content-length")).toBeNull();
      expect(sent[1]?.headers.get("x-custom")).toBe("kept");
      expect(sent[1]?.headers.get("authorization")).toBe("token");
    }
  });

  it("303 leaves a HEAD a HEAD", async () => {
    const { send, sent } = fakeSend(redirect(303, "/see-other"), ok());
    await createExchange({ send, cookies: new CookieJar() })(request("HEAD", `${A}/x`), {});
    expect(sent[1]?.method).toBe("HEAD");
  });

  it("301 and 302 turn a POST into a GET without body or Content-Type", async () => {
    for (const status of [301, 302]) {
      const { send, sent } = fakeSend(redirect(status, "/moved"), ok());
      await createExchange({ send, cookies: new CookieJar() })(request("POST", `${A}/post`, { headers: json, body: '{"a":1}' }), {});
      expect(sent[1]).toMatchObject({ method: "GET", url: `${A}/moved`, body: null });
      expect(sent[1]?.headers.get("content-type")).toBeNull();
      expect(sent[1]?.headers.get("content-length")).toBeNull();
      expect(sent[1]?.headers.get("x-custom")).toBe("kept");
    }
  });

  it("301 and 302 resend any other method with its body (fetch rules)", async () => {
    for (const status of [301, 302]) {
      for (const method of ["PUT", "DELETE", "PATCH"]) {
        const { send, sent } = fakeSend(redirect(status, "/moved"), ok());
        await createExchange({ send, cookies: new CookieJar() })(request(method, `${A}/r`, { headers: json, body: '{"a":1}' }), {});
        expect(sent[1]).toMatchObject({ method, url: `${A}/moved`, body: '{"a":1}' });
        expect(sent[1]?.headers.get("content-type")).toBe("application/json");
      }
    }
  });

  it("307 and 308 resend the same method with the same body bytes and Content-Type", async () => {
    const bytes = new Uint8Array([0x7b, 0x22, 0x6e, 0x22, 0x3a, 0x31, 0x7d, 0x00, 0xff]);
    for (const status of [307, 308]) {
      for (const body of [bytes, '{"text":"é"}']) {
        const { send, sent } = fakeSend(redirect(status, "/again"), ok());
        await createExchange({ send, cookies: new CookieJar() })(request("POST", `${A}/post`, { headers: json, body }), {});
        expect(sent).toHaveLength(2);
        expect(sent[1]).toMatchObject({ method: "POST", url: `${A}/again` });
        const resent = sent[1]?.body;
        if (typeof body === "string") expect(resent).toBe(body);
        else expect(Buffer.from(resent as Uint8Array).equals(Buffer.from(body))).toBe(true);
        expect(sent[1]?.headers.get("content-type")).toBe("application/json");
        expect(sent[1]?.headers.get("x-custom")).toBe("kept");
      }
    }
    // The caller's bytes are left as they were.
    expect([...bytes]).toEqual([0x7b, 0x22, 0x6e, 0x22, 0x3a, 0x31, 0x7d, 0x00, 0xff]);
  });

  it("follows up to 5 redirects", async () => {
    const { send, sent } = fakeSend(
      redirect(302, "/1"),
      redirect(301, "/2"),
      redirect(307, "/3"),
      redirect(308, "/4"),
      redirect(303, "/5"),
      ok("five hops"),
    );
    const res = await createExchange({ send, cookies: new CookieJar() })(request("GET", `${A}/0`), {});
    expect(await res.text()).toBe("five hops");
    expect(sent.map((s) => new URL(s.url).pathname)).toEqual(["/0", "/1", "/2", "/3", "/4", "/5"]);
  });

  it("ends a redirect loop after 5 redirects with a NetworkError that is not retriable", async () => {
    const { send, sent } = fakeSend(redirect(302, "/loop"));
    const error = await failure(createExchange({ send, cookies: new CookieJar() })(request("GET", `${A}/loop`), {}));
    expect(error).toBeInstanceOf(NetworkError);
    expect(error).toMatchObject({ kind: "NETWORK_ERROR", method: "GET", retriable: false });
    expect((error as Error).message).toMatch(/5 redirects/);
    expect(sent).toHaveLength(6);
  });
});

describe("refused redirects", () => {
  it("refuses a redirect to another origin (host, port, scheme or protocol-relative) without sending anything there", async () => {
    const targets: Array<[string, string]> = [
      [`${B}/steal`, B],
      ["https://pvwa.example.test:8443/x", "https://pvwa.example.test:8443"],
      ["http://pvwa.example.test/x", "http://pvwa.example.test"],
      ["//evil.example.test/x", "https://evil.example.test"],
    ];
    for (const [location, toOrigin] of targets) {
      for (const status of [301, 302, 303, 307, 308]) {
        const cookies = new CookieJar();
        cookies.store(A, ["S=1"]);
        const { send, sent } = fakeSend(redirect(status, location), ok());
        const error = await failure(createExchange({ send, cookies })(request("POST", `${A}/x`, { headers: { authorization: "token" }, body: "secret-body" }), {}));
        expect(error).toBeInstanceOf(UnsafeRedirectError);
        expect(error).toMatchObject({ kind: "UNSAFE_REDIRECT", status, fromOrigin: A, toOrigin });
        expect(sent).toHaveLength(1);
      }
    }
  });

  it("refuses a Location with a user name or password, even to the same origin", async () => {
    for (const location of [`https://user:pw@pvwa.example.test/x`, `https://user@pvwa.example.test/x`, `https://:pw@pvwa.example.test/x`]) {
      const { send, sent } = fakeSend(redirect(302, location), ok());
      const error = await failure(createExchange({ send, cookies: new CookieJar() })(request("GET", `${A}/x`), {}));
      expect(error).toBeInstanceOf(UnsafeRedirectError);
      expect(error).toMatchObject({ kind: "UNSAFE_REDIRECT", status: 302, fromOrigin: A, toOrigin: A });
      expect((error as Error).message).toMatch(/user name or password/);
      expect(sent).toHaveLength(1);
    }
  });

  it("refuses a Location that is not a URL with an InvalidResponseError", async () => {
    for (const location of ["http://[not-an-ip", "https://pvwa.example.test:99999/x", "https://exa mple.test/"]) {
      const { send, sent } = fakeSend(redirect(307, location), ok());
      const error = await failure(createExchange({ send, cookies: new CookieJar() })(request("PUT", `${A}/item`, { body: "x" }), {}));
      expect(error).toBeInstanceOf(InvalidResponseError);
      expect(error).toMatchObject({ kind: "INVALID_RESPONSE", status: 307, method: "PUT", urlPath: "/item" });
      expect(sent).toHaveLength(1);
    }
  });
});

describe("a Location's text never reaches an error", () => {
  const CANARY = "Canary-Location-Secret-93";

  /**
   * The error's text as it is shown: message, String(), util.inspect; with `json`, also toJSON and its
   * details (for refusals of the first hop, where every detail is the caller's own or an origin).
   */
  function expectNoCanary(error: unknown, { json }: { json: boolean }): void {
    expect(error).toBeInstanceOf(Error);
    const shown = [(error as Error).message, String(error), inspect(error)];
    if (json) shown.push(JSON.stringify(error));
    for (const text of shown) expect(text.toLowerCase()).not.toContain(CANARY.toLowerCase());
  }

  async function errorFor(...replies: Reply[]): Promise<unknown> {
    const { send } = fakeSend(...replies);
    return failure(createExchange({ send, cookies: new CookieJar() })(request("GET", `${A}/PasswordVault/API/Accounts`), {}));
  }

  it("in a cross-origin refusal", async () => {
    const error = await errorFor(redirect(302, `${B}/${CANARY}?q=${CANARY}#${CANARY}`));
    expect(error).toBeInstanceOf(UnsafeRedirectError);
    expectNoCanary(error, { json: true });
  });

  it("in a credentials refusal", async () => {
    const error = await errorFor(redirect(302, `https://${CANARY}:${CANARY}@pvwa.example.test/${CANARY}?q=${CANARY}`));
    expect(error).toBeInstanceOf(UnsafeRedirectError);
    expectNoCanary(error, { json: true });
  });

  it("in an unparsable-Location refusal", async () => {
    for (const location of [`http://[${CANARY}`, `https://pvwa.example.test:99999/${CANARY}`, `https://${CANARY} x/`]) {
      const error = await errorFor(redirect(302, location));
      expect(error).toBeInstanceOf(InvalidResponseError);
      expectNoCanary(error, { json: true });
    }
  });

  it("in refusals after same-origin hops through echoed Locations", async () => {
    const crossOrigin = await errorFor(redirect(302, `/${CANARY}/a?q=${CANARY}`), redirect(302, `${B}/${CANARY}`));
    expect(crossOrigin).toBeInstanceOf(UnsafeRedirectError);
    expectNoCanary(crossOrigin, { json: true });
    // The urlPath detail names the request that got the bad answer: a followed path, so only the text is checked.
    const unparsable = await errorFor(redirect(302, `/${CANARY}/a?q=${CANARY}`), redirect(302, `http://[${CANARY}`));
    expect(unparsable).toBeInstanceOf(InvalidResponseError);
    expectNoCanary(unparsable, { json: false });
  });

  it("in the redirect-loop error", async () => {
    const error = await errorFor(redirect(302, `/loop/${CANARY}?q=${CANARY}`));
    expect(error).toBeInstanceOf(NetworkError);
    expectNoCanary(error, { json: false });
  });
});
