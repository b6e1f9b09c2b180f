// Step "convert": Swagger 2.0 -> OpenAPI 3.0 with swagger2openapi; OpenAPI 3 input passes through.
import converter from "swagger2openapi";
import { GenerateError } from "../lib/errors.js";
import { deref, pointerOf } from "../lib/json-pointer.js";
import { isObject, sortedEntries, type JsonObject } from "../lib/json-types.js";
import { listOperations } from "../lib/operations-walk.js";
import { escapeReservedNames, unescapeReservedNames } from "../lib/reserved-names.js";

export interface ConvertOutcome {
  doc: JsonObject;
  /** What the converter could not convert cleanly (its warnOnly annotations), with pointers. */
  warnings: string[];
}

const WARNING_KEY = "x-s2o-warning";

/** Moves the converter's in-document warning annotations out of the document and into a list. */
function takeWarnings(node: unknown, at: (string | number)[], out: string[]): void {
  if (Array.isArray(node)) {
    node.forEach((child, i) => takeWarnings(child, [...at, i], out));
    return;
  }
  if (!isObject(node)) return;
  if (WARNING_KEY in node) {
    out.push(`${pointerOf(at)}: ${String(node[WARNING_KEY])}`);
    delete node[WARNING_KEY];
  }
  for (const key of Object.keys(node).sort()) takeWarnings(node[key], [...at, key], out);
}

const carriesStructure = (type: string): boolean => /^application\/(?:[\w.+-]+\+)?json\b/i.test(type) || /^text\//i.test(type);

/**
 * Swagger 2 lists media types per operation (`produces`), so an operation that answers only raw bytes (a password
 * as application/octet-stream) declares its JSON error bodies as bytes too, which no server can send. A response
 * with an object or array schema and no JSON or text media type is declared as application/json, the only type
 * such a body comes in. Returns one line per operation changed.
 */
function structuredAsJson(doc: JsonObject): string[] {
  const notes: string[] = [];
  for (const { path, method, operation } of listOperations(doc)) {
    const changed: string[] = [];
    for (const [code, response] of sortedEntries(operation["responses"])) {
      // A shared response ($ref) was converted with the document's own produces: left as it is.
      if (!isObject(response) || typeof response["$ref"] === "string" || !isObject(response["content"])) continue;
      const media = Object.entries(response["content"]);
      if (media.length === 0 || media.some(([type]) => carriesStructure(type))) continue;
      const structured = media
        .map(([, m]) => (isObject(m) ? m["schema"] : undefined))
        .find((schema) => {
          const resolved = deref(doc, schema).value;
          return isObject(resolved) && (resolved["type"] === "object" || resolved["type"] === "array" || isObject(resolved["properties"]));
        });
      if (structured === undefined) continue;
      response["content"] = { "application/json": { schema: structured } };
      changed.push(code);
    }
    if (changed.length > 0) {
      notes.push(
        `${pointerOf(["paths", path, method])}: produces no JSON media type, so the object bodies of response(s) ` +
          `${changed.join(", ")} are declared as application/json (Swagger 2 cannot give a response a type of its own)`,
      );
    }
  }
  return notes;
}

export async function convertToOpenApi3(doc: JsonObject, isSwagger2: boolean): Promise<ConvertOutcome> {
  if (!isSwagger2) return { doc: structuredClone(doc), warnings: [] };
  let converted: JsonObject;
  try {
    const escaped = escapeReservedNames(doc);
    // convertObj copies its input itself. Without `text` it also renders the whole input as YAML
    // (only a validator we do not use reads it): about two thirds of the step's time.
    const result = await converter.convertObj(escaped.doc as never, { patch: true, warnOnly: true, text: "(unused)" } as never);
    converted = unescapeReservedNames(result.openapi as unknown as JsonObject, escaped.marker);
  } catch (error) {
    // Not a verdict on the document's content: the pipeline names the document and the cause.
    if (error instanceof RangeError) throw error;
    throw new GenerateError("convert", `swagger2openapi could not convert the document: ${(error as Error).message}`);
  }
  const warnings: string[] = [];
  takeWarnings(converted, [], warnings);
  warnings.push(...structuredAsJson(converted));
  return { doc: converted, warnings };
}
