// The generated operation tables the client uses, keyed "METHOD /path", per API base.
import { gen1Operations, gen2Operations, pcloudOperations, type OperationMeta } from "../../generated/index.js";
import type { Area } from "../../scripts/mock/documents.js";

export function generatedTables(): Record<Area, Readonly<Record<string, OperationMeta>>> {
  return { gen2: gen2Operations, gen1: gen1Operations, pcloud: pcloudOperations };
}
