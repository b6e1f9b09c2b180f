// The clients the contract suite sends through: the package's own createCyberArkClient pointed at the
// Prism mock's root, exactly as a user would point it at a tenant. A self-hosted client serves
// operations that exist there; a Privilege Cloud client serves the Privilege-Cloud-only ones and the
// `/api` base. Both record every response for Prism's verdict and never retry (Prism's answers are
// final; retries would only repeat them).
//
// Prism answers one request at a time slowly (tens of ms) but many at once quickly, so tests run
// concurrently, each on its own "lane" (clients + recorder) so a verdict is never mixed up with
// another test's.
import type { Area } from "../../scripts/mock/documents.js";
import { generatedTables } from "./operation-tables.js";
import { ResponseRecorder, type LooseClient } from "./exercise.js";
import { createCyberArkClient, staticToken, type CyberArkClient } from "../../src/index.js";

export const MOCK_TOKEN = "contract-suite-token";

export interface Lane {
  recorder: ResponseRecorder;
  /** The typed client (gen2, gen1 or pcloud) that serves an operation, chosen by its deployment. */
  clientFor(area: Area, key: string): LooseClient;
}

export interface LanePool {
  /** Runs `fn` on a free lane (waits for one if all are busy). */
  run<T>(fn: (lane: Lane) => Promise<T>): Promise<T>;
  close(): Promise<void>;
}

function createLane(rootUrl: string, all: CyberArkClient[]): Lane {
  const recorder = new ResponseRecorder();
  const common = {
    auth: staticToken({ token: MOCK_TOKEN }),
    retry: false as const,
    // The mock answers whatever status a test asks for (Prefer: code=429 included): not a rate limit to learn.
    flowControl: { adaptiveRate: false },
    hooks: { afterResponse: [recorder.hook] },
    timeoutMs: 30_000,
  };
  const selfHosted = createCyberArkClient({
    ...common,
    deployment: { type: "self-hosted", url: rootUrl, allowInsecureHttp: true },
  });
  const cloud = createCyberArkClient({
    ...common,
    deployment: { type: "privilege-cloud", subdomain: "mock", allowInsecureHttp: true, overrides: { pvwaRoot: rootUrl, pcloudRoot: rootUrl } },
  });
  all.push(selfHosted, cloud);
  const tables = generatedTables();
  return {
    recorder,
    clientFor(area, key) {
      if (area === "pcloud") return cloud.pcloud as unknown as LooseClient;
      const client = tables[area][key]?.deployment === "privilege-cloud" ? cloud : selfHosted;
      return client[area] as unknown as LooseClient;
    },
  };
}

export function createLanePool(rootUrl: string, size = 8): LanePool {
  const clients: CyberArkClient[] = [];
  const free = Array.from({ length: size }, () => createLane(rootUrl, clients));
  const waiting: Array<(lane: Lane) => void> = [];
  const release = (lane: Lane): void => {
    const next = waiting.shift();
    if (next) next(lane);
    else free.push(lane);
  };
  return {
    async run(fn) {
      const lane = free.pop() ?? (await new Promise<Lane>((resolve) => waiting.push(resolve)));
      lane.recorder.take(); // whatever an earlier failed test left behind
      try {
        return await fn(lane);
      } finally {
        release(lane);
      }
    },
    async close() {
      await Promise.all(clients.map((c) => c.close()));
    },
  };
}
