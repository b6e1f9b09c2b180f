// Swashbuckle emits the same operationId for overloaded actions; openapi-typescript cannot emit two
// members with one name. The first holder (in sorted path, fixed method order) keeps the id; later ones get
// the lowest free numeric suffix, so the result depends only on the document's content.
import { listOperations, operationLabel } from "../lib/operations-walk.js";
import type { Repair } from "./repair.js";

export const duplicateOperationIds: Repair = {
  name: "duplicate-operation-ids",
  apply(doc) {
    const operations = listOperations(doc);
    const taken = new Set<string>();
    for (const { operation } of operations) {
      if (typeof operation["operationId"] === "string") taken.add(operation["operationId"]);
    }
    const seen = new Set<string>();
    const notes: string[] = [];
    for (const { path, method, operation } of operations) {
      const id = operation["operationId"];
      if (typeof id !== "string") continue;
      if (!seen.has(id)) {
        seen.add(id);
        continue;
      }
      let n = 2;
      while (taken.has(`${id}_${n}`)) n++;
      const renamed = `${id}_${n}`;
      taken.add(renamed);
      seen.add(renamed);
      operation["operationId"] = renamed;
      notes.push(`${operationLabel(method, path)}: operationId "${id}" was already used; renamed to "${renamed}"`);
    }
    return notes;
  },
};
