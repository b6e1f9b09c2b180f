// Builds the document Prism serves: the per-base OpenAPI documents mounted under their base paths in
// one "tenant" document, so one Prism answers `/PasswordVault/API/...`, `/PasswordVault/WebServices/...`
// and `/api/...` like a real tenant origin. Component names are prefixed per base because the
// documents are generated independently and may reuse names.
import { declaredBasePath, trimTrailingSlashes } from "../lib/base-path.js";
import { HTTP_METHODS } from "../lib/operations-walk.js";
import { mkdirSync, readFileSync, writeFileSync } from "node:fs";
import { join } from "node:path";
import { AREAS, BASE_PATHS, documentPath, type Area } from "./documents.js";

type Json = Record<string, unknown>;
export interface ApiDocument extends Json {
  openapi?: string;
  swagger?: string;
  basePath?: string;
  servers?: Array<{ url: string }>;
  paths?: Record<string, Json>;
  components?: Record<string, Record<string, unknown>>;
  security?: Array<Record<string, string[]>>;
}

export { declaredBasePath };

/** A copy of `doc` whose paths start with `prefix`, so a client pointed at the mock's root finds them. */
export function mountDocument(doc: ApiDocument, prefix: string): ApiDocument {
  const copy = structuredClone(doc);
  const base = trimTrailingSlashes(prefix);
  if (!base) return copy;
  copy.paths = Object.fromEntries(Object.entries(copy.paths ?? {}).map(([p, item]) => [`${base}${p}`, item]));
  if (copy.swagger) copy.basePath = "/";
  else copy.servers = [{ url: "/" }];
  return copy;
}

/** Merges the per-base documents into one tenant document (OpenAPI 3). */
export function mergeTenantDocument(parts: Array<{ area: string; basePath: string; doc: ApiDocument }>): ApiDocument {
  const merged: ApiDocument = {
    openapi: parts[0]?.doc.openapi ?? "3.0.3",
    info: { title: "CyberArk PAM mock tenant", version: "mock" },
    servers: [{ url: "/" }],
    paths: {},
    components: {},
  };
  const tags = new Map<string, unknown>();
  for (const { area, basePath, doc } of parts) {
    if (!doc.openapi) throw new Error(`${area}: only OpenAPI 3 documents can be merged`);
    const renamed = renameComponents(structuredClone(doc), area);
    for (const [kind, entries] of Object.entries(renamed.components ?? {})) {
      merged.components![kind] = { ...(merged.components![kind] ?? {}), ...entries };
    }
    const docSecurity = renamed.security;
    for (const [path, item] of Object.entries(renamed.paths ?? {})) {
      const target = `${trimTrailingSlashes(basePath)}${path}`;
      if (merged.paths![target]) throw new Error(`path ${target} appears in two documents`);
      delete item["servers"];
      for (const method of HTTP_METHODS) {
        const op = item[method] as Json | undefined;
        if (!op) continue;
        delete op["servers"];
        // Document-level security no longer applies once merged: copy it onto each operation.
        if (op["security"] === undefined && docSecurity) op["security"] = docSecurity;
      }
      merged.paths![target] = item;
    }
    for (const tag of (doc["tags"] as Array<{ name: string }> | undefined) ?? []) tags.set(tag.name, tag);
  }
  if (tags.size > 0) merged["tags"] = [...tags.values()];
  return merged;
}

/** Reads the generated documents, merges them, writes the tenant document into `dir`; returns its path. */
export function writeTenantDocument(dir: string, areas: readonly Area[] = AREAS): string {
  const parts = areas.map((area) => ({
    area,
    basePath: BASE_PATHS[area],
    doc: JSON.parse(readFileSync(documentPath(area), "utf8")) as ApiDocument,
  }));
  mkdirSync(dir, { recursive: true });
  const file = join(dir, "tenant.openapi.json");
  writeFileSync(file, JSON.stringify(mergeTenantDocument(parts)));
  return file;
}

function renameComponents(doc: ApiDocument, area: string): ApiDocument {
  const prefix = `${area}_`;
  const components = doc.components ?? {};
  const schemes = new Set(Object.keys(components["securitySchemes"] ?? {}));
  doc.components = Object.fromEntries(
    Object.entries(components).map(([kind, entries]) => [
      kind,
      Object.fromEntries(Object.entries(entries).map(([name, value]) => [`${prefix}${name}`, value])),
    ]),
  );
  const renameRef = (ref: string): string => ref.replace(/^#\/components\/([^/]+)\/(.+)$/, (_m, kind: string, name: string) => `#/components/${kind}/${prefix}${name}`);
  const renameSecurity = (reqs: unknown): unknown =>
    Array.isArray(reqs)
      ? reqs.map((req: Record<string, string[]>) =>
          Object.fromEntries(Object.entries(req).map(([k, v]) => [schemes.has(k) ? `${prefix}${k}` : k, v])),
        )
      : reqs;

  const walk = (node: unknown, key?: string): unknown => {
    if (Array.isArray(node)) return key === "security" ? renameSecurity(node) : node.map((n) => walk(n));
    if (!node || typeof node !== "object") return node;
    const obj = node as Json;
    for (const [k, v] of Object.entries(obj)) {
      if (k === "$ref" && typeof v === "string") obj[k] = renameRef(v);
      else if (k === "mapping" && v && typeof v === "object" && key === "discriminator") {
        obj[k] = Object.fromEntries(Object.entries(v as Record<string, string>).map(([m, r]) => [m, r.startsWith("#/") ? renameRef(r) : r]));
      } else obj[k] = walk(v, k);
    }
    return obj;
  };
  walk(doc);
  return doc;
}


/**
 * The document a mock or proxy should serve: the embedded tenant document, or `specFile` mounted under
 * its own base path. `basePath` is undefined for the embedded tenant (all bases are mounted).
 */
export function prepareMockDocument(dir: string, specFile?: string): { document: string; basePath: string | undefined } {
  if (specFile === undefined) return { document: writeTenantDocument(dir), basePath: undefined };
  let text: string;
  try {
    text = readFileSync(specFile, "utf8");
  } catch (err) {
    throw new Error(`cannot read --spec ${specFile}: ${(err as Error).message}`);
  }
  let doc: ApiDocument;
  try {
    doc = JSON.parse(text) as ApiDocument;
  } catch {
    // Not JSON (YAML, most likely): Prism reads it itself and serves its paths from the root.
    return { document: specFile, basePath: "" };
  }
  const basePath = declaredBasePath(doc);
  const file = join(dir, "spec.mounted.json");
  writeFileSync(file, JSON.stringify(mountDocument(doc, basePath)));
  return { document: file, basePath };
}
