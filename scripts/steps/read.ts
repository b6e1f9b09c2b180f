// Step "read": a document from a local file.
import { readFile } from "node:fs/promises";
import { GenerateError } from "../lib/errors.js";
import type { LoadedSource } from "../lib/loaded-source.js";
import { sourceLabel } from "../lib/repo-paths.js";

/** `projectDir`: the folder the label is relative to (see sourceLabel); the pipeline passes the working folder. */
export async function readSource(path: string, projectDir: string): Promise<LoadedSource> {
  const { label, outsideProject } = await sourceLabel(path, projectDir);
  try {
    return { bytes: await readFile(path), label, outsideProject };
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
