// The generated OpenAPI 3 documents (one per API base) and where each base lives on a tenant's origin.
// Prism serves a document's paths from its own root and ignores `servers`, so the mock is given one
// merged "tenant" document whose paths carry these base paths: pointed at the mock's root, the client
// builds the same URLs it would send to a real tenant. (Kept free of generated/*.ts imports so the
// mock and contract scripts start fast; a test checks these match generated/index.ts.)
import { readFileSync } from "node:fs";
import { join } from "node:path";
import { DOCUMENT_NAMES, DOCUMENTS, type DocumentName } from "../lib/documents.js";
import { repoRoot } from "../lib/repo-paths.js";

/** The parts of an OpenAPI document the mock and the contract tests read. */
export interface Document {
  paths?: Record<string, Record<string, unknown>>;
  components?: Record<string, Record<string, unknown>>;
}

export const AREAS = DOCUMENT_NAMES;
export type Area = DocumentName;

/** Path of each base below the tenant origin (default IIS application name "PasswordVault"). */
export const BASE_PATHS = Object.fromEntries(DOCUMENTS.map((d) => [d.name, d.serverUrl])) as Record<Area, string>;

export function documentPath(area: Area): string {
  return join(repoRoot, "generated", `${area}.openapi.json`);
}

export function readDocument(area: Area): Document {
  return JSON.parse(readFileSync(documentPath(area), "utf8")) as Document;
}
