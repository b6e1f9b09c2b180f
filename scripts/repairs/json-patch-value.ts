// A JSON Patch operation's `value` can be any JSON value, but Swashbuckle types it `{type: object}` with no
// properties, which becomes an empty-object type. In any schema shaped like a patch operation (op + path +
// value) such a `value` loses its type, so the generated type is `unknown`.
import { pointerOf } from "../lib/json-pointer.js";
import { isObject, type JsonObject } from "../lib/json-types.js";
import type { Repair } from "./repair.js";

const SHAPE_KEYS = ["properties", "additionalProperties", "items", "allOf", "anyOf", "oneOf", "$ref", "enum"];

function isBareObjectSchema(schema: unknown): schema is JsonObject {
  if (!isObject(schema) || schema["type"] !== "object") return false;
  if (SHAPE_KEYS.some((k) => k in schema)) return false;
  return true;
}

function isPatchOperationSchema(schema: JsonObject): schema is JsonObject & { properties: JsonObject } {
  const props = schema["properties"];
  return isObject(props) && "op" in props && "path" in props && "value" in props;
}

export const jsonPatchValue: Repair = {
  name: "json-patch-value",
  apply(doc) {
    const notes: string[] = [];
    const visit = (node: unknown, at: (string | number)[]): void => {
      if (Array.isArray(node)) {
        node.forEach((child, i) => visit(child, [...at, i]));
        return;
      }
      if (!isObject(node)) return;
      if (isPatchOperationSchema(node)) {
        const value = node.properties["value"];
        if (isBareObjectSchema(value)) {
          delete value["type"];
          notes.push(`${pointerOf([...at, "properties", "value"])}: "type: object" removed, the patch value may be any JSON value`);
        }
      }
      for (const key of Object.keys(node).sort()) {
        // Examples and vendor extensions are data, not schemas.
        if (key === "example" || key === "examples" || key.startsWith("x-")) continue;
        visit(node[key], [...at, key]);
      }
    };
    visit(doc, []);
    return notes;
  },
};
