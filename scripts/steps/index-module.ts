// Step part of "metadata": generated/index.ts, the one import point for the generated types and tables.
import type { DocumentDefinition } from "../lib/documents.js";
import { headerForMany, type SourceStamp } from "../lib/generated-header.js";
import { DEPLOYMENTS, PAGING_STYLES, tableName } from "./metadata.js";

const literalUnion = (values: readonly string[]) => values.map((v) => JSON.stringify(v)).join(" | ");

export function renderIndexModule(documents: readonly (DocumentDefinition & { stamp: SourceStamp })[]): string {
  const header = headerForMany(documents.map((d) => ({ name: d.name, ...d.stamp })));
  const typeExports = documents
    .map((d) => `export type { components as ${d.typePrefix}Components, paths as ${d.typePrefix}Paths } from "./${d.name}.js";`)
    .join("\n");
  const tableExports = documents
    .map((d) => `export { ${tableName(d.name)}, type ${d.typePrefix}OperationKey } from "./${d.name}.operations.js";`)
    .join("\n");
  // Local bindings for the api value below; the export-from lines above create none.
  const imports = documents
    .flatMap((d) => [
      `import type { paths as ${d.typePrefix}Paths } from "./${d.name}.js";`,
      `import { ${tableName(d.name)} } from "./${d.name}.operations.js";`,
    ])
    .join("\n");
  const apiTables = documents.map((d) => `  readonly ${d.name}: typeof ${tableName(d.name)};`).join("\n");
  const apiPaths = documents.map((d) => `readonly ${d.name}: ${d.typePrefix}Paths`).join("; ");
  const apiValue = documents.map((d) => `${d.name}: ${tableName(d.name)}`).join(", ");
  const bases = documents.map((d) => `  ${d.name}: ${JSON.stringify(d.serverUrl)},`).join("\n");
  return `${header}
${imports}
${typeExports}
${tableExports}

/**
 * This generation's operation tables, typed with its path types. Declared here (no import from the
 * package) so that a generated/ folder written into any project fits createCyberArkClient's \`api\` option.
 */
export interface GeneratedApi {
${apiTables}
  /** Type-only, never set at run time: the path types of this generation. */
  readonly __paths?: { ${apiPaths} };
}

/** Pass as \`api\` to createCyberArkClient to type and drive the client with this generation. */
export const api: GeneratedApi = { ${apiValue} };

/** Base path below the portal root that each document's paths are relative to. */
export const basePaths = {
${bases}
} as const;

/** How a list operation pages (from x-cyberark-paging). */
export interface PagingMeta {
  readonly style: ${literalUnion(PAGING_STYLES)};
  /** Property of the response body holding the items. */
  readonly items: string;
  /** Property holding the total count, when the server gives one. */
  readonly total?: string;
  readonly offsetParam?: string;
  readonly limitParam?: string;
  readonly maxLimit?: number;
}

/** One row of an operations table. */
export interface OperationMeta {
  readonly operationId: string;
  readonly method: "GET" | "PUT" | "POST" | "DELETE" | "OPTIONS" | "HEAD" | "PATCH" | "TRACE";
  readonly path: string;
  /** Oldest PVWA version that has the operation (x-cyberark-min-version). */
  readonly minVersion?: string;
  /** Newest PVWA version that still has it (x-cyberark-max-version). */
  readonly maxVersion?: string;
  readonly deployment: ${literalUnion(DEPLOYMENTS)};
  /**
   * Changes a credential: never retried after an ambiguous failure. The only per-operation retry veto; otherwise
   * the retry options' \`methods\` decide which calls are repeated.
   */
  readonly secretChange: boolean;
  readonly paging?: PagingMeta;
  /** What about the operation is unconfirmed and what was chosen. */
  readonly unconfirmed?: string;
  /** The 2xx body is text (text/* or application/octet-stream, a string, not binary): read as a string, not JSON. */
  readonly successText?: boolean;
}
`;
}
