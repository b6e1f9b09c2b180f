// Step "metadata": the typed operations table, built from the vendor extensions of each operation
// (x-cyberark-min-version, -max-version, -deployment, -secret-change, -paging, -unconfirmed; lib/operation-facts.ts),
// and from the success responses themselves (successText).
import { GenerateError } from "../lib/errors.js";
import { deref, pointerOf } from "../lib/json-pointer.js";
import { isObject, type JsonObject } from "../lib/json-types.js";
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
  /** The success body is text (see successIsText): the client reads it as a string, not as JSON. */
  successText?: true;
}

/** The media type without parameters, lower-cased. */
const essence = (mediaType: string): string => (mediaType.split(";")[0] ?? "").trim().toLowerCase();

/** application/json, text/json and any +json type (application/vnd.cyberark.api+json). */
const isJsonMediaType = (type: string): boolean => type === "application/json" || type === "text/json" || type.endsWith("+json");

const isTextMediaType = (type: string): boolean => type.startsWith("text/") || type === "application/octet-stream";

/** A string schema (a binary one never gets here: responseKind turns it away first). */
function isStringSchema(doc: JsonObject, node: unknown): boolean {
  const schema = deref(doc, node).value;
  if (!isObject(schema)) return false;
  const type = schema["type"];
  // OpenAPI 3.1 may write a nullable string as ["string", "null"].
  if (Array.isArray(type)) return type.includes("string") && type.every((t) => t === "string" || t === "null");
  return type === "string";
}

/**
 * "text", "other" or "none" (no body declared) for one response. Text: no JSON media type, no binary one, and a
 * text/* or application/octet-stream one with a string schema. A JSON-parsed password comes back as a number
 * (123456), a boolean (true) or an error (Abc!x), which is why such bodies must not go through JSON.parse.
 */
function responseKind(doc: JsonObject, node: unknown): "text" | "other" | "none" {
  const response = deref(doc, node).value;
  const content = isObject(response) ? response["content"] : undefined;
  if (!isObject(content) || Object.keys(content).length === 0) return "none";
  let text = false;
  for (const [mediaType, media] of Object.entries(content)) {
    const type = essence(mediaType);
    const schema = isObject(media) ? media["schema"] : undefined;
    if (isJsonMediaType(type)) return "other";
    // A binary file (platform export, image): the caller passes parseAs.
    const resolved = deref(doc, schema).value;
    if (isObject(resolved) && resolved["format"] === "binary") return "other";
    if (isTextMediaType(type) && isStringSchema(doc, schema)) text = true;
  }
  return text ? "text" : "other";
}

/** Every 2xx response that declares a body is text, and at least one does (a 204 beside a text 200 is fine). */
export function successIsText(doc: JsonObject, operation: JsonObject): boolean {
  const responses = operation["responses"];
  if (!isObject(responses)) return false;
  const kinds = Object.entries(responses)
    .filter(([code]) => /^2(\d\d|XX)$/i.test(code))
    .map(([, response]) => responseKind(doc, response));
  return kinds.includes("text") && kinds.every((k) => k !== "other");
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
    if (successIsText(doc, operation)) record.successText = true;
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
    if (r.successText) fields.push("successText: true");
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
