// --version: the version of the package this generator belongs to. The package.json is looked for upwards
// from this module, which finds it from scripts/lib (this repository) and from dist/generator/lib (installed).
import { readFile } from "node:fs/promises";
import { dirname, join } from "node:path";
import { fileURLToPath } from "node:url";
import { isObject } from "./json-types.js";

const PACKAGE_NAME = "cyberark-pam-client";

/** Skips package.json files of other packages or of build folders (dist/cjs has one without a name). */
export async function packageVersion(from: string = dirname(fileURLToPath(import.meta.url))): Promise<string> {
  for (let folder = from; ; folder = dirname(folder)) {
    const doc: unknown = await readFile(join(folder, "package.json"), "utf8")
      .then((text): unknown => JSON.parse(text))
      .catch(() => undefined);
    if (isObject(doc) && doc["name"] === PACKAGE_NAME && typeof doc["version"] === "string") return doc["version"];
    if (dirname(folder) === folder) throw new Error(`no package.json of ${PACKAGE_NAME} above ${from}`);
  }
}
