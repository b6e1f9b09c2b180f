// Step "parse": raw bytes (JSON or YAML) -> a Swagger 2.0 / OpenAPI 3 object, or a sentence saying what the
// bytes are instead.
import { GenerateError } from "../lib/errors.js";
import { findTooDeep, MAX_JSON_DEPTH } from "../lib/json-depth.js";
import { findJsonErrorOffset, lineAndColumn } from "../lib/json-error-position.js";
import { abbreviatedPointer } from "../lib/json-pointer.js";
import { isObject, type JsonObject } from "../lib/json-types.js";
import type { LoadedSource } from "../lib/loaded-source.js";
import { parseYaml } from "../lib/safe-yaml.js";

export interface ParsedDocument {
  doc: JsonObject;
  /** "2.0" for Swagger, else the openapi version string. */
  version: string;
  isSwagger2: boolean;
}

export type Classification = { ok: true; parsed: ParsedDocument } | { ok: false; reason: string };

export const HTML_REASON = "an HTML page (probably a sign-in page), not a Swagger document";

const YAML_CONTENT_TYPE = /\b(?:application|text)\/(?:x-)?yaml\b/i;

type Decoded = { ok: true; value: unknown; format: "JSON" | "YAML" } | { ok: false; reason: string };

function parseJson(text: string): Decoded {
  try {
    return { ok: true, value: JSON.parse(text), format: "JSON" };
  } catch (error) {
    const offset = findJsonErrorOffset(text);
    const where = offset >= 0 ? lineAndColumn(text, offset) : undefined;
    // Node quotes a piece of the text (`Unexpected token 'x', "{"a": abc"... is not valid JSON`): a body may hold
    // anything, a credential included, so the quote is left out; line and column say where.
    const detail = (error instanceof Error ? error.message : String(error)).replace(/, ".*" is not valid JSON$/s, "");
    const at = where ? ` at line ${where.line}, column ${where.column}` : "";
    return { ok: false, reason: `not valid JSON${at}: ${detail}` };
  }
}

/** JSON when it looks like JSON (and was not served as YAML): its messages are the more precise. Else YAML. */
export function decode(text: string, contentType = ""): Decoded {
  if (/^[{[]/.test(text.trimStart()) && !YAML_CONTENT_TYPE.test(contentType)) return parseJson(text);
  const yaml = parseYaml(text);
  return yaml.ok ? { ok: true, value: yaml.value, format: "YAML" } : yaml;
}

/** The text of a document's or an overlay's bytes. */
export function textOf(bytes: Uint8Array): string {
  const text = Buffer.from(bytes).toString("utf8");
  return text.charCodeAt(0) === 0xfeff ? text.slice(1) : text; // BOM, common in files saved on Windows
}

export function classifyBody(bytes: Uint8Array, contentType = ""): Classification {
  const text = textOf(bytes);
  const trimmed = text.trimStart();
  if (trimmed === "") return { ok: false, reason: "empty, not a Swagger document" };
  if (/text\/html/i.test(contentType) || trimmed.startsWith("<")) return { ok: false, reason: HTML_REASON };
  const decoded = decode(text, contentType);
  if (!decoded.ok) return decoded;
  const value = decoded.value;
  if (!isObject(value)) {
    return {
      ok: false,
      reason:
        decoded.format === "JSON"
          ? "JSON, but not a Swagger/OpenAPI document (not an object)"
          : "neither JSON nor a YAML mapping, so not a Swagger/OpenAPI document",
    };
  }
  for (const field of ["swagger", "openapi"]) {
    // `swagger: 2.0` unquoted is the number 2 in YAML.
    if (typeof value[field] === "number") {
      return { ok: false, reason: `a document whose "${field}" is a number; it must be a string such as "2.0" or "3.0.3" (in YAML: quote it)` };
    }
  }
  if (value["swagger"] !== undefined) {
    if (value["swagger"] !== "2.0") {
      return { ok: false, reason: `a Swagger ${JSON.stringify(value["swagger"])} document; only 2.0 is supported` };
    }
    return { ok: true, parsed: { doc: value, version: "2.0", isSwagger2: true } };
  }
  const openapi = value["openapi"];
  if (typeof openapi === "string") {
    if (!/^3\.[01]\.\d+$/.test(openapi)) {
      return { ok: false, reason: `an OpenAPI ${openapi} document; only 3.0.x and 3.1.x are supported` };
    }
    return { ok: true, parsed: { doc: value, version: openapi, isSwagger2: false } };
  }
  return {
    ok: false,
    reason: `${decoded.format}, but not a Swagger/OpenAPI document (no "swagger": "2.0" or "openapi": "3.x" field)`,
  };
}

export function parseSource(source: LoadedSource): ParsedDocument {
  const result = classifyBody(source.bytes, source.contentType);
  const subject = /^https?:/i.test(source.label) ? `the URL ${source.label} returned` : `${source.label} is`;
  if (!result.ok) throw new GenerateError("parse", `${subject} ${result.reason}.`);
  // Checked here, once, so the recursive steps after this one never meet a document deep enough to
  // overflow the stack. Not in classifyBody: a portal candidate that is a real but absurd document
  // should be reported as such, not skipped as "not a Swagger document".
  const tooDeep = findTooDeep(result.parsed.doc);
  if (tooDeep !== undefined) {
    throw new GenerateError(
      "parse",
      `${subject} a document nested too deeply: more than ${MAX_JSON_DEPTH} levels of objects and arrays at ` +
        `${abbreviatedPointer(tooDeep)}. Real API documents nest fewer than 20 levels; this one is probably damaged.`,
    );
  }
  return result.parsed;
}
