// Reads an --overlay file (YAML or JSON, with the same safe reading as a document) into a checked Overlay.
import { GenerateError } from "../lib/errors.js";
import { findTooDeep, MAX_JSON_DEPTH } from "../lib/json-depth.js";
import { abbreviatedPointer } from "../lib/json-pointer.js";
import { decode, textOf } from "../steps/parse.js";
import { readSource } from "../steps/read.js";
import { readOverlay, type Overlay } from "./apply-overlay.js";

/** `projectDir`: the folder messages name the file relative to; `maxBytes`: the largest document read. */
export async function loadOverlay(path: string, projectDir: string, maxBytes: number): Promise<Overlay> {
  const { bytes, label } = await readSource(path, projectDir, maxBytes);
  const decoded = decode(textOf(bytes));
  if (!decoded.ok) throw new GenerateError("overlay", `${label} is ${decoded.reason}.`);
  // Its updates become part of the document, which the recursive steps after this one walk.
  const tooDeep = findTooDeep(decoded.value);
  if (tooDeep !== undefined) {
    throw new GenerateError("overlay", `${label} nests more than ${MAX_JSON_DEPTH} levels deep at ${abbreviatedPointer(tooDeep)}.`);
  }
  return readOverlay(decoded.value, label);
}
