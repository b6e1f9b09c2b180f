// --version: the version of the package this generator belongs to. The package.json is looked for upwards
// from this module, which finds the workspace's from scripts/lib (this repository) and the generator package's
// from dist/generator/lib (installed); the two carry the same version.
import { readFile } from "node:fs/promises";
import { dirname, join } from "node:path";
import { fileURLToPath } from "node:url";
import { isObject } from "./json-types.js";

const PACKAGE_NAMES = ["cyberark-pam-generator", "cyberark-pam-workspace"];

/** Skips package.json files of other packages or of build folders (dist/cjs has one without a name). */
export async function packageVersion(from: string = dirname(fileURLToPath(import.meta.url))): Promise<string> {
  for (let folder = from; ; folder = dirname(folder)) {
    const doc: unknown = await readFile(join(folder, "package.json"), "utf8")
      .then((text): unknown => JSON.parse(text))
      .catch(() => undefined);
    if (isObject(doc) && PACKAGE_NAMES.includes(String(doc["name"])) && typeof doc["version"] === "string") return doc["version"];
    if (dirname(folder) === folder) throw new Error(`no package.json of ${PACKAGE_NAMES.join(" or ")} above ${from}`);
  }
}
