// Redaction of structured values and free text. Key-based rules catch secrets the client has
// never seen (a password in a request body, a token in a response); the SecretRegistry catches
// known values wherever they end up (URLs, messages, echoed bodies).
import { REDACTED } from "./secret-registry.js";
import { urlText } from "./url-text.js";

export { REDACTED };

const MAX_DEPTH = 8;
const MAX_ARRAY_ITEMS = 100;
const MAX_KEYS = 200;

// Compared after lower-casing and dropping `_`, `-` and spaces.
const SENSITIVE_KEYS = new Set([
  "password",
  "newpassword",
  "secret",
  "token",
  "accesstoken",
  "refreshtoken",
  "idtoken",
  "clientsecret",
  "otp",
  "passcode",
  "samlresponse",
  "newcredentials",
  "initialpassword",
  "bindpassword",
  "passphrase",
  "authorization",
  "proxyauthorization",
  "cookie",
  "setcookie",
  "apikey",
  "xapikey",
  "privatekey",
  "cyberarklogonresult",
]);
const SENSITIVE_SUFFIXES = ["password", "secret", "token", "passphrase", "credentials"];

/** True for keys whose values must never be shown (case- and separator-insensitive). */
export function isSensitiveKey(key: string): boolean {
  const k = key.toLowerCase().replace(/[-_\s]/g, "");
  return SENSITIVE_KEYS.has(k) || SENSITIVE_SUFFIXES.some((s) => k.endsWith(s));
}

/**
 * Sets `key` as an own data property. Plain assignment of "__proto__" (a key JSON.parse gives any
 * server body that has it) would replace the copy's prototype instead.
 */
function setOwn(target: object, key: string, value: unknown): void {
  Object.defineProperty(target, key, { value, enumerable: true, writable: true, configurable: true });
}

export function redactHeaders(h: Headers | Record<string, string>): Record<string, string> {
  const out: Record<string, string> = {};
  const entries: Iterable<[string, string]> =
    typeof (h as Headers).entries === "function" && typeof (h as Headers).get === "function"
      ? (h as Headers).entries()
      : Object.entries(h as Record<string, string>);
  for (const [name, value] of entries) {
    const lower = name.toLowerCase();
    // The key rules cover the credential headers (authorization, cookie, x-api-key...).
    setOwn(out, name, isSensitiveKey(lower) ? REDACTED : redactText(String(value)));
  }
  return out;
}

// Key names that mark a secret inside free text: `password=...`, `"client_secret": "..."`.
const KEY_IN_TEXT =
  "[A-Za-z0-9_.-]*(?:password|secret|token|passphrase|credentials)|otp|passcode|samlresponse|authorization|cookie|api[_-]?key|cyberarklogonresult";
const QUERY_PAIR = new RegExp(`((?:^|[?&;\\s])(?:${KEY_IN_TEXT})=)([^&#\\s"']*)`, "gi");
const JSON_PAIR = new RegExp(`("(?:${KEY_IN_TEXT})"\\s*:\\s*)("(?:[^"\\\\]|\\\\.)*"?|[^,}\\]\\s]+)`, "gi");
const HEADER_LINE = /\b((?:proxy-)?authorization|set-cookie|cookie|x-api-key)(\s*:\s*)[^\r\n]+/gi;
// Long enough to be a credential, so prose like "Bearer token required" stays readable.
const BEARER = /\b(Bearer)\s+[A-Za-z0-9\-._~+/]{16,}=*/gi;

/**
 * Pattern-based redaction of free text: query/form pairs, JSON pairs (also in truncated JSON),
 * header lines and bearer/basic credentials. Known secret values are the registry's job.
 */
export function redactText(text: string): string {
  if (typeof text !== "string" || text.length === 0) return text;
  return text
    .replace(QUERY_PAIR, `$1${REDACTED}`)
    .replace(JSON_PAIR, `$1"${REDACTED}"`)
    .replace(HEADER_LINE, `$1$2${REDACTED}`)
    .replace(BEARER, `$1 ${REDACTED}`);
}

type StringTransform = (text: string) => string;

/**
 * A JSON-safe copy of `value` with sensitive keys replaced, cycles marked `[Circular]`, depth
 * and size bounded, and every string passed through `transform`. Copies are plain objects whose
 * keys are all own data properties: a server's `__proto__` key never becomes their prototype.
 */
export function redactValue(value: unknown, transform: StringTransform = redactText): unknown {
  return walk(value, transform, new Set<object>(), 0);
}

function walk(value: unknown, transform: StringTransform, ancestors: Set<object>, depth: number): unknown {
  switch (typeof value) {
    case "string":
      return transform(value);
    case "number":
    case "boolean":
    case "undefined":
      return value;
    case "bigint":
      return value.toString();
    case "symbol":
      return value.toString();
    case "function":
      return "[Function]";
  }
  if (value === null) return null;
  const obj = value as object;
  if (ancestors.has(obj)) return "[Circular]";
  if (depth >= MAX_DEPTH) return "[Truncated]";

  if (obj instanceof Date) return Number.isNaN(obj.getTime()) ? "Invalid Date" : obj.toISOString();
  if (obj instanceof URL) return transform(urlText(obj, { withOrigin: true }));
  if (ArrayBuffer.isView(obj) || obj instanceof ArrayBuffer) return `[Binary ${obj.byteLength} bytes]`;
  if (isHeaders(obj)) return mapStrings(redactHeaders(obj), transform);

  ancestors.add(obj);
  try {
    if (Array.isArray(obj)) {
      const out = obj.slice(0, MAX_ARRAY_ITEMS).map((item) => walk(item, transform, ancestors, depth + 1));
      if (obj.length > MAX_ARRAY_ITEMS) out.push(`[${obj.length - MAX_ARRAY_ITEMS} more items]`);
      return out;
    }
    if (obj instanceof Map) {
      return walkEntries([...obj.entries()].map(([k, v]) => [String(k), v]), transform, ancestors, depth);
    }
    if (obj instanceof Set) {
      return walk([...obj], transform, ancestors, depth);
    }
    if (obj instanceof Error) {
      const json = callToJson(obj);
      // Spread, not Object.assign: it defines keys, so a "__proto__" key stays a key.
      const plain: Record<string, unknown> = {
        ...(obj as unknown as Record<string, unknown>),
        ...(json && typeof json === "object" ? (json as Record<string, unknown>) : {}),
      };
      plain.name ??= obj.name;
      plain.message ??= obj.message;
      if (obj.stack) plain.stack = obj.stack;
      if (obj.cause !== undefined) plain.cause = obj.cause;
      return walkEntries(Object.entries(plain), transform, ancestors, depth);
    }
    const json = callToJson(obj);
    if (json !== NO_JSON) {
      return json === obj ? walkEntries(Object.entries(obj), transform, ancestors, depth)
        : walk(json, transform, ancestors, depth + 1);
    }
    return walkEntries(Object.entries(obj), transform, ancestors, depth);
  } finally {
    ancestors.delete(obj);
  }
}

function walkEntries(
  entries: Array<[string, unknown]>,
  transform: StringTransform,
  ancestors: Set<object>,
  depth: number,
): Record<string, unknown> {
  const out: Record<string, unknown> = {};
  let count = 0;
  for (const [key, item] of entries) {
    if (count++ >= MAX_KEYS) {
      out["[more keys]"] = entries.length - MAX_KEYS;
      break;
    }
    setOwn(
      out,
      transform(key),
      isSensitiveKey(key) && item !== null && item !== undefined ? REDACTED : walk(item, transform, ancestors, depth + 1),
    );
  }
  return out;
}

const NO_JSON = Symbol("no toJSON");

function callToJson(obj: object): unknown {
  const fn = (obj as { toJSON?: unknown }).toJSON;
  if (typeof fn !== "function") return NO_JSON;
  try {
    return fn.call(obj);
  } catch {
    return NO_JSON;
  }
}

function isHeaders(obj: object): obj is Headers {
  return (
    typeof (obj as Headers).get === "function" &&
    typeof (obj as Headers).entries === "function" &&
    typeof (obj as Headers).has === "function" &&
    Object.prototype.toString.call(obj) === "[object Headers]"
  );
}

function mapStrings(record: Record<string, string>, transform: StringTransform): Record<string, string> {
  const out: Record<string, string> = {};
  for (const [k, v] of Object.entries(record)) setOwn(out, k, transform(v));
  return out;
}
