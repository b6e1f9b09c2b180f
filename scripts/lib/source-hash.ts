// Identifies the document a generation came from by its content rather than its bytes: the same document as
// JSON or YAML, indented or not, in any key order, gives the same hash, so only the "Source:" line tells them apart.
import { createHash } from "node:crypto";
import { stableStringify } from "./stable-json.js";

export function documentSha256(doc: unknown): string {
  return "sha256:" + createHash("sha256").update(stableStringify(doc)).digest("hex");
}
