// Per-client set of known secret values (passwords, tokens, client secrets, OTPs, SAML
// responses). `redact` replaces every occurrence in a text, whether the value appears raw,
// percent-encoded (any hex case, `+` for space), JSON-escaped (`\uXXXX`, `\/`, `\n`...) or
// HTML-escaped: servers and proxies echo values back in all of these forms.

export const REDACTED = "[REDACTED]";

const HEX_CHARS = "0123456789abcdef";

function escapeRegExp(text: string): string {
  return text.replace(/[\\^$.*+?()[\]{}|/-]/g, "\\$&");
}

/** Regex source matching a hex number in either letter case, e.g. `2f` -> `2[fF]`. */
function hexAnyCase(hex: string): string {
  let out = "";
  for (const ch of hex.toLowerCase()) {
    out += HEX_CHARS.indexOf(ch) >= 10 ? `[${ch}${ch.toUpperCase()}]` : ch;
  }
  return out;
}

const JSON_SHORT_ESCAPES: Record<string, string> = {
  '"': '\\\\"',
  "\\": "\\\\\\\\",
  "/": "\\\\/",
  "\b": "\\\\b",
  "\f": "\\\\f",
  "\n": "\\\\n",
  "\r": "\\\\r",
  "\t": "\\\\t",
};

const HTML_ENTITIES: Record<string, string[]> = {
  "&": ["&amp;"],
  "<": ["&lt;"],
  ">": ["&gt;"],
  '"': ["&quot;"],
  "'": ["&apos;"],
};

/** All the ways one code point of a secret may be written in logs, URLs or JSON. */
function codePointPattern(cp: string): string {
  const alternatives = new Set<string>([escapeRegExp(cp)]);
  const code = cp.codePointAt(0) ?? 0;

  const utf8 = Buffer.from(cp, "utf8");
  let percent = "";
  let doublePercent = "";
  for (const byte of utf8) {
    const hex = byte.toString(16).padStart(2, "0");
    percent += `%${hexAnyCase(hex)}`;
    doublePercent += `%25${hexAnyCase(hex)}`;
  }
  alternatives.add(percent);
  alternatives.add(doublePercent);
  if (cp === " ") alternatives.add("\\+");

  // JSON \u escapes: one unit for the BMP, a surrogate pair above it.
  let units = "";
  for (let i = 0; i < cp.length; i++) {
    units += `\\\\u${hexAnyCase(cp.charCodeAt(i).toString(16).padStart(4, "0"))}`;
  }
  alternatives.add(units);
  const shortEscape = JSON_SHORT_ESCAPES[cp];
  if (shortEscape) alternatives.add(shortEscape);

  for (const entity of HTML_ENTITIES[cp] ?? []) alternatives.add(escapeRegExp(entity));
  alternatives.add(`&#0*${code};`);
  alternatives.add(`&#[xX]0*${hexAnyCase(code.toString(16))};`);

  return `(?:${[...alternatives].join("|")})`;
}

function secretPattern(secret: string): string {
  let out = "";
  for (const cp of secret) out += codePointPattern(cp);
  return out;
}

export class SecretRegistry {
  readonly #values = new Set<string>();
  #pattern: RegExp | undefined;

  /** Remembers a secret value; empty and undefined values are ignored. */
  add(value: string | undefined): void {
    if (typeof value !== "string" || value.length === 0 || this.#values.has(value)) return;
    this.#values.add(value);
    this.#pattern = undefined;
  }

  /** Forgets a value that can no longer be used (e.g. a token replaced after re-logon). */
  remove(value: string | undefined): void {
    if (typeof value === "string" && this.#values.delete(value)) this.#pattern = undefined;
  }

  get size(): number {
    return this.#values.size;
  }

  /** True when the text contains any registered secret in any of its encoded forms. */
  contains(text: string): boolean {
    const pattern = this.#compiled();
    if (!pattern) return false;
    pattern.lastIndex = 0;
    return pattern.test(text);
  }

  redact(text: string): string {
    const pattern = this.#compiled();
    if (!pattern || typeof text !== "string" || text.length === 0) return text;
    pattern.lastIndex = 0;
    return text.replace(pattern, REDACTED);
  }

  #compiled(): RegExp | undefined {
    if (this.#values.size === 0) return undefined;
    if (!this.#pattern) {
      // Longest first, so a secret containing another one is replaced whole.
      const sources = [...this.#values].sort((a, b) => b.length - a.length).map(secretPattern);
      this.#pattern = new RegExp(sources.join("|"), "g");
    }
    return this.#pattern;
  }
}
