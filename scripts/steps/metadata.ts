// Step "metadata": the typed operations table, built from the vendor extensions of each operation
// (x-cyberark-min-version, -max-version, -deployment, -secret-change, -paging, -unconfirmed).
import { GenerateError } from "../lib/errors.js";
import { pointerOf } from "../lib/json-pointer.js";
import { isObject, type JsonObject } from "../lib/json-types.js";
import { listOperations, operationLabel } from "../lib/operations-walk.js";

export const DEPLOYMENTS = ["both", "self-hosted", "privilege-cloud"] as const;
export const PAGING_STYLES = ["nextLink", "offset", "unpaged"] as const;
// RFC 9110 idempotent methods.
const IDEMPOTENT = new Set(["GET", "HEAD", "PUT", "DELETE", "OPTIONS", "TRACE"]);

export interface OperationRecord {
  key: string;
  operationId: string;
  method: string;
  path: string;
  minVersion?: string;
  maxVersion?: string;
  deployment: (typeof DEPLOYMENTS)[number];
  secretChange: boolean;
  idempotent: boolean;
  paging?: JsonObject;
  unconfirmed?: string;
}

const PAGING_STRING_KEYS = ["items", "total", "offsetParam", "limitParam"];

function pagingProblems(paging: unknown): string[] {
  if (!isObject(paging)) return ["must be an object"];
  const problems: string[] = [];
  if (!(PAGING_STYLES as readonly unknown[]).includes(paging["style"])) {
    problems.push(`style must be one of ${PAGING_STYLES.join(", ")}`);
  }
  if (typeof paging["items"] !== "string") problems.push("items (the list's property name) must be a string");
  for (const key of Object.keys(paging)) {
    if (key === "style") continue;
    if (PAGING_STRING_KEYS.includes(key)) {
      if (typeof paging[key] !== "string") problems.push(`${key} must be a string`);
    } else if (key === "maxLimit") {
      const v = paging[key];
      if (typeof v !== "number" || !Number.isInteger(v) || v <= 0) problems.push("maxLimit must be a positive integer");
    } else problems.push(`unknown key "${key}"`);
  }
  return problems;
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
      idempotent: IDEMPOTENT.has(METHOD),
    };
    for (const [ext, field] of [
      ["x-cyberark-min-version", "minVersion"],
      ["x-cyberark-max-version", "maxVersion"],
    ] as const) {
      const v = operation[ext];
      if (v === undefined) continue;
      // Strings only: as a JSON number 14.10 would silently become 14.1.
      if (typeof v === "string" && /^\d+(\.\d+)*$/.test(v)) record[field] = v;
      else problems.push(`${at(ext)}: must be a version string like "14.2", got ${JSON.stringify(v)}`);
    }
    const deployment = operation["x-cyberark-deployment"];
    if (deployment !== undefined) {
      if ((DEPLOYMENTS as readonly unknown[]).includes(deployment)) record.deployment = deployment as OperationRecord["deployment"];
      else problems.push(`${at("x-cyberark-deployment")}: must be one of ${DEPLOYMENTS.join(", ")}, got ${JSON.stringify(deployment)}`);
    }
    const secret = operation["x-cyberark-secret-change"];
    if (secret !== undefined) {
      if (typeof secret === "boolean") record.secretChange = secret;
      else problems.push(`${at("x-cyberark-secret-change")}: must be true or false, got ${JSON.stringify(secret)}`);
    }
    const paging = operation["x-cyberark-paging"];
    if (paging !== undefined) {
      const issues = pagingProblems(paging);
      if (issues.length === 0) record.paging = paging as JsonObject;
      else problems.push(`${at("x-cyberark-paging")}: ${issues.join("; ")}`);
    }
    const unconfirmed = operation["x-cyberark-unconfirmed"];
    if (unconfirmed !== undefined) {
      if (typeof unconfirmed === "string") record.unconfirmed = unconfirmed;
      else problems.push(`${at("x-cyberark-unconfirmed")}: must be a string, got ${JSON.stringify(unconfirmed)}`);
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
    fields.push(`idempotent: ${r.idempotent}`);
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
