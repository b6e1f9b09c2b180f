// Operations without an operationId get one derived from method and path, so every row of the operations
// table and every member of the generated `operations` interface has a stable name.
import { listOperations, operationLabel } from "../lib/operations-walk.js";
import type { Repair } from "./repair.js";

export function derivedOperationId(method: string, path: string): string {
  const words = path
    .split("/")
    .map((segment) => segment.replace(/[{}]/g, "").replace(/[^A-Za-z0-9]+/g, "_").replace(/^_+|_+$/g, ""))
    .filter((w) => w !== "");
  return [method.toLowerCase(), ...words].join("_");
}

export const missingOperationIds: Repair = {
  name: "missing-operation-ids",
  apply(doc) {
    const operations = listOperations(doc);
    const taken = new Set(operations.map((o) => o.operation["operationId"]).filter((id) => typeof id === "string"));
    const notes: string[] = [];
    for (const { path, method, operation } of operations) {
      if (typeof operation["operationId"] === "string" && operation["operationId"] !== "") continue;
      const base = derivedOperationId(method, path);
      let id = base;
      for (let n = 2; taken.has(id); n++) id = `${base}_${n}`;
      taken.add(id);
      operation["operationId"] = id;
      notes.push(`${operationLabel(method, path)}: had no operationId; named it "${id}"`);
    }
    return notes;
  },
};
