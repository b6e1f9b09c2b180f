// Identifies the exact source bytes a generation came from.
import { createHash } from "node:crypto";

export function sha256Of(bytes: Uint8Array): string {
  return "sha256:" + createHash("sha256").update(bytes).digest("hex");
}
