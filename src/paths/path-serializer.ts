// openapi-fetch PathSerializer for CyberArk. Each value is percent-encoded into exactly one
// path segment, and values the PVWA/IIS stack cannot route are refused before any request:
// `.`/`..`/empty (they would change the route), and `+`, `&`, `%` (the documentation says the
// server cannot take them in a URL value; `%2B` is rejected by IIS as double escaping).
// Template syntax matches openapi-fetch: `{name}`, `{.name}` (label), `{;name}` (matrix); the
// `*` explode marker is accepted and has no effect on the plain values supported here.
import { InvalidPathParameterError, previewValue } from "../errors/invalid-path-parameter.js";

const TEMPLATE_PARAM = /\{([^{}]+)\}/g;
const REFUSED_CHARACTERS = /[+&%]/;
/** Longest encoded segment accepted; far above any CyberArk name and well below IIS's URL limit. */
export const MAX_ENCODED_SEGMENT_LENGTH = 2048;

export function serializePath(pathname: string, pathParams: Record<string, unknown>): string {
  let lastSegmentHasParam = false;
  const result = pathname.replace(TEMPLATE_PARAM, (_match, rawName: string, offset: number) => {
    let name = rawName;
    if (name.endsWith("*")) name = name.slice(0, -1);
    let prefix = "";
    if (name.startsWith(".")) {
      name = name.slice(1);
      prefix = ".";
    } else if (name.startsWith(";")) {
      name = name.slice(1);
      prefix = `;${name}=`;
    }
    const encoded = encodeSegmentValue(name, pathParams?.[name]);
    lastSegmentHasParam = !pathname.slice(offset).includes("/");
    return `${prefix}${encoded}`;
  });

  // IIS treats a dot in the last segment as a file extension and answers 404 unless the URL
  // ends with `/`. Only segments holding a parameter value are touched: literal segments are
  // routes the server defines.
  if (lastSegmentHasParam && !result.endsWith("/")) {
    const lastSegment = result.slice(result.lastIndexOf("/") + 1);
    if (lastSegment.includes(".")) return `${result}/`;
  }
  return result;
}

/** Validates one path parameter value and returns its percent-encoded form. */
export function encodeSegmentValue(name: string, value: unknown): string {
  if (value === undefined || value === null) {
    throw new InvalidPathParameterError(name, "missing", "no value was given for it");
  }
  let text: string;
  if (typeof value === "string") {
    text = value;
  } else if (typeof value === "number") {
    if (!Number.isFinite(value)) {
      throw new InvalidPathParameterError(name, "unsupported-type", `${String(value)} is not a usable number`);
    }
    text = String(value);
  } else if (typeof value === "bigint" || typeof value === "boolean") {
    text = String(value);
  } else {
    throw new InvalidPathParameterError(
      name,
      "unsupported-type",
      `expected a string or a number, got ${Array.isArray(value) ? "an array" : typeof value}`,
    );
  }

  if (text.length === 0) {
    throw new InvalidPathParameterError(name, "empty", "the value is an empty string");
  }
  if (text === "." || text === "..") {
    throw new InvalidPathParameterError(name, "dot-segment", `the value ${JSON.stringify(text)} would change the route`);
  }
  const refused = REFUSED_CHARACTERS.exec(text);
  if (refused) {
    throw new InvalidPathParameterError(
      name,
      "unsupported-character",
      `the value ${previewValue(text)} contains ${JSON.stringify(refused[0])}; CyberArk servers cannot take "+", "&" ` +
        `or "%" in a URL value, so this object cannot be addressed through this path`,
    );
  }
  if (text.length > MAX_ENCODED_SEGMENT_LENGTH) {
    throw new InvalidPathParameterError(
      name,
      "too-long",
      `the value has ${text.length} characters; at most ${MAX_ENCODED_SEGMENT_LENGTH} fit in a URL segment`,
    );
  }

  let encoded: string;
  try {
    encoded = encodeURIComponent(text);
  } catch {
    throw new InvalidPathParameterError(
      name,
      "malformed-unicode",
      `the value ${previewValue(text)} contains an unpaired UTF-16 surrogate and cannot be encoded`,
    );
  }
  if (encoded.length > MAX_ENCODED_SEGMENT_LENGTH) {
    throw new InvalidPathParameterError(
      name,
      "too-long",
      `the value encodes to ${encoded.length} characters; at most ${MAX_ENCODED_SEGMENT_LENGTH} fit in a URL segment`,
    );
  }
  return encoded;
}
