// Step "convert": Swagger 2.0 -> OpenAPI 3.0 with swagger2openapi; OpenAPI 3 input passes through.
import converter from "swagger2openapi";
import { GenerateError } from "../lib/errors.js";
import { pointerOf } from "../lib/json-pointer.js";
import { isObject, type JsonObject } from "../lib/json-types.js";
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
  return { doc: converted, warnings };
}
