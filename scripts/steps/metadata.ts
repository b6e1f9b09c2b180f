// Step "metadata": the typed operations table, built from the vendor extensions of each operation
// (x-cyberark-min-version, -max-version, -deployment, -secret-change, -paging, -unconfirmed; lib/operation-facts.ts).
import { GenerateError } from "../lib/errors.js";
import { pointerOf } from "../lib/json-pointer.js";
import type { JsonObject } from "../lib/json-types.js";
import { listOperations, operationLabel } from "../lib/operations-walk.js";
import { DEPLOYMENTS, FACT_EXTENSIONS, FACTS, factProblem } from "../lib/operation-facts.js";

export { DEPLOYMENTS, PAGING_STYLES } from "../lib/operation-facts.js";

export interface OperationRecord {
  key: string;
  operationId: string;
  method: string;
  path: string;
  minVersion?: string;
  maxVersion?: string;
  deployment: (typeof DEPLOYMENTS)[number];
  secretChange: boolean;
  paging?: JsonObject;
  unconfirmed?: string;
}

export function extractOperations(doc: JsonObject, subject: string): OperationRecord[] {
  const records: OperationRecord[] = [];
  const problems: string[] = [];
  for (const { path, method, operation } of listOperations(doc)) {
    const at = (ext: string) => pointerOf(["paths", path, method, ext]);
    const METHOD = method.toUpperCase();
    const operationId = operation["operationId"];
    if (typeof operationId !== "string") {
      problems.push(`${pointerOf(["paths", path, method])}: no operationId`);
      continue;
    }
    const record: OperationRecord = {
      key: operationLabel(METHOD, path),
      operationId,
      method: METHOD,
      path,
      deployment: "both",
      secretChange: false,
    };
    for (const fact of FACTS) {
      const ext = FACT_EXTENSIONS[fact];
      const value = operation[ext];
      if (value === undefined) continue;
      const problem = factProblem(fact, value);
      if (problem !== undefined) problems.push(`${at(ext)}: ${problem}`);
      else (record as unknown as Record<string, unknown>)[fact] = value;
    }
    records.push(record);
  }
  if (problems.length > 0) {
    throw new GenerateError(
      "metadata",
      `${subject}: invalid vendor extensions (${problems.length}):\n` + problems.map((p) => `  - ${p}`).join("\n"),
    );
  }
  return records;
}

export function tableName(documentName: string): string {
  return `${documentName}Operations`;
}

export function renderOperationsModule(
  documentName: string,
  typePrefix: string,
  records: readonly OperationRecord[],
  header: string,
): string {
  const rows = records.map((r) => {
    const fields: string[] = [
      `operationId: ${JSON.stringify(r.operationId)}`,
      `method: ${JSON.stringify(r.method)}`,
      `path: ${JSON.stringify(r.path)}`,
    ];
    if (r.minVersion !== undefined) fields.push(`minVersion: ${JSON.stringify(r.minVersion)}`);
    if (r.maxVersion !== undefined) fields.push(`maxVersion: ${JSON.stringify(r.maxVersion)}`);
    fields.push(`deployment: ${JSON.stringify(r.deployment)}`);
    fields.push(`secretChange: ${r.secretChange}`);
    if (r.paging !== undefined) fields.push(`paging: ${JSON.stringify(r.paging)}`);
    if (r.unconfirmed !== undefined) fields.push(`unconfirmed: ${JSON.stringify(r.unconfirmed)}`);
    return `  ${JSON.stringify(r.key)}: {\n${fields.map((f) => `    ${f},`).join("\n")}\n  },`;
  });
  const table = tableName(documentName);
  return (
    header +
    `\nimport type { OperationMeta } from "./index.js";\n\n` +
    `/** Every operation of the ${documentName} document, keyed "METHOD /path" with paths as in ${documentName}.ts. */\n` +
    `export const ${table} = {\n${rows.join("\n")}${rows.length > 0 ? "\n" : ""}} as const satisfies Readonly<Record<string, OperationMeta>>;\n\n` +
    `export type ${typePrefix}OperationKey = keyof typeof ${table};\n`
  );
}
