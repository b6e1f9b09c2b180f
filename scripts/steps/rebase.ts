// Step "rebase": make every path relative to the base URL the client uses for this document
// (e.g. gen2: /PasswordVault + /API/Accounts -> servers "/PasswordVault/API", path "/Accounts").
import type { DocumentDefinition } from "../lib/documents.js";
import { GenerateError } from "../lib/errors.js";
import { isObject, type JsonObject } from "../lib/json-types.js";

export interface RebaseOutcome {
  doc: JsonObject;
  /** Source paths outside the client's base URL, left out of the output. */
  leftOut: string[];
}

function trimSlashes(path: string): string {
  return path.replace(/\/+$/, "");
}

/** Path part of the document's first server URL ("" when none or "/"). */
export function declaredBasePath(doc: JsonObject): string {
  const servers = doc["servers"];
  const first = Array.isArray(servers) ? servers[0] : undefined;
  const url = isObject(first) && typeof first["url"] === "string" ? first["url"] : "";
  if (url === "") return "";
  // Absolute or protocol-relative URLs (swagger2openapi writes "//host/base" when there is no scheme).
  if (/^[a-z][a-z0-9+.-]*:\/\//i.test(url) || url.startsWith("//")) {
    try {
      return trimSlashes(new URL(url, "https://placeholder.invalid").pathname);
    } catch {
      return "";
    }
  }
  return trimSlashes(url.startsWith("/") ? url : `/${url}`);
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
  const bases = declared === "" ? [trimSlashes(definition.expectedBasePath)] : [declared];
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
  const out: JsonObject = { ...doc, servers: [{ url: definition.serverUrl }], paths: rebased };
  return { doc: out, leftOut };
}
