// Step "repair": applies the known fix-ups in a fixed order and reports each by name.
import type { JsonObject } from "../lib/json-types.js";
import { duplicateOperationIds } from "../repairs/duplicate-operation-ids.js";
import { emptyResponses } from "../repairs/empty-responses.js";
import { jsonPatchValue } from "../repairs/json-patch-value.js";
import { missingOperationIds } from "../repairs/missing-operation-ids.js";
import type { Repair } from "../repairs/repair.js";
import { undeclaredPathParams } from "../repairs/undeclared-path-params.js";

// Duplicates are settled before missing ids are derived, so a derived id never steals an existing one.
export const REPAIRS: readonly Repair[] = [
  duplicateOperationIds,
  missingOperationIds,
  emptyResponses,
  jsonPatchValue,
  undeclaredPathParams,
];

export interface RepairOutcome {
  name: string;
  notes: string[];
}

/** Mutates doc; returns only the repairs that changed something. */
export function applyRepairs(doc: JsonObject, isSwagger2: boolean): RepairOutcome[] {
  const outcomes: RepairOutcome[] = [];
  for (const repair of REPAIRS) {
    const notes = repair.apply(doc, isSwagger2);
    if (notes.length > 0) outcomes.push({ name: repair.name, notes });
  }
  return outcomes;
}
