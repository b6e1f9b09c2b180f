// Generated HTTP answers for the response-body area: a status, a content type (or none) and a body
// that may be valid JSON, truncated JSON, an HTML page, empty, invalid UTF-8, a CyberArk or
// Identity error envelope with fields of the wrong type, or larger than the client's size limit.
import type { ServerResponse } from "node:http";
import fc from "fast-check";

export interface CannedResponse {
  status: number;
  contentType: string | undefined;
  body: Buffer;
  /** Send Content-Length (true) or stream the body chunked (false). */
  declareLength: boolean;
  /** What the body is, for messages. */
  label: string;
}

/** Statuses the documentation lists, plus ones it does not. 1xx is left out (not a final answer). */
const STATUS = fc.oneof(
  { weight: 3, arbitrary: fc.constantFrom(200, 201, 204, 400, 401, 403, 404, 409, 429, 500, 501) },
  { weight: 1, arbitrary: fc.constantFrom(202, 203, 205, 206, 300, 302, 304, 405, 406, 410, 413, 418, 451, 502, 503, 504, 599) },
  { weight: 1, arbitrary: fc.integer({ min: 200, max: 599 }) },
);

const CONTENT_TYPE = fc.constantFrom(
  undefined,
  "application/json",
  "application/json; charset=utf-8",
  "application/problem+json",
  "text/json",
  "text/plain",
  "text/plain; charset=utf-8",
  "text/html",
  "text/html; charset=utf-16",
  "application/xml",
  "application/octet-stream",
  "garbage/;;;",
  "",
);

const jsonText = fc.jsonValue({ maxDepth: 4 }).map((v) => JSON.stringify(v) ?? "null");

const errorEnvelope = fc
  .record({
    ErrorCode: fc.oneof(fc.constantFrom("PASWS013E", "ITATS542I", "PASWS167E", "CAWS00001E"), fc.jsonValue({ maxDepth: 2 })),
    ErrorMessage: fc.oneof(fc.string(), fc.jsonValue({ maxDepth: 2 })),
    Details: fc.oneof(fc.constant(undefined), fc.jsonValue({ maxDepth: 3 }), fc.array(fc.record({ ErrorCode: fc.string(), ErrorMessage: fc.jsonValue() }))),
    error: fc.oneof(fc.constant(undefined), fc.string(), fc.integer()),
    error_description: fc.oneof(fc.constant(undefined), fc.string(), fc.constant(null)),
  }, { requiredKeys: [] })
  .map((v) => JSON.stringify(v));

/** Nested 3,000 levels: parsers and redaction walkers must not overflow. */
const DEEP_JSON = `${"[".repeat(3_000)}${"]".repeat(3_000)}`;

const BODY: fc.Arbitrary<{ text: Buffer; label: string }> = fc.oneof(
  jsonText.map((t) => ({ text: Buffer.from(t), label: "json" })),
  jsonText.chain((t) => fc.nat({ max: Math.max(0, t.length - 1) }).map((n) => ({ text: Buffer.from(t.slice(0, n)), label: "truncated json" }))),
  errorEnvelope.map((t) => ({ text: Buffer.from(t), label: "error envelope" })),
  fc.constantFrom(
    "<!DOCTYPE html><html><head><title>Sign in</title></head><body><form>...</form></body></html>",
    "<html><body><h1>Server Error in '/PasswordVault' Application.</h1></body></html>",
    "   <HTML>",
    "",
    " ",
    '"a JSON string"',
    '"',
    "null",
    "{}",
    "[]",
    "{\"value\": [1, 2, ",
    '{"__proto__": {"polluted": true}, "constructor": {"prototype": {"x": 1}}}',
    '{"ErrorCode":"PASWS013E","ErrorMessage":"Authentication failure."}',
    "Request Error\nThe server encountered an error processing the request.",
    DEEP_JSON,
  ).map((t) => ({ text: Buffer.from(t), label: "fixed" })),
  fc.uint8Array({ minLength: 1, maxLength: 300 }).map((b) => ({ text: Buffer.from(b), label: "random bytes" })),
  fc.constantFrom([0xff, 0xfe], [0xc0, 0x80], [0xed, 0xa0, 0x80], [0x7b, 0x22, 0xff, 0x22, 0x3a, 0x31, 0x7d]).map((b) => ({
    text: Buffer.from(b),
    label: "invalid utf-8",
  })),
);

export function responseArbitrary(opts: { limitBytes: number }): fc.Arbitrary<CannedResponse> {
  // Bodies around the size limit: just under, exactly at, just over, far over.
  const huge = fc
    .constantFrom(opts.limitBytes - 1, opts.limitBytes, opts.limitBytes + 1, opts.limitBytes * 3)
    .map((size) => ({ text: Buffer.alloc(size, "7"), label: `${size} bytes` }));
  const body = fc.oneof({ weight: 8, arbitrary: BODY }, { weight: 1, arbitrary: huge });
  return fc.record({ status: STATUS, contentType: CONTENT_TYPE, b: body, declareLength: fc.boolean() }).map(({ status, contentType, b, declareLength }) => ({
    status,
    contentType,
    body: b.text,
    declareLength,
    label: b.label,
  }));
}

/** Statuses whose responses cannot carry a body. */
export const NO_BODY_STATUSES = new Set([204, 205, 304]);

export function sendCanned(res: ServerResponse, canned: CannedResponse): void {
  const headers: Record<string, string> = {};
  if (canned.contentType !== undefined) headers["content-type"] = canned.contentType;
  const hasBody = !NO_BODY_STATUSES.has(canned.status);
  if (hasBody && canned.declareLength) headers["content-length"] = String(canned.body.length);
  res.writeHead(canned.status, headers);
  if (!hasBody) {
    res.end();
    return;
  }
  if (canned.declareLength) {
    res.end(canned.body);
    return;
  }
  // Chunked, in pieces, so the size limit must be enforced while streaming.
  const step = 16 * 1024;
  for (let i = 0; i < canned.body.length; i += step) res.write(canned.body.subarray(i, i + step));
  res.end();
}
