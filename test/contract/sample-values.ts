// Builds a value that satisfies an OpenAPI 3.0 schema: every required property, enums and formats
// honoured, bounds respected. Optional properties are left out so each request is the smallest valid
// one. Values are deliberately plain (no `+`, `&`, `%`, `.`) because they also fill path segments.

export interface Schema {
  $ref?: string;
  type?: string;
  format?: string;
  enum?: unknown[];
  const?: unknown;
  default?: unknown;
  example?: unknown;
  nullable?: boolean;
  readOnly?: boolean;
  writeOnly?: boolean;
  properties?: Record<string, Schema>;
  required?: string[];
  additionalProperties?: boolean | Schema;
  items?: Schema;
  allOf?: Schema[];
  oneOf?: Schema[];
  anyOf?: Schema[];
  minimum?: number;
  maximum?: number;
  exclusiveMinimum?: boolean | number;
  exclusiveMaximum?: boolean | number;
  multipleOf?: number;
  minLength?: number;
  maxLength?: number;
  pattern?: string;
  minItems?: number;
  maxItems?: number;
  minProperties?: number;
}

import type { Document } from "../../scripts/mock/documents.js";

export type { Document };

export type Direction = "request" | "response";

/** Follows local `#/...` references until a concrete object is reached. */
export function deref<T>(doc: Document, value: T | { $ref: string }): T {
  let current: unknown = value;
  for (let hops = 0; hops < 32; hops++) {
    const ref = (current as { $ref?: unknown } | undefined)?.$ref;
    if (typeof ref !== "string") return current as T;
    if (!ref.startsWith("#/")) throw new Error(`only local $ref is supported, got ${ref}`);
    current = ref
      .slice(2)
      .split("/")
      .map((s) => s.replace(/~1/g, "/").replace(/~0/g, "~"))
      .reduce<unknown>((node, key) => (node as Record<string, unknown> | undefined)?.[key], doc);
    if (current === undefined) throw new Error(`$ref ${ref} does not resolve`);
  }
  throw new Error("$ref chain too long");
}

const FORMAT_SAMPLES: Record<string, string> = {
  "date-time": "2024-01-02T03:04:05Z",
  date: "2024-01-02",
  time: "03:04:05",
  uuid: "3fa85f64-5717-4562-b3fc-2c963f66afa6",
  guid: "3fa85f64-5717-4562-b3fc-2c963f66afa6",
  email: "user@example.com",
  uri: "https://example.com/sample",
  url: "https://example.com/sample",
  hostname: "example",
  ipv4: "10.0.0.1",
  ipv6: "::1",
  byte: "c2FtcGxl",
  binary: "sample",
  password: "sample-secret",
};

// Candidates tried against a `pattern` before giving up; covers the shapes APIs usually constrain.
const PATTERN_CANDIDATES = ["sample", "Sample1", "1", "a", "A", "abc", "ABC", "abc123", "sample-1", "sample_1", "10.0.0.1", "10.0.0.0/24", "2024-01-02"];

export function sampleString(schema: Schema, where: string): string {
  let value = schema.format ? (FORMAT_SAMPLES[schema.format] ?? "sample") : "sample";
  if (schema.pattern) {
    const re = new RegExp(schema.pattern, "u");
    if (!re.test(value)) {
      // The schema's own example comes first: a documented pattern usually has one.
      const candidates = typeof schema.example === "string" ? [schema.example, ...PATTERN_CANDIDATES] : PATTERN_CANDIDATES;
      const found = candidates.find((c) => re.test(c) && fitsLength(c, schema));
      if (found === undefined) throw new Error(`${where}: no sample string matches pattern /${schema.pattern}/`);
      value = found;
    }
  }
  const min = schema.minLength ?? 0;
  while (value.length < min) value += "x";
  if (schema.maxLength !== undefined && value.length > schema.maxLength) value = value.slice(0, Math.max(schema.maxLength, min));
  return value;
}

function fitsLength(value: string, schema: Schema): boolean {
  return value.length >= (schema.minLength ?? 0) && value.length <= (schema.maxLength ?? Infinity);
}

export function sampleNumber(schema: Schema, integer: boolean): number {
  const step = schema.multipleOf ?? (integer ? 1 : 0.5);
  let low = -Infinity;
  if (typeof schema.minimum === "number") low = schema.minimum + (schema.exclusiveMinimum === true ? step : 0);
  if (typeof schema.exclusiveMinimum === "number") low = Math.max(low, schema.exclusiveMinimum + step);
  let high = Infinity;
  if (typeof schema.maximum === "number") high = schema.maximum - (schema.exclusiveMaximum === true ? step : 0);
  if (typeof schema.exclusiveMaximum === "number") high = Math.min(high, schema.exclusiveMaximum - step);
  let value = Math.min(Math.max(1, low), high);
  if (schema.multipleOf) value = Math.ceil(value / schema.multipleOf) * schema.multipleOf;
  return integer ? Math.ceil(value) : value;
}

/**
 * A value valid against `schema`. `direction` decides which of readOnly/writeOnly properties are
 * skipped; `depth` stops recursive schemas (a required self-reference would be unsatisfiable anyway).
 */
export function sampleValue(doc: Document, input: Schema, where: string, direction: Direction = "request", depth = 0): unknown {
  const schema = deref<Schema>(doc, input);
  if (depth > 12) throw new Error(`${where}: schema nests deeper than 12 levels`);
  if (schema.const !== undefined) return schema.const;
  if (schema.enum && schema.enum.length > 0) {
    const first = schema.enum.find((v) => v !== null);
    return first === undefined ? null : first;
  }
  if (schema.allOf && schema.allOf.length > 0) {
    const parts = schema.allOf.map((s) => sampleValue(doc, s, where, direction, depth + 1));
    const own = schema.properties || schema.required ? sampleValue(doc, { ...schema, allOf: undefined }, where, direction, depth + 1) : undefined;
    if (parts.every(isPlainObject)) return Object.assign({}, ...parts, own ?? {});
    return parts[0];
  }
  const choice = schema.oneOf?.[0] ?? schema.anyOf?.[0];
  if (choice) return sampleValue(doc, choice, where, direction, depth + 1);

  switch (schema.type ?? inferType(schema)) {
    case "string":
      return sampleString(schema, where);
    case "integer":
      return sampleNumber(schema, true);
    case "number":
      return sampleNumber(schema, false);
    case "boolean":
      return true;
    case "array": {
      const count = Math.max(1, schema.minItems ?? 0);
      const items = schema.items ?? {};
      return Array.from({ length: count }, (_, i) => sampleValue(doc, items, `${where}[${i}]`, direction, depth + 1));
    }
    case "object": {
      const out: Record<string, unknown> = {};
      const skip = direction === "request" ? "readOnly" : "writeOnly";
      for (const name of schema.required ?? []) {
        const prop = schema.properties?.[name] ?? (typeof schema.additionalProperties === "object" ? schema.additionalProperties : {});
        if (deref<Schema>(doc, prop)[skip]) continue;
        out[name] = sampleValue(doc, prop, `${where}.${name}`, direction, depth + 1);
      }
      if (Object.keys(out).length < (schema.minProperties ?? 0)) {
        for (const [name, prop] of Object.entries(schema.properties ?? {})) {
          if (Object.keys(out).length >= (schema.minProperties ?? 0)) break;
          if (!(name in out) && !deref<Schema>(doc, prop)[skip]) out[name] = sampleValue(doc, prop, `${where}.${name}`, direction, depth + 1);
        }
      }
      return out;
    }
    default:
      // An untyped schema accepts anything; a string is the least surprising value.
      return "sample";
  }
}

function inferType(schema: Schema): string | undefined {
  if (schema.properties || schema.required || schema.additionalProperties !== undefined) return "object";
  if (schema.items) return "array";
  return undefined;
}

function isPlainObject(v: unknown): v is Record<string, unknown> {
  return typeof v === "object" && v !== null && !Array.isArray(v);
}
