// Starts the Prism mock of a whole tenant once per vitest run, for the contract project only.
// The setup does not wait for Prism: it hands the tests a state file that turns "ready" (with the
// URL) or "failed" (with Prism's own message), so test files outside this project never wait for the
// mock. Teardown stops Prism by its PID and stays silent.
import { existsSync, mkdtempSync, renameSync, rmSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import type { TestProject } from "vitest/node";
import { startListFront, type ListFront } from "../../scripts/mock/list-front.js";
import { launchPrism, type PrismProcess } from "../../scripts/mock/prism.js";
import { AREAS, documentPath } from "../../scripts/mock/documents.js";
import type { MockState } from "./mock-state.js";
import { writeTenantDocument } from "../../scripts/mock/tenant-document.js";

export default function setup(project: TestProject): () => Promise<void> {
  const dir = mkdtempSync(join(tmpdir(), "cyberark-contract-"));
  const stateFile = join(dir, "prism-state.json");
  let closed = false;
  const write = (state: MockState): void => {
    if (closed) return; // teardown came first (a short run); nobody is waiting any more
    // Written whole then renamed, so a reader never sees half a file.
    writeFileSync(`${stateFile}.tmp`, JSON.stringify(state));
    renameSync(`${stateFile}.tmp`, stateFile);
  };

  let prism: PrismProcess | undefined;
  let front: ListFront | undefined;
  try {
    const missing = AREAS.map(documentPath).filter((file) => !existsSync(file));
    if (missing.length > 0) throw new Error(`generated OpenAPI documents missing (${missing.join(", ")}): run \`npm run generate\``);
    const document = writeTenantDocument(dir);
    prism = launchPrism({ document, startTimeoutMs: 170_000 });
    // Behind the front that ends Prism's lists, as `npm run mock` serves it.
    prism.ready.then((url) => startListFront({ upstreamUrl: url })).then(
      (started) => {
        front = started;
        write({ status: "ready", url: started.url, document });
      },
      (err: unknown) => write({ status: "failed", message: err instanceof Error ? err.message : String(err) }),
    );
  } catch (err) {
    write({ status: "failed", message: err instanceof Error ? err.message : String(err) });
  }

  project.provide("prismStateFile", stateFile);
  return async () => {
    closed = true;
    await front?.close();
    await prism?.stop();
    rmSync(dir, { recursive: true, force: true });
  };
}
