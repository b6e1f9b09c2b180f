// Builds bigger Swagger 2.0 documents from the embedded Gen 2 one for the regeneration benchmark:
// copy i of every path lives under /API/CopyI/..., with its operationIds suffixed and its own
// renamed copies of every definition (references rewritten), so types grow with the document.

type Json = null | boolean | number | string | Json[] | { [key: string]: Json };
type JsonObject = { [key: string]: Json };

const METHODS = new Set(["get", "put", "post", "delete", "options", "head", "patch"]);
const API_PREFIX = /^\/(api)(\/|$)/i;

function isObject(value: Json | undefined): value is JsonObject {
  return typeof value === "object" && value !== null && !Array.isArray(value);
}

/** Deep copy with every "#/definitions/X" reference renamed to "#/definitions/X<suffix>". */
function withRenamedRefs(value: Json, suffix: string): Json {
  if (Array.isArray(value)) return value.map((v) => withRenamedRefs(v, suffix));
  if (!isObject(value)) return value;
  const out: JsonObject = {};
  for (const [key, child] of Object.entries(value)) {
    out[key] = key === "$ref" && typeof child === "string" && child.startsWith("#/definitions/") ? `${child}${suffix}` : withRenamedRefs(child, suffix);
  }
  return out;
}

function renameOperationIds(pathItem: JsonObject, suffix: string): void {
  for (const [method, operation] of Object.entries(pathItem)) {
    if (METHODS.has(method) && isObject(operation) && typeof operation["operationId"] === "string") {
      operation["operationId"] = `${operation["operationId"]}_${suffix}`;
    }
  }
}

export function countOperations(doc: JsonObject): number {
  let n = 0;
  const paths = doc["paths"];
  if (!isObject(paths)) return 0;
  for (const item of Object.values(paths)) if (isObject(item)) n += Object.keys(item).filter((k) => METHODS.has(k)).length;
  return n;
}

/**
 * `factor` copies of `source` in one document. `slicePaths` first keeps only that many of the
 * /API/Accounts paths (smoke runs); the definitions are kept whole so every reference resolves.
 */
export function scaleSpec(source: JsonObject, factor: number, slicePaths?: number): JsonObject {
  if (!Number.isInteger(factor) || factor < 1) throw new RangeError(`scale factor must be a whole number >= 1, got ${factor}`);
  const paths = isObject(source["paths"]) ? source["paths"] : {};
  const definitions = isObject(source["definitions"]) ? source["definitions"] : {};
  const all = Object.entries(paths);
  const entries = slicePaths === undefined ? all : all.filter(([p]) => p.startsWith("/API/Accounts")).slice(0, slicePaths);
  const outPaths: JsonObject = Object.fromEntries(entries);
  const outDefinitions: JsonObject = { ...definitions };
  for (let copy = 2; copy <= factor; copy++) {
    const suffix = `Copy${copy}`;
    for (const [path, item] of entries) {
      if (!API_PREFIX.test(path)) throw new Error(`scaleSpec: path ${path} is not under /API`);
      const cloned = withRenamedRefs(item, suffix);
      if (isObject(cloned)) renameOperationIds(cloned, suffix);
      outPaths[path.replace(API_PREFIX, (_m, api: string, sep: string) => `/${api}/${suffix}${sep}`)] = cloned;
    }
    for (const [name, schema] of Object.entries(definitions)) outDefinitions[`${name}${suffix}`] = withRenamedRefs(schema, suffix);
  }
  return { ...source, paths: outPaths, definitions: outDefinitions };
}

export type { JsonObject };
