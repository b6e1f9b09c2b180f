// Serialises a document with a stable key order so the same input always gives the same bytes.
import { isObject } from "./json-types.js";

const TOP_LEVEL_ORDER = ["openapi", "swagger", "info", "servers", "paths", "components"];

// Objects are built with Object.fromEntries, never `out[key] = ...`: a document may name a schema or property
// "__proto__", which assignment would turn into the object's prototype instead of a key.
function sortDeep(value: unknown): unknown {
  if (Array.isArray(value)) return value.map(sortDeep);
  if (!isObject(value)) return value;
  return Object.fromEntries(Object.keys(value).sort().map((key) => [key, sortDeep(value[key])]));
}

/** Recursively sorted copy; the top level keeps the conventional OpenAPI order first. */
export function sortDocument<T>(doc: T): T {
  const sorted = sortDeep(doc);
  if (!isObject(sorted)) return sorted as T;
  const first = TOP_LEVEL_ORDER.filter((key) => Object.hasOwn(sorted, key));
  const rest = Object.keys(sorted).filter((key) => !TOP_LEVEL_ORDER.includes(key));
  return Object.fromEntries([...first, ...rest].map((key) => [key, sorted[key]])) as T;
}

export function stableStringify(doc: unknown): string {
  return JSON.stringify(sortDocument(doc), null, 2) + "\n";
}
