// `responses: {}` is invalid in both Swagger 2.0 and OpenAPI 3 and the converter leaves it alone.
import { isObject } from "../lib/json-types.js";
import { listOperations, operationLabel } from "../lib/operations-walk.js";
import type { Repair } from "./repair.js";

export const emptyResponses: Repair = {
  name: "empty-responses",
  apply(doc) {
    const notes: string[] = [];
    for (const { path, method, operation } of listOperations(doc)) {
      const responses = operation["responses"];
      const codes = isObject(responses) ? Object.keys(responses).filter((k) => !k.startsWith("x-")) : [];
      if (codes.length > 0) continue;
      const kept = isObject(responses) ? responses : {};
      operation["responses"] = {
        ...kept,
        default: { description: "Response not described by the source document (added by the generator)." },
      };
      notes.push(`${operationLabel(method, path)}: no responses listed; added a "default" response`);
    }
    return notes;
  },
};
