// Properties of the secret registry: any secret (1 to 20,000 characters) written in any of the
// encodings a server or proxy echoes it in never survives redaction; the set of live secrets stays
// bounded however often the token is renewed; short secrets never shred words; query values are
// redacted by key only. The encoders here are written independently of src/logging.
import fc from "fast-check";
import { describe, expect, it } from "vitest";
import { urlText } from "../../src/logging/url-text.js";
import { REDACTED, SecretRegistry } from "../../src/logging/secret-registry.js";

/** Deterministic choices for an encoder, from a fast-check seed. */
function chooser(seed: number): () => boolean {
  let state = seed >>> 0 || 1;
  return () => {
    state ^= state << 13;
    state ^= state >>> 17;
    state ^= state << 5;
    return (state & 1) === 1;
  };
}

const hex = (n: number, width: number, upper: boolean) => {
  const h = n.toString(16).padStart(width, "0");
  return upper ? h.toUpperCase() : h;
};

function percentBytes(codePoint: string, upper: () => boolean): string {
  return [...Buffer.from(codePoint, "utf8")].map((b) => `%${hex(b, 2, upper())}`).join("");
}

type Encoder = (secret: string, pick: () => boolean) => string;

/** Encodings a secret is echoed in. "mixed" ones escape some characters and not others, as real encoders differ. */
const ENCODERS: Record<string, Encoder> = {
  raw: (s) => s,
  "percent, hex case per escape": (s, pick) => encodeURIComponent(s).replace(/%[0-9A-F]{2}/g, (m) => (pick() ? m : m.toLowerCase())),
  form: (s) => new URLSearchParams({ v: s }).toString().slice(2),
  "double percent": (s) => encodeURIComponent(encodeURIComponent(s)),
  json: (s) => JSON.stringify(s).slice(1, -1),
  "json ascii, hex case per escape": (s, pick) =>
    JSON.stringify(s).slice(1, -1).replace(/[^\x20-\x7e]/g, (c) => `\\u${hex(c.charCodeAt(0), 4, pick())}`),
  html: (s) => s.replace(/&/g, "&amp;").replace(/</g, "&lt;").replace(/>/g, "&gt;").replace(/"/g, "&quot;").replace(/'/g, "&#39;"),
  "percent mixed": (s, pick) => [...s].map((c) => (c === "%" || pick() ? percentBytes(c, pick) : c)).join(""),
  "json mixed": (s, pick) =>
    [...s]
      .map((c) => {
        const escaped = JSON.stringify(c).slice(1, -1);
        if (escaped !== c || pick()) return Array.from({ length: c.length }, (_, i) => `\\u${hex(c.charCodeAt(i), 4, pick())}`).join("");
        return c;
      })
      .join(""),
  "html mixed": (s, pick) =>
    [...s]
      .map((c) => {
        const code = c.codePointAt(0) as number;
        if (c !== "&" && !pick()) return c;
        return pick() ? `&#${code};` : `&#${pick() ? "x" : "X"}${hex(code, 1, pick())};`;
      })
      .join(""),
};

/** Mixed encodings are read by decoding, which needs the text just before to end cleanly (a space here). */
const NEEDS_BOUNDARY = new Set(["percent mixed", "json mixed", "html mixed"]);

const secretArb = fc.oneof(
  { weight: 6, arbitrary: fc.string({ unit: "binary", minLength: 4, maxLength: 40 }) },
  { weight: 3, arbitrary: fc.string({ unit: "grapheme", minLength: 40, maxLength: 600 }) },
  { weight: 1, arbitrary: fc.string({ unit: "binary", minLength: 5_000, maxLength: 20_000 }) },
);
// Noise with the characters escapes are made of, so escapes in the text around a secret are tried too.
const noiseArb = fc.string({ unit: fc.oneof(fc.constantFrom("%", "\\", "&", "#", ";", "u", "2", "F", "+", " ", '"'), fc.string({ unit: "binary", minLength: 1, maxLength: 1 })), maxLength: 30 });

/** No piece of the output between two REDACTED markers holds `needle`. */
function survives(output: string, needle: string): boolean {
  return output.split(REDACTED).some((piece) => piece.includes(needle));
}

describe("secrets in any encoding never survive redaction", () => {
  it("a secret of 4 to 20,000 characters, written in any encoding inside any text", () => {
    fc.assert(
      fc.property(secretArb, fc.constantFrom(...Object.keys(ENCODERS)), fc.integer(), noiseArb, noiseArb, (secret, encoding, seed, before, after) => {
        const registry = new SecretRegistry();
        registry.add("another-live-secret");
        registry.add(secret);
        const form = (ENCODERS[encoding] as Encoder)(secret, chooser(seed));
        const text = NEEDS_BOUNDARY.has(encoding) ? `${before} ${form} ${after}` : `${before}${form}${after}`;
        const output = registry.redact(text);
        expect(survives(output, form), `${encoding} form survived`).toBe(false);
        expect(survives(output, secret), "raw secret survived").toBe(false);
      }),
      { numRuns: 400 },
    );
  });

  it("a stray escape character just before an escaped secret (which pairs with its first characters) hides nothing", () => {
    const escapedFirst = fc.constantFrom("\n", '"', "\\", "/", " ", "%", "\u00e9", "<", "&", "\u0001");
    fc.assert(
      fc.property(
        // Characters an escape continues with (hex digits, `;`), then one that is escaped.
        fc.constantFrom("", "4", "41", "2F", "e9", "38;", "u"),
        escapedFirst,
        fc.string({ unit: "grapheme-ascii", minLength: 3, maxLength: 30 }),
        fc.constantFrom("raw", "percent, hex case per escape", "form", "double percent", "json", "json ascii, hex case per escape", "html"),
        fc.constantFrom("\\", "%", "%4", "%2", "&", "&#", "&#x", "\\u00", "\\u"),
        fc.integer(),
        (start, first, rest, encoding, stray, seed) => {
          const secret = start + first + rest;
          const registry = new SecretRegistry();
          registry.add(secret);
          const form = (ENCODERS[encoding] as Encoder)(secret, chooser(seed));
          expect(survives(registry.redact(`x${stray}${form}`), form)).toBe(false);
        },
      ),
      { numRuns: 300 },
    );
  });

  it("a secret of 1 to 3 characters, as a whole value (JSON string, query value, quoted, header, element)", () => {
    const contexts: Array<(form: string) => [string, string, string]> = [
      (f) => ['{"note":"', f, '","n":1}'],
      (f) => ["GET /Accounts?search=", f, "&limit=5"],
      (f) => ["the server said '", f, "' and stopped"],
      (f) => ["", f, ""],
      (f) => ["<value>", f, "</value>"],
    ];
    fc.assert(
      fc.property(
        fc.string({ unit: "binary", minLength: 1, maxLength: 3 }).filter((s) => s.trim() === s && !/["'<>&=;#,\s]/.test(s)),
        fc.constantFrom(...Object.keys(ENCODERS).filter((e) => !NEEDS_BOUNDARY.has(e))),
        fc.nat({ max: contexts.length - 1 }),
        fc.integer(),
        noiseArb,
        (secret, encoding, context, seed, noise) => {
          const registry = new SecretRegistry();
          registry.add(secret);
          const form = (ENCODERS[encoding] as Encoder)(secret, chooser(seed));
          const [open, , close] = (contexts[context] as (f: string) => [string, string, string])(form);
          const whole = open === "" && close === "";
          const output = registry.redact(whole ? form : `${noise} ${open}${form}${close}`);
          if (whole) expect(output).toBe(REDACTED);
          else expect(output).toContain(`${open}${REDACTED}${close}`);
        },
      ),
      { numRuns: 400 },
    );
  });

  it("mixed hex case inside one secret's escapes (%2f%2F, \\u00E9\\u00e9) is still one secret", () => {
    const registry = new SecretRegistry();
    registry.add("a//b\u00e9\u00e9c");
    expect(registry.redact("x a%2f%2Fb%C3%a9%c3%A9c y")).toBe(`x ${REDACTED} y`);
    expect(registry.redact('{"v":"a\\/\\u002fb\\u00E9\\u00e9c"}')).toBe(`{"v":"${REDACTED}"}`);
    expect(registry.redact("a&#x2F;&#47;b&eacute;&#233;c")).not.toContain("b&#233;c");
  });

  it("redacting a redacted text changes nothing, even for a secret that is part of the marker", () => {
    const registry = new SecretRegistry();
    registry.add("DACT");
    registry.add("ED]");
    const once = registry.redact("a DACT b [REDACTED] c");
    expect(once).toBe(`a ${REDACTED} b ${REDACTED} c`);
    expect(registry.redact(once)).toBe(once);
  });

  it("a text of several megabytes is searched in windows, and a secret across a window boundary is still found", () => {
    const saml = Buffer.from("<samlp:Response>".padEnd(15_000, "y")).toString("base64").slice(0, 20_000);
    const registry = new SecretRegistry();
    registry.add(saml);
    registry.add("x");
    const encoded = encodeURIComponent(encodeURIComponent(saml));
    // Windows are 2^20 code units: each copy of the secret straddles a boundary, in a text with escapes everywhere.
    const filler = (length: number) => "a%20b\\n&amp;".repeat(Math.ceil(length / 12)).slice(0, length);
    const text = `${filler(2 ** 20 - 1_000)}${encoded}${filler(2 ** 20 - encoded.length)}${saml}${filler(500_000)} "x"`;
    const output = registry.redact(text);
    expect(survives(output, encoded)).toBe(false);
    expect(survives(output, saml)).toBe(false);
    expect(output.split(REDACTED)).toHaveLength(4);
    expect(output.endsWith(` "${REDACTED}"`)).toBe(true);
  });

  it("a 20,000-character SAMLResponse and a long token are found in every form at once", () => {
    const saml = Buffer.from("<samlp:Response>".padEnd(15_000, "x") + "</samlp:Response>").toString("base64").slice(0, 20_000);
    const registry = new SecretRegistry();
    registry.add(saml);
    const text = `SAMLResponse=${encodeURIComponent(saml)} echo ${JSON.stringify(saml)} and ${saml}`;
    const output = registry.redact(text);
    expect(output).toBe(`SAMLResponse=${REDACTED} echo "${REDACTED}" and ${REDACTED}`);
  });
});

describe("the live set stays bounded", () => {
  it("over 1,000 renewals: at most two logons' secrets are matched, older tokens are forgotten", () => {
    const registry = new SecretRegistry();
    const password = "Canary-Renewal-Password";
    const tokens: string[] = [];
    const sizes = new Set<number>();
    for (let renewal = 0; renewal < 1_000; renewal++) {
      // What the client does per logon: a new generation, the credentials again, the new token.
      registry.nextGeneration();
      registry.add(password);
      const token = `tok_${renewal.toString(36)}_${"r".repeat(renewal % 50)}_canary`;
      tokens.push(token);
      registry.add(token);
      sizes.add(registry.size);
      const older = renewal >= 2 ? tokens[renewal - 2] : undefined;
      if (older !== undefined) expect(registry.redact(older)).toBe(older);
    }
    // The number of live patterns (what each redaction and each rebuild works on) is flat: 2 after
    // the first logon (password, token), then 3 (password, current and previous token).
    expect([...sizes].sort()).toEqual([2, 3]);
    expect(registry.redact(`${tokens[999]} ${tokens[998]} ${password}`)).toBe(`${REDACTED} ${REDACTED} ${REDACTED}`);
  });

  it("a logoff forgets the logons before the ended session at once; the ended session's secrets last one more logon", () => {
    const registry = new SecretRegistry();
    registry.add("password-one");
    registry.add("token-one-canary");
    registry.nextGeneration(); // a renewal
    registry.add("password-one");
    registry.add("token-two-canary");
    registry.sessionEnded(); // logoff
    expect(registry.redact("token-one-canary")).toBe("token-one-canary");
    expect(registry.redact("token-two-canary password-one")).toBe(`${REDACTED} ${REDACTED}`);
    registry.nextGeneration(); // the next logon
    registry.add("password-one");
    expect(registry.redact("token-two-canary")).toBe(REDACTED);
    registry.nextGeneration(); // and the one after
    expect(registry.redact("token-two-canary")).toBe("token-two-canary");
  });
});

describe("short secrets and query values", () => {
  it("a one-character password does not shred words, but is redacted as a whole value", () => {
    const registry = new SecretRegistry();
    registry.add("p");
    registry.add("e");
    const prose = "GET /PasswordVault/API/Accounts got no response from http://127.0.0.1:8443: ECONNREFUSED";
    expect(registry.redact(prose)).toBe(prose);
    expect(registry.redact('{"username":"u","password":"p"}')).toBe(`{"username":"u","password":"${REDACTED}"}`);
    expect(registry.redact("p")).toBe(REDACTED);
    expect(registry.redact("/Logon?user=u&pw=%70")).toBe(`/Logon?user=u&pw=${REDACTED}`);
  });

  it("query values stay visible unless their key names a secret", () => {
    const url = "https://pvwa.example.com/PasswordVault/API/Accounts?savedFilter=Regular&offset=200&search=db%20admin&api_key=k1&Password=p1&token=t1";
    expect(urlText(url)).toBe(
      `/PasswordVault/API/Accounts?savedFilter=Regular&offset=200&search=db%20admin&api_key=${REDACTED}&Password=${REDACTED}&token=${REDACTED}`,
    );
  });
});
