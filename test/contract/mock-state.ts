// Test-side view of the Prism mock started by global-setup.ts: wait for it, or fail with the reason
// Prism gave.
import { readFileSync } from "node:fs";
import { inject } from "vitest";

export type MockState =
  | { status: "ready"; url: string; document: string }
  | { status: "failed"; message: string };

declare module "vitest" {
  export interface ProvidedContext {
    prismStateFile: string;
  }
}

/** Root URL of the mock tenant (and the merged document it serves); waits while Prism starts. */
export async function mockTenant(timeoutMs = 175_000): Promise<{ url: string; document: string }> {
  const file = inject("prismStateFile");
  const deadline = Date.now() + timeoutMs;
  for (;;) {
    let state: MockState | undefined;
    try {
      state = JSON.parse(readFileSync(file, "utf8")) as MockState;
    } catch {
      state = undefined; // not written yet
    }
    if (state?.status === "ready") return { url: state.url, document: state.document };
    if (state?.status === "failed") throw new Error(`Prism mock could not start: ${state.message}`);
    if (Date.now() > deadline) throw new Error(`Prism mock not ready after ${timeoutMs} ms (state file ${file})`);
    await new Promise((r) => setTimeout(r, 100));
  }
}
