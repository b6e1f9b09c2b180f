// Narrowing helpers for untyped JSON documents.
export type JsonObject = Record<string, unknown>;

export function isObject(value: unknown): value is JsonObject {
  return value !== null && typeof value === "object" && !Array.isArray(value);
}

/** Own entries sorted by key (code-unit order), so walks do not depend on the document's key order. */
export function sortedEntries(value: unknown): [string, unknown][] {
  if (!isObject(value)) return [];
  return Object.keys(value)
    .sort()
    .map((key) => [key, value[key]]);
}
