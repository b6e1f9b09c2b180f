// A `{name}` in the path template with no matching `in: path` parameter is rejected by validators and leaves
// the typed call without a way to pass it. Declare it as a required string.
import { resolvePointer } from "../lib/json-pointer.js";
import { isObject, type JsonObject } from "../lib/json-types.js";
import { listOperations, operationLabel } from "../lib/operations-walk.js";
import type { Repair } from "./repair.js";

function declaredPathParams(doc: JsonObject, params: unknown): Set<string> {
  const names = new Set<string>();
  if (!Array.isArray(params)) return names;
  for (const raw of params) {
    const p = isObject(raw) && typeof raw["$ref"] === "string" ? resolvePointer(doc, raw["$ref"]) : raw;
    if (isObject(p) && p["in"] === "path" && typeof p["name"] === "string") names.add(p["name"]);
  }
  return names;
}

export const undeclaredPathParams: Repair = {
  name: "undeclared-path-params",
  apply(doc, isSwagger2) {
    const notes: string[] = [];
    for (const { path, method, pathItem, operation } of listOperations(doc)) {
      const inTemplate = [...path.matchAll(/\{([^}]+)\}/g)].map((m) => m[1] ?? "");
      const declared = new Set([
        ...declaredPathParams(doc, pathItem["parameters"]),
        ...declaredPathParams(doc, operation["parameters"]),
      ]);
      const missing = [...new Set(inTemplate)].filter((name) => !declared.has(name));
      if (missing.length === 0) continue;
      const params = Array.isArray(operation["parameters"]) ? operation["parameters"] : [];
      for (const name of missing) {
        params.push(
          isSwagger2
            ? { name, in: "path", required: true, type: "string" }
            : { name, in: "path", required: true, schema: { type: "string" } },
        );
      }
      operation["parameters"] = params;
      notes.push(`${operationLabel(method, path)}: declared path parameter(s) ${missing.map((n) => `"${n}"`).join(", ")} as string`);
    }
    return notes;
  },
};
