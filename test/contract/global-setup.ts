// Starts the mock of a whole tenant once per vitest run, for the contract project only, through the
// same startMock() as `npm run mock` (Prism behind the front that ends lists and answers logons).
// The setup does not wait for Prism: it hands the tests a state file that turns "ready" (with the
// URL) or "failed" (with Prism's own message), so test files outside this project never wait for the
// mock. Teardown stops it (aborting a start still under way) and stays silent.
import { existsSync, mkdtempSync, renameSync, rmSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import type { TestProject } from "vitest/node";
import { AREAS, documentPath } from "../../scripts/mock/documents.js";
import { startMock, type RunningMock } from "../../scripts/mock/start-mock.js";
import type { MockState } from "./mock-state.js";

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

  const starting = new AbortController();
  let started: Promise<RunningMock | undefined> = Promise.resolve(undefined);
  const missing = AREAS.map(documentPath).filter((file) => !existsSync(file));
  if (missing.length > 0) {
    write({ status: "failed", message: `generated OpenAPI documents missing (${missing.join(", ")}): run \`npm run generate\`` });
  } else {
    started = startMock({ signal: starting.signal, startTimeoutMs: 170_000 }).then(
      (mock) => {
        write({ status: "ready", url: mock.url, document: mock.document });
        return mock;
      },
      (err: unknown) => {
        write({ status: "failed", message: err instanceof Error ? err.message : String(err) });
        return undefined;
      },
    );
  }

  project.provide("prismStateFile", stateFile);
  return async () => {
    closed = true;
    starting.abort();
    await (await started)?.close();
    rmSync(dir, { recursive: true, force: true });
  };
}
