import { inspect } from "node:util";
import { describe, expect, it } from "vitest";
import fc from "fast-check";
import { createLogger, SecretRegistry, type Logger } from "../../src/logging/logger.js";
import { redactHeaders, redactText, redactValue, isSensitiveKey } from "../../src/logging/redact.js";
import { urlText } from "../../src/logging/url-text.js";

const PASSWORD = "Pa$$w0rd/with space&amp+é\"q'\\end";
const TOKEN = "tok_9f8e7d6c5b4a3210ffeeddccbbaa";
const CLIENT_SECRET = "cs-XYZ.123~secret";

function registry(...values: string[]): SecretRegistry {
  const r = new SecretRegistry();
  for (const v of values) r.add(v);
  return r;
}

describe("SecretRegistry", () => {
  it("replaces a secret in every form it can appear in", () => {
    const r = registry(PASSWORD);
    const asciiJson = JSON.stringify(PASSWORD).slice(1, -1).replace(/[^\x20-\x7e]/g, (c) => `\\u${c.charCodeAt(0).toString(16).padStart(4, "0")}`);
    const dotnetJson = [...PASSWORD].map((c) => (/[A-Za-z0-9]/.test(c) ? c : `\\u${c.charCodeAt(0).toString(16).toUpperCase().padStart(4, "0")}`)).join("");
    const forms = {
      raw: PASSWORD,
      uriComponent: encodeURIComponent(PASSWORD),
      lowerHex: encodeURIComponent(PASSWORD).replace(/%[0-9A-F]{2}/g, (m) => m.toLowerCase()),
      form: new URLSearchParams({ p: PASSWORD }).toString().slice(2),
      uri: encodeURI(PASSWORD),
      doubleEncoded: encodeURIComponent(encodeURIComponent(PASSWORD)),
      json: JSON.stringify(PASSWORD).slice(1, -1),
      asciiJson,
      dotnetJson,
      html: PASSWORD.replace(/&/g, "&amp;").replace(/"/g, "&quot;").replace(/'/g, "&#39;").replace(/</g, "&lt;"),
    };
    for (const [name, form] of Object.entries(forms)) {
      const text = `before ${form} after`;
      const out = r.redact(text);
      expect(out, name).toBe("before [REDACTED] after");
    }
  });

  it("redacts several secrets, a longer one containing a shorter one whole, and ignores empty values", () => {
    const r = registry("abcd", "abcdefgh", "", undefined as unknown as string);
    expect(r.size).toBe(2);
    expect(r.redact("x abcdefgh y abcd z")).toBe("x [REDACTED] y [REDACTED] z");
  });

  it("keeps texts without secrets unchanged, even with regex metacharacters in secrets", () => {
    const r = registry("a.b*c(d)[e]{f}|g^h$");
    expect(r.redact("aXbbbc d e f g h")).toBe("aXbbbc d e f g h");
    expect(r.redact("-a.b*c(d)[e]{f}|g^h$-")).toBe("-[REDACTED]-");
  });

  it("finds any generated secret in any of its encoded forms (property)", () => {
    fc.assert(
      fc.property(fc.string({ unit: "binary", minLength: 4, maxLength: 30 }), fc.string({ maxLength: 10 }), (secret, noise) => {
        const r = registry(secret);
        for (const form of [secret, encodeURIComponent(secret), JSON.stringify(secret).slice(1, -1), new URLSearchParams({ s: secret }).toString().slice(2)]) {
          expect(r.redact(`${noise}${form}${noise}`)).toContain("[REDACTED]");
          for (const piece of r.redact(`${noise}${form}`).split("[REDACTED]")) expect(piece).not.toContain(form);
        }
      }),
      { numRuns: 300 },
    );
  });
});

describe("redactHeaders", () => {
  it("hides credentials in Headers and plain records, whatever the case", () => {
    const h = new Headers({ Authorization: TOKEN, Cookie: "CASession=abc", "Proxy-Authorization": "Basic eA==", Accept: "json" });
    expect(redactHeaders(h)).toEqual({
      authorization: "[REDACTED]",
      cookie: "[REDACTED]",
      "proxy-authorization": "[REDACTED]",
      accept: "json",
    });
    expect(redactHeaders({ "set-cookie": "x=1", "X-Trace": "t" })).toEqual({ "set-cookie": "[REDACTED]", "X-Trace": "t" });
  });
});

describe("redactValue", () => {
  it("replaces sensitive keys at any depth, in arrays, case- and separator-insensitively", () => {
    const body = {
      username: "admin",
      password: PASSWORD,
      nested: { NewPassword: "n1", deeper: [{ client_secret: CLIENT_SECRET }, { access_token: TOKEN, ok: 1 }] },
      SAMLResponse: "PHNhbWw+",
      NewCredentials: "c",
      initialPassword: "i",
      BindPassword: "b",
      otp: "123456",
      Secret: "s",
      secretType: "password",
      CyberArkLogonResult: "gen1-token",
      list: [["Password", "kept: this is a value not a key"]],
      nullPassword: null,
    };
    const out = redactValue(body);
    const text = JSON.stringify(out);
    for (const canary of [PASSWORD, CLIENT_SECRET, TOKEN, "PHNhbWw+", "n1", "gen1-token", "123456"]) {
      expect(text).not.toContain(canary);
    }
    expect(out).toMatchObject({ username: "admin", secretType: "password", nullPassword: null, nested: { deeper: [{}, { ok: 1 }] } });
    expect(body.password).toBe(PASSWORD); // the input is not modified
  });

  it("survives cycles, deep nesting, huge arrays and exotic values", () => {
    const cyclic: Record<string, unknown> = { name: "root" };
    cyclic.self = cyclic;
    cyclic.list = [cyclic, { back: cyclic }];
    let deep: Record<string, unknown> = { password: "deep-canary" };
    for (let i = 0; i < 50; i++) deep = { child: deep };
    const out = redactValue({
      cyclic,
      deep,
      big: Array.from({ length: 10_000 }, (_, i) => i),
      when: new Date(0),
      n: 10n,
      f: () => 1,
      buf: Buffer.from("secret bytes"),
      map: new Map([["token", "map-canary"]]),
      set: new Set(["a"]),
      url: new URL(`https://h/x?password=url-canary&page=2`),
      headers: new Headers({ authorization: "hdr-canary" }),
      err: Object.assign(new Error(`failed with token=err-canary`), { code: "E1" }),
    });
    const text = JSON.stringify(out);
    expect(text).toContain("[Circular]");
    expect(text).toContain("[Truncated]");
    expect(text).toContain("more items");
    for (const canary of ["deep-canary", "map-canary", "url-canary", "hdr-canary", "err-canary", "secret bytes"]) {
      expect(text).not.toContain(canary);
    }
    expect(text).toContain("page=2");
    expect(text).toContain('"code":"E1"');
  });
});

describe("redactText and redactUrl", () => {
  it("hides key=value pairs, JSON pairs (also truncated), header lines and bearer tokens", () => {
    const samples = [
      `POST body grant_type=client_credentials&client_id=app&client_secret=${CLIENT_SECRET}`,
      `{"username":"u","password":"${PASSWORD.replace(/["\\]/g, "\\$&")}","x":1}`,
      `{"access_token": "${TOKEN}", "expires_in": 3600`,
      `{"token":"${TOKEN}`,
      `Authorization: ${TOKEN}\r\nAccept: */*`,
      `header Bearer ${TOKEN} sent`,
      `/path?apikey=${TOKEN}&page=1`,
    ];
    for (const s of samples) {
      const out = redactText(s);
      expect(out).not.toContain(TOKEN);
      expect(out).not.toContain(CLIENT_SECRET);
      expect(out).not.toContain("Pa$$w0rd");
    }
    expect(redactText("/path?apikey=x&page=1")).toBe("/path?apikey=[REDACTED]&page=1");
    expect(redactText("Bearer token required")).toBe("Bearer token required");
  });

  it("hides user:password in URLs and sensitive query parameters", () => {
    const url = `https://user:${encodeURIComponent(PASSWORD)}@h/api?token=${TOKEN}&search=abc`;
    for (const out of [urlText(url), urlText(url, { withOrigin: true }), String(redactValue(new URL(url), (t) => t))]) {
      expect(out).not.toContain(TOKEN);
      expect(out).not.toContain("Pa%24%24w0rd");
      expect(out).not.toContain("user");
      expect(out).toContain("search=abc");
    }
    expect(urlText(url, { withOrigin: true })).toBe("https://h/api?token=[REDACTED]&search=abc");
    expect(urlText("not a url")).toBe("(invalid URL)");
  });

  it("classifies keys", () => {
    for (const k of ["password", "Password", "new_password", "client-secret", "refreshToken", "OTP", "samlResponse", "x-api-key"]) {
      expect(isSensitiveKey(k), k).toBe(true);
    }
    for (const k of ["secretType", "secretManagement", "userName", "count", "Total", "footprint"]) {
      expect(isSensitiveKey(k), k).toBe(false);
    }
  });
});

describe("createLogger", () => {
  function capture(): { lines: unknown[][]; hook: Partial<Logger> } {
    const lines: unknown[][] = [];
    const push = (level: string) => (...args: unknown[]) => lines.push([level, ...args]);
    return { lines, hook: { debug: push("debug"), info: push("info"), warn: push("warn"), error: push("error") } };
  }

  it("removes canaries from messages and meta (headers, bodies, URLs, errors) before the hook sees them", () => {
    const secrets = registry(PASSWORD, TOKEN, CLIENT_SECRET);
    const { lines, hook } = capture();
    const log = createLogger(hook, secrets);
    log.debug(`logon with ${PASSWORD} as ${encodeURIComponent(PASSWORD)}`);
    log.info("request", {
      url: `https://h/PasswordVault/API/Accounts/${encodeURIComponent(TOKEN)}?x=1`,
      headers: new Headers({ Authorization: TOKEN, "content-type": "application/json" }),
      body: JSON.stringify({ clientSecret: CLIENT_SECRET, nested: [{ value: `echo ${TOKEN}` }] }),
      parsed: { items: [{ description: `contains ${PASSWORD}` }] },
    });
    log.warn("failed", { error: new Error(`server said: invalid password ${JSON.stringify(PASSWORD)}`) });
    log.error(`token ${TOKEN}`, { cause: { message: `secret ${CLIENT_SECRET}` } });
    expect(lines).toHaveLength(4);
    const dump = lines.map((l) => `${JSON.stringify(l)}\n${inspect(l, { depth: 20 })}`).join("\n");
    for (const canary of [PASSWORD, encodeURIComponent(PASSWORD), JSON.stringify(PASSWORD).slice(1, -1), TOKEN, CLIENT_SECRET]) {
      expect(dump).not.toContain(canary);
    }
    expect(dump).toContain("[REDACTED]");
    expect(dump).toContain("content-type");
  });

  it("is a no-op without a hook, calls partial hooks, and never throws when the hook does", () => {
    const silent = createLogger(undefined, new SecretRegistry());
    expect(() => silent.error("x", { a: 1 })).not.toThrow();
    const calls: string[] = [];
    const partial = createLogger({ warn: (m: string) => calls.push(m) }, new SecretRegistry());
    partial.debug("d");
    partial.warn("w");
    expect(calls).toEqual(["w"]);
    const throwing = createLogger({ info: () => { throw new Error("boom"); } }, new SecretRegistry());
    expect(() => throwing.info("x")).not.toThrow();
  });

  it("handles whatever thenable a hook returns: a rejection is never unhandled, a throwing `then` or getter never escapes", async () => {
    const unhandled: unknown[] = [];
    const onUnhandled = (reason: unknown): void => void unhandled.push(reason);
    process.on("unhandledRejection", onUnhandled);
    try {
      const rejecting = createLogger({ error: async () => Promise.reject(new Error("shipper down")) }, new SecretRegistry());
      expect(() => rejecting.error("x", { a: 1 })).not.toThrow();
      // A hand-made thenable (another promise library) that rejects through its own `then`.
      const thenable = createLogger({ warn: () => ({ then: (_ok: unknown, fail: (e: unknown) => void) => fail(new Error("rejected")) }) }, new SecretRegistry());
      expect(() => thenable.warn("x")).not.toThrow();
      const brokenThen = createLogger({ info: () => Object.defineProperty({}, "then", { get: () => { throw new Error("getter"); } }) }, new SecretRegistry());
      expect(() => brokenThen.info("x")).not.toThrow();
      // A logger whose property getter throws: that level has no hook, the others still log.
      const lines: string[] = [];
      const getterThrows = { get info(): never { throw new Error("getter"); }, warn: (m: string) => void lines.push(m) };
      const partial = createLogger(getterThrows, new SecretRegistry());
      partial.info("x");
      partial.warn("w");
      expect(lines).toEqual(["w"]);
      await new Promise((resolve) => setTimeout(resolve, 20));
      expect(unhandled).toEqual([]);
    } finally {
      process.off("unhandledRejection", onUnhandled);
    }
  });

  it("passes meta only when given (console-friendly)", () => {
    const { lines, hook } = capture();
    const log = createLogger(hook, new SecretRegistry());
    log.info("plain");
    expect(lines[0]).toEqual(["info", "plain"]);
  });

  it("keeps registries per logger", () => {
    const a = capture();
    const b = capture();
    const la = createLogger(a.hook, registry("only-in-a-canary"));
    const lb = createLogger(b.hook, new SecretRegistry());
    la.info("only-in-a-canary");
    lb.info("only-in-a-canary");
    expect(a.lines[0]).toEqual(["info", "[REDACTED]"]);
    expect(b.lines[0]).toEqual(["info", "only-in-a-canary"]);
  });
});
