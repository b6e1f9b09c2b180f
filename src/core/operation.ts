// One row of the generated operation tables: what the client knows about one operation. The one
// row type of the runtime (the typed clients, paging and describeOperation all read it).
import type { PagingSpec } from "../paging/types.js";

export interface OperationInfo {
  method?: string | undefined;
  path?: string | undefined;
  operationId?: string | undefined;
  minVersion?: string | undefined;
  maxVersion?: string | undefined;
  deployment?: "both" | "self-hosted" | "privilege-cloud" | undefined;
  /** Changes a credential: never retried after an ambiguous failure, whatever the retry options say. */
  secretChange?: boolean | undefined;
  /** List operations: where the items, total and next link are (see paging/). */
  paging?: PagingSpec | undefined;
}

/** Operation tables are keyed "METHOD /path" with paths relative to their base. */
export type OperationTable = { readonly [key: string]: OperationInfo };

export function lookupOperation(table: OperationTable | undefined, method: string, pathTemplate: string): OperationInfo | undefined {
  return table?.[`${method} ${pathTemplate}`];
}
