// Iterating 100,000 items must keep memory flat: the iterator holds the current page and the
// read-ahead pages only. Measured two ways: a FinalizationRegistry counting item arrays that
// are still alive after a forced GC, and heapUsed growth between early and late checkpoints.
import { setFlagsFromString } from "node:v8";
import { runInNewContext } from "node:vm";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { paginate, paginatePages } from "../../src/paging/paginate.js";
import { startListServer, type ListServer } from "./list-server.js";
import { createWrappedTestClient, testOperations, type WrappedTestClient } from "./wrapped-client.js";

setFlagsFromString("--expose-gc");
const gc = runInNewContext("gc") as () => void;

const TOTAL = 100_000;
let server: ListServer;
let created = 0;
let finalized = 0;
const registry = new FinalizationRegistry<void>(() => {
  finalized++;
});
let wrapped: WrappedTestClient;

async function settle(): Promise<void> {
  for (let i = 0; i < 3; i++) {
    gc();
    await new Promise((r) => setTimeout(r, 10));
  }
}

/**
 * Live item arrays after GC. Finalization callbacks run some time after a collection (later on
 * a busy machine), so this retries until the count is within `bound` or clearly stuck above it.
 */
async function livePages(bound: number): Promise<number> {
  let live = created - finalized;
  for (let attempt = 0; attempt < 15 && live > bound; attempt++) {
    await settle();
    live = created - finalized;
  }
  return live;
}

beforeAll(async () => {
  server = await startListServer({ total: TOTAL, padding: 200 });
  wrapped = createWrappedTestClient(server.url, (data) => {
    const items = (data as { value?: unknown }).value;
    if (Array.isArray(items)) {
      created++;
      registry.register(items);
    }
  });
});

afterAll(async () => {
  await wrapped?.close();
  await server?.close();
});

describe("memory while paging", () => {
  it("the live-page counter detects pages that are kept (control)", async () => {
    const before = created - finalized;
    const kept: unknown[] = [];
    let pages = 0;
    for await (const page of paginatePages(wrapped.client, testOperations, "/Accounts", undefined, { pageSize: 500 })) {
      kept.push(page.items);
      if (++pages === 20) break;
    }
    await settle();
    expect(created - finalized - before).toBeGreaterThanOrEqual(20);
    kept.length = 0;
    expect((await livePages(before + 1)) - before).toBeLessThanOrEqual(1);
  });

  it(`iterates ${TOTAL.toLocaleString("en")} items with at most readAhead + 2 pages alive and flat heap`, async () => {
    const readAhead = 2;
    server.requests.length = 0;
    let count = 0;
    let expectedNext = 0;
    const live: number[] = [];
    let heapEarly = 0;
    let heapLate = 0;
    for await (const account of paginate(wrapped.client, testOperations, "/Accounts", undefined, { readAhead })) {
      if (account.id !== `${expectedNext}_1`) throw new Error(`item ${expectedNext} arrived as ${account.id}`);
      expectedNext++;
      count++;
      if (count % 20_000 === 0 || count === 5_000 || count === 95_000) {
        await settle();
        live.push(await livePages(readAhead + 2));
        if (count === 5_000) heapEarly = process.memoryUsage().heapUsed;
        if (count === 95_000) heapLate = process.memoryUsage().heapUsed;
      }
    }
    expect(count).toBe(TOTAL);
    expect(server.requests).toHaveLength(TOTAL / 1000);
    // current page + in-flight read-ahead (+1 for a response being parsed)
    for (const n of live) expect(n).toBeLessThanOrEqual(readAhead + 2);
    // 90 pages of 1,000 padded items would be tens of MB; allow a few MB of noise.
    expect(heapLate - heapEarly).toBeLessThan(8 * 1024 * 1024);
  });
});
