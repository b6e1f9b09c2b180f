// Step "rebase": make every path relative to the base URL the client uses for this document
// (e.g. gen2: /PasswordVault + /API/Accounts -> servers "/PasswordVault/API", path "/Accounts").
import { declaredBasePath, trimTrailingSlashes } from "../lib/base-path.js";
import type { DocumentDefinition } from "../lib/documents.js";
import { GenerateError } from "../lib/errors.js";
import { isObject, type JsonObject } from "../lib/json-types.js";
import { listOperations } from "../lib/operations-walk.js";

export interface RebaseOutcome {
  doc: JsonObject;
  /** Source paths outside the client's base URL, left out of the output. */
  leftOut: string[];
}

export { declaredBasePath };

/**
 * Losing a few paths is a warning; losing most operations means the document or its base path is wrong, and a
 * client generated from it would quietly lack most of the API.
 */
function assertMostKept(doc: JsonObject, leftOut: readonly string[], definition: DocumentDefinition, declared: string): void {
  const operations = listOperations(doc);
  const out = new Set(leftOut);
  const lost = operations.filter((o) => out.has(o.path)).length;
  if (lost * 2 <= operations.length) return;
  throw new GenerateError(
    "rebase",
    `${definition.name}: ${lost} of the ${operations.length} operations lie outside ${definition.serverUrl} ` +
      `(document base path "${declared || "(none)"}") and would be left out; is this the right document for ` +
      `${definition.name}? Paths outside: ${leftOut.slice(0, 5).join(", ")}${leftOut.length > 5 ? ", ..." : ""}`,
  );
}

function relativeTo(base: string, fullPath: string): string | undefined {
  const lowerFull = fullPath.toLowerCase();
  const lowerBase = base.toLowerCase();
  // Case-insensitive: Swashbuckle keeps each controller's route casing (/API/... next to /api/...).
  if (lowerFull === lowerBase) return "/";
  if (lowerFull.startsWith(lowerBase + "/")) return fullPath.slice(base.length);
  return undefined;
}

export function rebaseDocument(doc: JsonObject, definition: DocumentDefinition): RebaseOutcome {
  const declared = declaredBasePath(doc);
  const bases = declared === "" ? [trimTrailingSlashes(definition.expectedBasePath)] : [declared];
  const paths = isObject(doc["paths"]) ? doc["paths"] : {};
  const rebased: JsonObject = {};
  const origin = new Map<string, string>();
  const leftOut: string[] = [];
  const collisions: string[] = [];
  for (const source of Object.keys(paths).sort()) {
    let target: string | undefined;
    for (const base of bases) {
      target = relativeTo(definition.serverUrl, base + source);
      if (target !== undefined) break;
    }
    if (target === undefined) {
      leftOut.push(source);
      continue;
    }
    const earlier = origin.get(target);
    if (earlier !== undefined) {
      collisions.push(`"${earlier}" and "${source}" both become "${target}"`);
      continue;
    }
    origin.set(target, source);
    rebased[target] = paths[source];
  }
  if (collisions.length > 0) {
    throw new GenerateError(
      "rebase",
      `${definition.name}: paths collide once made relative to ${definition.serverUrl}:\n` +
        collisions.map((c) => `  - ${c}`).join("\n"),
    );
  }
  if (Object.keys(rebased).length === 0 && Object.keys(paths).length > 0) {
    throw new GenerateError(
      "rebase",
      `${definition.name}: none of the ${Object.keys(paths).length} paths lies under ${definition.serverUrl} ` +
        `(document base path "${declared || "(none)"}"); is this the right document for ${definition.name}?`,
    );
  }
  assertMostKept(doc, leftOut, definition, declared);
  const out: JsonObject = { ...doc, servers: [{ url: definition.serverUrl }], paths: rebased };
  return { doc: out, leftOut };
}
