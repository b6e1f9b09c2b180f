// Shape shared by the repairs: each fixes one known defect in place and says what it touched.
import type { JsonObject } from "../lib/json-types.js";

export interface Repair {
  name: string;
  /** Mutates doc; returns one line per thing it changed (empty when nothing needed fixing). */
  apply(doc: JsonObject, isSwagger2: boolean): string[];
}
