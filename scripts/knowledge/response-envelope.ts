// The list-envelope correction. Swashbuckle declares the element type (or an array of it) where the server
// sends an envelope ({Platforms, Total}, {value, count, nextLink}); this rewrites the success response to
// what the server sends, keeping the document's own element type. An envelope already declared is kept.
import { isObject, type JsonObject } from "../lib/json-types.js";
import { listOperations, operationLabel } from "../lib/operations-walk.js";
import { deref } from "../lib/json-pointer.js";

export interface ListShape {
  /** The property holding the items; undefined for a bare JSON array. */
  items?: string;
  /** The envelope's other properties (total, nextLink). */
  fields: JsonObject;
}

/** The shape a paging entry (x-cyberark-paging) with its items property implies. */
export function shapeOfPaging(paging: JsonObject, items: string): ListShape {
  const fields: JsonObject = {};
  if (typeof paging["total"] === "string") setOwn(fields, paging["total"], { type: "integer" });
  if (paging["style"] === "nextLink" && !Object.hasOwn(fields, "nextLink")) setOwn(fields, "nextLink", { type: "string" });
  return { items, fields };
}

/** Names come from the document or the knowledge: "__proto__" must stay a property, not become the prototype. */
function setOwn(holder: JsonObject, name: string, value: unknown): void {
  Object.defineProperty(holder, name, { value, enumerable: true, writable: true, configurable: true });
}

function hasProperty(schema: unknown, name: string): boolean {
  if (!isObject(schema) || !isObject(schema["properties"])) return false;
  const lower = name.toLowerCase();
  return Object.keys(schema["properties"]).some((k) => k.toLowerCase() === lower);
}

/** The corrected schema, or undefined when the declared one already has the shape. */
function corrected(doc: JsonObject, declared: unknown, shape: ListShape): JsonObject | undefined {
  const target = deref(doc, declared).value;
  const isArray = isObject(target) && target["type"] === "array";
  if (shape.items === undefined) return isArray ? undefined : { type: "array", items: declared ?? {} };
  if (hasProperty(target, shape.items)) return undefined;
  const element = isArray ? (target["items"] ?? {}) : (declared ?? {});
  const properties: JsonObject = {};
  setOwn(properties, shape.items, { type: "array", items: element });
  for (const [name, schema] of Object.entries(shape.fields)) if (!Object.hasOwn(properties, name)) setOwn(properties, name, schema);
  return { type: "object", properties };
}

/**
 * Rewrites the operation's 2xx response schemas in place; returns the status codes it changed. An operation
 * that declares no 2xx body gets a JSON one, since the client reads the list from it.
 */
export function correctListResponse(doc: JsonObject, operation: JsonObject, shape: ListShape): string[] {
  if (!isObject(operation["responses"])) operation["responses"] = {};
  const responses = operation["responses"] as JsonObject;
  let codes = Object.keys(responses).filter((c) => /^2(\d\d|XX)$/i.test(c));
  if (codes.length === 0) {
    responses["200"] = { description: "Success" };
    codes = ["200"];
  }
  const changed: string[] = [];
  for (const code of codes.sort()) {
    const response = deref(doc, responses[code]).value;
    if (!isObject(response)) continue;
    // A shared response component is copied before it is changed: it may serve other operations.
    const own: JsonObject = response === responses[code] ? response : { ...response };
    const content: JsonObject = isObject(own["content"]) ? { ...own["content"] } : {};
    if (Object.keys(content).length === 0) content["application/json"] = {};
    let touched = false;
    for (const [type, media] of Object.entries(content)) {
      const m: JsonObject = isObject(media) ? { ...media } : {};
      const schema = corrected(doc, m["schema"], shape);
      if (schema === undefined) continue;
      m["schema"] = schema;
      content[type] = m;
      touched = true;
    }
    if (!touched) continue;
    own["content"] = content;
    responses[code] = own;
    changed.push(code);
  }
  return changed;
}

/** Corrects every operation that has a paging entry; one note per corrected operation. */
export function correctEnvelopes(doc: JsonObject): string[] {
  const notes: string[] = [];
  for (const { path, method, operation } of listOperations(doc)) {
    const paging = operation["x-cyberark-paging"];
    if (!isObject(paging) || typeof paging["items"] !== "string") continue;
    const codes = correctListResponse(doc, operation, shapeOfPaging(paging, paging["items"]));
    if (codes.length > 0) notes.push(`${operationLabel(method, path)}: response ${codes.join(", ")} corrected to an envelope with "${paging["items"]}"`);
  }
  return notes;
}
