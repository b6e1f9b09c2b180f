// Step "knowledge": the project's knowledge applied to one rebased OpenAPI 3 document. Operations are matched
// on method and normalised route; each fact a row has becomes a vendor extension (read by step "metadata"),
// bare lists and ignored parameters are corrected, and the run learns what was and was not known. List envelopes are
// corrected from x-cyberark-paging after the user's overlay (correctEnvelopes), so an overlay's paging counts too.
import { isObject, type JsonObject } from "../lib/json-types.js";
import { FACT_EXTENSIONS, FACTS } from "../lib/operation-facts.js";
import { listOperations, operationLabel } from "../lib/operations-walk.js";
import { routeKey } from "../lib/route-key.js";
import { deref } from "../lib/json-pointer.js";
import type { Knowledge, KnowledgeRow } from "./knowledge-file.js";
import { correctListResponse } from "./response-envelope.js";

export interface KnowledgeCoverage {
  document: string;
  /** Operations in the document. */
  operations: number;
  /** Operations with a knowledge row. */
  matched: number;
  /** Operations no row knows ("METHOD /path" as in the document): method rules only. */
  unknown: string[];
  /** Rows that found no operation (the tenant lacks them, or names them differently). */
  unusedRows: string[];
  /** What was corrected, one line each. */
  corrections: string[];
}

function parameterKey(doc: JsonObject, raw: unknown): string | undefined {
  const p = deref(doc, raw).value;
  return isObject(p) && typeof p["in"] === "string" && typeof p["name"] === "string"
    ? `${p["in"]} ${p["name"].toLowerCase()}`
    : undefined;
}

function removeParameters(doc: JsonObject, operation: JsonObject, rules: readonly string[]): string[] {
  const notes: string[] = [];
  let params: unknown[] = Array.isArray(operation["parameters"]) ? operation["parameters"] : [];
  for (const rule of rules) {
    const [where = "", name = ""] = rule.split(" ");
    const before = params.length;
    params = params.filter((p) => {
      const key = parameterKey(doc, p);
      return key === undefined || !(key.startsWith(`${where} `) && (name === "*" || key === `${where} ${name.toLowerCase()}`));
    });
    if (params.length < before) notes.push(`removed ${before - params.length} parameter(s) matching "${rule}"`);
  }
  if (notes.length > 0) operation["parameters"] = params;
  return notes;
}

function applyRow(doc: JsonObject, operation: JsonObject, row: KnowledgeRow): string[] {
  const notes: string[] = [];
  for (const fact of FACTS) {
    const extension = FACT_EXTENSIONS[fact];
    const value = row[fact];
    if (value === undefined) continue;
    const own = operation[extension];
    if (own !== undefined && JSON.stringify(own) !== JSON.stringify(value)) {
      notes.push(`${extension}: the document's ${JSON.stringify(own)} replaced by ${JSON.stringify(value)}`);
    }
    operation[extension] = structuredClone(value);
  }
  if (row.bareList === true) {
    const codes = correctListResponse(doc, operation, { fields: {} });
    if (codes.length > 0) notes.push(`response ${codes.join(", ")} corrected to a bare JSON array`);
  }
  notes.push(...removeParameters(doc, operation, row.removeParameters ?? []));
  return notes;
}

/** Applies the knowledge to a copy of doc (paths relative to the client's base URL). */
export function applyKnowledge(source: JsonObject, knowledge: Knowledge): { doc: JsonObject; coverage: KnowledgeCoverage } {
  const doc = structuredClone(source);
  const coverage: KnowledgeCoverage = {
    document: knowledge.document,
    operations: 0,
    matched: 0,
    unknown: [],
    unusedRows: [],
    corrections: [],
  };
  const used = new Set<string>();
  for (const { path, method, operation } of listOperations(doc)) {
    coverage.operations++;
    const label = operationLabel(method, path);
    const key = knowledge.byRoute.get(routeKey(method, path));
    const row = key === undefined ? undefined : knowledge.rows.get(key);
    if (key === undefined || row === undefined) {
      coverage.unknown.push(label);
      continue;
    }
    coverage.matched++;
    used.add(key);
    for (const note of applyRow(doc, operation, row)) coverage.corrections.push(`${label}: ${note}`);
  }
  coverage.unusedRows = [...knowledge.rows.keys()].filter((k) => !used.has(k));
  return { doc, coverage };
}
