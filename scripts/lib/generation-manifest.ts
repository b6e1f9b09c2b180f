// The manifest every generation carries: which files in the output folder the generator wrote. The generator
// replaces a folder only when it holds nothing else, so it never deletes a file it did not create.
import { DOCUMENT_NAMES } from "./documents.js";
import { GENERATED_BY } from "./generated-header.js";
import { isObject } from "./json-types.js";

export const MANIFEST_FILE = ".cyberark-generated.json";
const GENERATOR = "cyberark-pam-client";

/** The manifest listing `files` (itself not among them). Deterministic (no timestamp, no version): --check compares it too. */
export function renderManifest(files: readonly string[]): string {
  return `${JSON.stringify({ generator: GENERATOR, files: [...files].sort() }, null, 2)}\n`;
}

/** A relative path with forward slashes that stays inside the folder. */
function isPlainRelative(file: string): boolean {
  return file !== "" && !file.includes("\\") && file.split("/").every((s) => s !== "" && s !== "." && s !== "..");
}

/** The files a manifest lists, or why the text is not one. */
export function parseManifest(text: string): { files: string[] } | { invalid: string } {
  let doc: unknown;
  try {
    doc = JSON.parse(text);
  } catch {
    return { invalid: "it is not valid JSON" };
  }
  if (!isObject(doc) || doc["generator"] !== GENERATOR) return { invalid: `it does not name the generator "${GENERATOR}"` };
  const files = doc["files"];
  if (!Array.isArray(files) || !files.every((f): f is string => typeof f === "string" && isPlainRelative(f))) {
    return { invalid: "its files are not a list of relative paths inside the folder" };
  }
  return { files };
}

/**
 * The names the generator writes besides the manifest: index.ts and NAME.ts, NAME.openapi.json, NAME.operations.ts.
 * A folder of these alone, each carrying the generator's mark, is a generation from before manifests existed.
 */
export const GENERATED_FILE_NAMES: ReadonlySet<string> = new Set([
  "index.ts",
  ...DOCUMENT_NAMES.flatMap((n) => [`${n}.ts`, `${n}.openapi.json`, `${n}.operations.ts`]),
]);

/** Does a pre-manifest file carry the generator's mark (the header, or x-generated in the JSON)? */
export function carriesGeneratedMark(file: string, text: string): boolean {
  if (file.endsWith(".ts")) return text.startsWith(`// ${GENERATED_BY}\n`);
  try {
    const doc: unknown = JSON.parse(text);
    return isObject(doc) && isObject(doc["x-generated"]);
  } catch {
    return false;
  }
}
