// Step "read": a document from a local file.
import { readFile } from "node:fs/promises";
import { GenerateError } from "../lib/errors.js";
import type { LoadedSource } from "../lib/loaded-source.js";
import { displayPath } from "../lib/repo-paths.js";

export async function readSource(path: string): Promise<LoadedSource> {
  const label = displayPath(path);
  try {
    return { bytes: await readFile(path), label };
  } catch (error) {
    const code = (error as { code?: string }).code;
    const why =
      code === "ENOENT"
        ? "the file does not exist"
        : code === "EISDIR"
          ? "it is a folder, not a file"
          : error instanceof Error
            ? error.message
            : String(error);
    throw new GenerateError("read", `cannot read ${label}: ${why}.`);
  }
}
