// Names every plain JavaScript object already has: __proto__, constructor, hasOwnProperty, toString, valueOf...
// A document may use them for schemas, properties or security schemes, but swagger2openapi and Redocly (inside
// openapi-typescript) look such names up in plain objects of their own and crash ("hasOwnProperty is not a
// function") or lose the entry. Those two steps therefore get a copy in which each such name carries a marker,
// and the marker is taken off what they return. The marker is a run of underscores longer than any in the
// document: names keep a valid identifier form (so openapi-typescript prints them unquoted, and its PascalCase
// root type names come out unchanged), and taking the marker off can never touch anything else.
import { isObject, type JsonObject } from "./json-types.js";

const RESERVED = new Set(Object.getOwnPropertyNames(Object.prototype));

/** Fields whose string values name keys of the document: they carry the marker wherever the key does. */
const NAMING_FIELDS = new Set(["$ref", "required", "propertyName", "mapping", "discriminator"]);

export interface EscapedDocument {
  doc: JsonObject;
  /** undefined: the document uses no such name and doc is the original. */
  marker: string | undefined;
}

function longestUnderscoreRun(text: string): number {
  let longest = 0;
  for (const run of text.match(/_+/g) ?? []) longest = Math.max(longest, run.length);
  return longest;
}

function usesReservedName(node: unknown): boolean {
  if (Array.isArray(node)) return node.some(usesReservedName);
  if (!isObject(node)) return false;
  return Object.keys(node).some((key) => RESERVED.has(key) || usesReservedName(node[key]));
}

/** Reserved names among the "/"-separated segments of a $ref or mapping value (each segment maybe %-encoded). */
function markSegments(value: string, marker: string): string {
  return value
    .split("/")
    .map((segment) => {
      let decoded = segment;
      try {
        decoded = decodeURIComponent(segment);
      } catch {
        // a stray % is not an encoding: compare as written
      }
      return RESERVED.has(decoded) ? segment + marker : segment;
    })
    .join("/");
}

type Rename = (text: string) => string;

/** Copy of node with every key, and every string of the naming fields, passed through rename. */
function renameAll(node: unknown, renameKey: Rename, renameValue: Rename, naming = false): unknown {
  if (Array.isArray(node)) return node.map((item) => renameAll(item, renameKey, renameValue, naming));
  if (typeof node === "string") return naming ? renameValue(node) : node;
  if (!isObject(node)) return node;
  // fromEntries, not assignment: a key "__proto__" must stay a key.
  return Object.fromEntries(
    Object.keys(node).map((key) => [
      renameKey(key),
      renameAll(node[key], renameKey, renameValue, naming || NAMING_FIELDS.has(key)),
    ]),
  );
}

export function escapeReservedNames(doc: JsonObject): EscapedDocument {
  if (!usesReservedName(doc)) return { doc, marker: undefined };
  const marker = "_".repeat(Math.max(3, longestUnderscoreRun(JSON.stringify(doc)) + 1));
  const renameKey = (key: string) => (RESERVED.has(key) ? key + marker : key);
  const renameValue = (value: string) => (RESERVED.has(value) ? value + marker : markSegments(value, marker));
  return { doc: renameAll(doc, renameKey, renameValue) as JsonObject, marker };
}

/** The document a library returned, with the marker taken off again, from every string: the library may have moved one. */
export function unescapeReservedNames(doc: JsonObject, marker: string | undefined): JsonObject {
  if (marker === undefined) return doc;
  const unmark = (text: string) => text.split(marker).join("");
  return renameAll(doc, unmark, unmark, true) as JsonObject;
}

/** Source text generated from an escaped document, with the marker taken off again. */
export function unescapeReservedText(text: string, marker: string | undefined): string {
  return marker === undefined ? text : text.split(marker).join("");
}
