// What the client needs to know about one operation from the generated operation tables.

export interface OperationInfo {
  operationId?: string | undefined;
  minVersion?: string | undefined;
  maxVersion?: string | undefined;
  deployment?: "both" | "self-hosted" | "privilege-cloud" | undefined;
  /** Changes a credential: never retried after an ambiguous failure. */
  secretChange?: boolean | undefined;
  idempotent?: boolean | undefined;
}

/** Operation tables are keyed "METHOD /path" with paths relative to their base. */
export type OperationTable = Readonly<Record<string, OperationInfo>>;

export function lookupOperation(table: OperationTable | undefined, method: string, pathTemplate: string): OperationInfo | undefined {
  return table?.[`${method} ${pathTemplate}`];
}
