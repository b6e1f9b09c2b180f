// The project's CyberArk knowledge for one document: what a portal's Swagger document does not say, or says
// wrong, keyed "METHOD /route" with routes relative to the client's base URL (as in generated/NAME.ts).
// One file per document in spec/knowledge/; the embedded spec and any tenant document get the same rows.
import { readFile } from "node:fs/promises";
import { join } from "node:path";
import type { DocumentName } from "../lib/documents.js";
import { GenerateError } from "../lib/errors.js";
import { isObject } from "../lib/json-types.js";
import { FACTS, factProblem, type Fact } from "../lib/operation-facts.js";
import { HTTP_METHODS } from "../lib/operations-walk.js";
import { repoRoot } from "../lib/repo-paths.js";
import { routeKey } from "../lib/route-key.js";

/** One operation's facts (lib/operation-facts.ts) and corrections. */
export interface KnowledgeRow extends Partial<Record<Fact, unknown>> {
  /** The server answers a bare JSON array where a portal declares one element. */
  bareList?: boolean;
  /** "in name" of parameters the server does not read; "query *" for every query parameter. */
  removeParameters?: string[];
  unconfirmed?: unknown;
  /** Why the corrections above are needed, for people reading the file; not used by the generator. */
  why?: string;
  /** Where the operation's facts come from (psPAS command, SDK file, document, docs page), so they can be checked. */
  source?: string;
}

export interface Knowledge {
  document: DocumentName;
  /** Rows by their key as written ("GET /Safes/{safeUrlId}/Members"). */
  rows: ReadonlyMap<string, KnowledgeRow>;
  /** The same rows by routeKey, which is how operations are matched. */
  byRoute: ReadonlyMap<string, string>;
}

// Fields that are not facts: corrections the generator applies, and notes for people.
const OTHER_FIELDS = new Set(["bareList", "removeParameters", "why", "source"]);
const METHODS = new Set(HTTP_METHODS.map((m) => m.toUpperCase()));

export function knowledgeFile(name: DocumentName): string {
  return join(repoRoot, "spec", "knowledge", `${name}.json`);
}

function rowProblems(key: string, row: unknown): string[] {
  if (!isObject(row)) return [`${key}: must be an object`];
  const problems: string[] = [];
  for (const [field, value] of Object.entries(row)) {
    if ((FACTS as string[]).includes(field)) {
      // Checked here too, not only where a matched row becomes an extension: a row no document of ours matches
      // must not wait for a user's tenant to reveal its mistake.
      const problem = factProblem(field as Fact, value);
      if (problem !== undefined) problems.push(`${key}: ${field} ${problem}`);
    } else if (!OTHER_FIELDS.has(field)) problems.push(`${key}: unknown field "${field}"`);
  }
  for (const note of ["why", "source"]) {
    const text = row[note];
    if (text !== undefined && (typeof text !== "string" || text.trim() === "")) problems.push(`${key}: ${note} must be a non-empty string`);
  }
  if (row["bareList"] !== undefined && row["bareList"] !== true) problems.push(`${key}: bareList must be true when given`);
  if (row["bareList"] === true && row["paging"] !== undefined) problems.push(`${key}: bareList and paging exclude each other`);
  const removed = row["removeParameters"];
  if (removed !== undefined && (!Array.isArray(removed) || !removed.every((r) => typeof r === "string" && /^(query|header|path|cookie) \S+$/.test(r)))) {
    problems.push(`${key}: removeParameters must be a list of "in name" strings, e.g. "query RequestID" or "query *"`);
  }
  return problems;
}

export function parseKnowledge(name: DocumentName, value: unknown, label: string): Knowledge {
  const problems: string[] = [];
  const rows = new Map<string, KnowledgeRow>();
  const byRoute = new Map<string, string>();
  if (!isObject(value) || value["document"] !== name || !isObject(value["operations"])) {
    problems.push(`must be an object {"document": "${name}", "operations": {...}}`);
  } else {
    for (const [key, row] of Object.entries(value["operations"])) {
      const match = /^([A-Z]+) (\/\S*)$/.exec(key);
      if (!match || !METHODS.has(match[1] ?? "")) {
        problems.push(`${JSON.stringify(key)}: a key is "METHOD /route", e.g. "GET /Accounts/{id}"`);
        continue;
      }
      problems.push(...rowProblems(key, row));
      const route = routeKey(match[1] ?? "", match[2] ?? "");
      const earlier = byRoute.get(route);
      if (earlier !== undefined) problems.push(`${key}: the same route as ${earlier}`);
      byRoute.set(route, key);
      rows.set(key, row as KnowledgeRow);
    }
  }
  if (problems.length > 0) {
    throw new GenerateError("knowledge", `${label} is not a valid knowledge file:\n${problems.map((p) => `  - ${p}`).join("\n")}`);
  }
  return { document: name, rows, byRoute };
}

export async function loadKnowledge(name: DocumentName): Promise<Knowledge> {
  const file = knowledgeFile(name);
  const label = `spec/knowledge/${name}.json`;
  let value: unknown;
  try {
    value = JSON.parse(await readFile(file, "utf8"));
  } catch (error) {
    throw new GenerateError("knowledge", `cannot read ${label}: ${(error as Error).message}`);
  }
  return parseKnowledge(name, value, label);
}
