// Step "typescript": OpenAPI 3 -> TypeScript `paths`/`components` types with openapi-typescript.
import openapiTS, { astToString, type OpenAPITSOptions } from "openapi-typescript";
import { GenerateError } from "../lib/errors.js";
import { isObject, type JsonObject } from "../lib/json-types.js";
import { escapeReservedNames, unescapeReservedText } from "../lib/reserved-names.js";

const BASE_OPTIONS: OpenAPITSOptions = {
  alphabetize: true,
  rootTypes: true,
  emptyObjectsUnknown: true,
  silent: true,
  // Deliberately not `pathParamsAsTypes` (output stops matching openapi-fetch) nor `enum` (literals stop checking).
};

export interface TypesOutcome {
  source: string;
  /** False when schema names collided without the "Schema" prefix and the prefixed form was used. */
  unprefixedRootTypes: boolean;
}

const ROOT_TYPE_SECTIONS = ["schemas", "responses", "parameters", "requestBodies", "headers", "pathItems"];

/**
 * Problems with the root type exports: a name exported twice, or a component with no export (without the
 * prefix, openapi-typescript silently drops one of two components whose names collide, e.g. Foo-Bar/FooBar).
 */
export function rootTypeProblems(source: string, doc: JsonObject): string[] {
  const counts = new Map<string, number>();
  const covered = new Set<string>();
  for (const m of source.matchAll(/^export (?:type|interface) ([A-Za-z0-9_$]+)(.*)$/gm)) {
    const name = m[1] ?? "";
    counts.set(name, (counts.get(name) ?? 0) + 1);
    const target = /^ = components\['([^']+)'\]\['((?:[^'\\]|\\.)*)'\];/.exec(m[2] ?? "");
    if (target) covered.add(`${target[1]}/${(target[2] ?? "").replace(/\\(.)/g, "$1")}`);
  }
  const problems = [...counts].filter(([, n]) => n > 1).map(([name]) => `"${name}" exported twice`);
  const components = isObject(doc["components"]) ? doc["components"] : {};
  for (const section of ROOT_TYPE_SECTIONS) {
    const entries = components[section];
    if (!isObject(entries)) continue;
    for (const name of Object.keys(entries)) {
      if (!covered.has(`${section}/${name}`)) problems.push(`no root type for components.${section}["${name}"]`);
    }
  }
  return problems;
}

async function emit(doc: JsonObject, noSchemaPrefix: boolean): Promise<string> {
  const escaped = escapeReservedNames(doc);
  const ast = await openapiTS(structuredClone(escaped.doc) as never, { ...BASE_OPTIONS, rootTypesNoSchemaPrefix: noSchemaPrefix });
  return unescapeReservedText(astToString(ast), escaped.marker);
}

export async function generateTypes(doc: JsonObject): Promise<TypesOutcome> {
  try {
    // Short names (Account rather than SchemaAccount) when they are unambiguous.
    const short = await emit(doc, true);
    if (rootTypeProblems(short, doc).length === 0) return { source: short, unprefixedRootTypes: true };
    const prefixed = await emit(doc, false);
    const problems = rootTypeProblems(prefixed, doc);
    if (problems.length > 0) throw new Error(`root types are ambiguous: ${problems.join("; ")}`);
    return { source: prefixed, unprefixedRootTypes: false };
  } catch (error) {
    // Out of stack or too large: the pipeline names the document and the cause.
    if (error instanceof RangeError) throw error;
    throw new GenerateError("typescript", `openapi-typescript failed: ${(error as Error).message}`);
  }
}
