// Step "validate": every problem in the document, each with its JSON pointer. Dangling $refs are found here
// first (swagger-parser would stop at the first one) and neutralised in a scratch copy so the schema
// validation can still report everything else.
import SwaggerParser from "@apidevtools/swagger-parser";
import { GenerateError } from "../lib/errors.js";
import { pointerOf, resolvePointer } from "../lib/json-pointer.js";
import { isObject, type JsonObject } from "../lib/json-types.js";
import { escapeReservedNames, unescapeReservedText } from "../lib/reserved-names.js";

interface RefProblem {
  at: (string | number)[];
  message: string;
}

/** Local $refs that point nowhere, and non-local ones (never fetched). */
export function findBadRefs(doc: JsonObject, isSwagger2: boolean): RefProblem[] {
  const problems: RefProblem[] = [];
  const visit = (node: unknown, at: (string | number)[]): void => {
    if (Array.isArray(node)) {
      node.forEach((child, i) => visit(child, [...at, i]));
      return;
    }
    if (!isObject(node)) return;
    const ref = node["$ref"];
    if (typeof ref === "string") {
      if (!ref.startsWith("#")) problems.push({ at, message: `$ref "${ref}" is not local to the document (not supported)` });
      else if (resolvePointer(doc, ref) === undefined) problems.push({ at, message: `$ref "${ref}" points to nothing` });
    }
    for (const key of Object.keys(node)) {
      // Example values are data; in Swagger 2.0 `examples` is data too (in OpenAPI 3 it may hold $refs).
      if (key === "example" || key.startsWith("x-") || (isSwagger2 && key === "examples")) continue;
      visit(node[key], [...at, key]);
    }
  };
  visit(doc, []);
  return problems;
}

function removeRefAt(doc: JsonObject, at: (string | number)[]): void {
  let node: unknown = doc;
  for (const key of at) node = (node as Record<string | number, unknown>)[key];
  if (isObject(node)) delete node["$ref"];
}

interface AjvIssue {
  instancePath?: string;
  message?: string;
  params?: Record<string, unknown>;
}

// Messages that only say "another branch of a oneOf/anyOf did not match either"; shown only when nothing
// more specific was found at the same pointer.
const BRANCH_NOISE = [/must match exactly one schema in oneOf/, /must match a schema in anyOf/, /must NOT be valid/, /required property '\$ref'/];

function describeAjv(issue: AjvIssue): string {
  let text = issue.message ?? "is invalid";
  const p = issue.params ?? {};
  if (typeof p["additionalProperty"] === "string") text += ` ("${p["additionalProperty"]}")`;
  if (Array.isArray(p["allowedValues"])) text += `: ${p["allowedValues"].map((v) => JSON.stringify(v)).join(", ")}`;
  return text;
}

function ajvProblems(details: AjvIssue[]): string[] {
  const byPointer = new Map<string, string[]>();
  for (const issue of details) {
    const pointer = "#" + (issue.instancePath ?? "");
    const list = byPointer.get(pointer) ?? [];
    const text = describeAjv(issue);
    if (!list.includes(text)) list.push(text);
    byPointer.set(pointer, list);
  }
  const lines: string[] = [];
  for (const [pointer, messages] of byPointer) {
    const specific = messages.filter((m) => !BRANCH_NOISE.some((re) => re.test(m)));
    lines.push(`${pointer}: ${(specific.length > 0 ? specific : messages).join("; ")}`);
  }
  return lines;
}

export async function validateDocument(doc: JsonObject, isSwagger2: boolean, subject: string): Promise<void> {
  const refProblems = findBadRefs(doc, isSwagger2);
  const problems = refProblems.map((p) => `${pointerOf(p.at)}: ${p.message}`);
  const scratch = structuredClone(doc);
  for (const p of refProblems) removeRefAt(scratch, p.at);
  // swagger-parser calls properties.hasOwnProperty(...): names such as that one carry a marker meanwhile.
  const escaped = escapeReservedNames(scratch);
  try {
    // Never resolve anything outside the document: it was fetched by us, with our own TLS and auth rules.
    await SwaggerParser.validate(escaped.doc as never, { resolve: { external: false } });
  } catch (error) {
    // The validator crashing (out of stack) is not a problem in the document: let the pipeline say so.
    if (error instanceof RangeError) throw error;
    const details = (error as { details?: unknown }).details;
    const found =
      Array.isArray(details) && details.length > 0
        ? ajvProblems(details as AjvIssue[])
        : [String((error as Error).message ?? error).replace(/\s+undefined$/, "")];
    problems.push(...found.map((p) => unescapeReservedText(p, escaped.marker)));
  }
  if (problems.length === 0) return;
  const kind = isSwagger2 ? "Swagger 2.0" : "OpenAPI 3";
  throw new GenerateError(
    "validate",
    `${subject} is not a valid ${kind} document (${problems.length} problem${problems.length === 1 ? "" : "s"}):\n` +
      problems.map((p) => `  - ${p}`).join("\n"),
  );
}
