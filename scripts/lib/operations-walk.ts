// Iterates the operations of a Swagger 2.0 or OpenAPI 3 document in a fixed, key-order-independent order.
import { isObject, sortedEntries, type JsonObject } from "./json-types.js";

export const HTTP_METHODS = ["get", "put", "post", "delete", "options", "head", "patch", "trace"] as const;
export type HttpMethod = (typeof HTTP_METHODS)[number];

export interface OperationRef {
  path: string;
  method: HttpMethod;
  pathItem: JsonObject;
  operation: JsonObject;
}

export function listOperations(doc: unknown): OperationRef[] {
  const out: OperationRef[] = [];
  if (!isObject(doc)) return out;
  for (const [path, pathItem] of sortedEntries(doc["paths"])) {
    if (!isObject(pathItem)) continue;
    for (const method of HTTP_METHODS) {
      const operation = pathItem[method];
      if (isObject(operation)) out.push({ path, method, pathItem, operation });
    }
  }
  return out;
}

export function operationLabel(method: string, path: string): string {
  return `${method.toUpperCase()} ${path}`;
}
