// Serialises a document with a stable key order so the same input always gives the same bytes.
import { isObject } from "./json-types.js";

const TOP_LEVEL_ORDER = ["openapi", "swagger", "info", "servers", "paths", "components"];

function sortDeep(value: unknown): unknown {
  if (Array.isArray(value)) return value.map(sortDeep);
  if (!isObject(value)) return value;
  const out: Record<string, unknown> = {};
  for (const key of Object.keys(value).sort()) out[key] = sortDeep(value[key]);
  return out;
}

/** Recursively sorted copy; the top level keeps the conventional OpenAPI order first. */
export function sortDocument<T>(doc: T): T {
  const sorted = sortDeep(doc);
  if (!isObject(sorted)) return sorted as T;
  const out: Record<string, unknown> = {};
  for (const key of TOP_LEVEL_ORDER) if (key in sorted) out[key] = sorted[key];
  for (const key of Object.keys(sorted)) if (!(key in out)) out[key] = sorted[key];
  return out as T;
}

export function stableStringify(doc: unknown): string {
  return JSON.stringify(sortDocument(doc), null, 2) + "\n";
}
