import { afterEach, describe, expect, expectTypeOf, it } from "vitest";
import { paginate, paginatePages, bindPaginate, type PagedIterator } from "../../src/paging/paginate.js";
import { RequestAbortedError } from "../../src/errors/aborted.js";
import { UnsafeNextLinkError } from "../../src/errors/unsafe-next-link.js";
import { MalformedPageError } from "../../src/paging/malformed-page-error.js";
import { startListServer, type ListServer, type ListServerOptions } from "./list-server.js";
import { createWrappedTestClient, testOperations, TestHttpError, type Account, type LiveSession, type TestPaths, type WrappedTestClient } from "./wrapped-client.js";

const cleanups: Array<() => Promise<void>> = [];
afterEach(async () => {
  await Promise.all(cleanups.splice(0).map((c) => c()));
});

async function setup(options: ListServerOptions): Promise<{ server: ListServer; wrapped: WrappedTestClient }> {
  const server = await startListServer(options);
  const wrapped = createWrappedTestClient(server.url);
  cleanups.push(() => wrapped.close(), () => server.close());
  return { server, wrapped };
}

async function collect<T>(it: AsyncIterable<T>): Promise<T[]> {
  const out: T[] = [];
  for await (const x of it) out.push(x);
  return out;
}

const ids = (n: number, from = 0): string[] => Array.from({ length: n }, (_, i) => `${from + i}_1`);

describe("nextLink envelopes (value / count / nextLink)", () => {
  it("yields every item in order, rebuilding each page from the original query", async () => {
    const { server, wrapped } = await setup({ total: 250 });
    const query = { search: "db admin", filter: "safeName eq Finance", savedFilter: "Favorites", limit: 100 };
    const iterator = paginate(wrapped.client, testOperations, "/Accounts", { params: { query } });
    expectTypeOf(iterator).toEqualTypeOf<PagedIterator<Account>>();
    expectTypeOf(iterator).toExtend<AsyncIterableIterator<Account>>();
    const items = await collect(iterator);
    expect(items.map((a) => a.id)).toEqual(ids(250));
    expect(server.requests.map((r) => r.path)).toEqual(Array(3).fill("/PasswordVault/API/Accounts"));
    expect(server.requests.map((r) => r.query.get("offset"))).toEqual(["0", "100", "200"]);
    for (const r of server.requests) {
      expect(r.query.get("limit")).toBe("100");
      expect(r.query.get("savedFilter")).toBe("Favorites");
      expect(r.query.get("filter")).toBe("safeName eq Finance");
      expect(r.query.get("search")).toBe("db admin");
      expect(r.query.getAll("offset")).toHaveLength(1);
    }
  });

  it("keeps path parameters on every page (safe members)", async () => {
    const { server, wrapped } = await setup({ total: 60 });
    const members = await collect(
      paginate(wrapped.client, testOperations, "/Safes/{safeUrlId}/Members/", {
        params: { path: { safeUrlId: "Linux Root.Safe" }, query: { filter: "memberType eq User" } },
      }, { pageSize: 25 }),
    );
    expect(members).toHaveLength(60);
    expect(server.requests).toHaveLength(3);
    for (const r of server.requests) {
      expect(r.raw.startsWith("/PasswordVault/API/Safes/Linux%20Root.Safe/Members/?")).toBe(true);
      expect(r.query.get("filter")).toBe("memberType eq User");
    }
  });

  it("uses the table's maxLimit as default page size and caps larger requests to it", async () => {
    const { server, wrapped } = await setup({ total: 2500 });
    expect(await collect(paginate(wrapped.client, testOperations, "/Accounts"))).toHaveLength(2500);
    expect(server.requests.map((r) => r.query.get("limit"))).toEqual(["1000", "1000", "1000"]);
    server.requests.length = 0;
    await collect(paginate(wrapped.client, testOperations, "/Accounts", undefined, { pageSize: 5000 }));
    expect(server.requests.every((r) => r.query.get("limit") === "1000")).toBe(true);
  });

  it("starts at a caller's offset", async () => {
    const { wrapped } = await setup({ total: 30 });
    const items = await collect(paginate(wrapped.client, testOperations, "/Accounts", { params: { query: { offset: 20, limit: 4 } } }));
    expect(items.map((a) => a.id)).toEqual(ids(10, 20));
  });

  it("stops when nextLink is absent even without a total", async () => {
    const { server, wrapped } = await setup({ total: 200, omitTotal: true });
    const items = await collect(paginate(wrapped.client, testOperations, "/Accounts", undefined, { pageSize: 100 }));
    expect(items).toHaveLength(200);
    // page 2 ends the list and has no nextLink: no third request
    expect(server.requests).toHaveLength(2);
  });

  it("stops at the total without an extra request", async () => {
    const { server, wrapped } = await setup({ total: 300 });
    await collect(paginate(wrapped.client, testOperations, "/Accounts", undefined, { pageSize: 100 }));
    expect(server.requests).toHaveLength(3);
  });

  it("follows the server's own page size when it returns less than asked (capped server)", async () => {
    const { server, wrapped } = await setup({ total: 95, serverMaxLimit: 30 });
    const items = await collect(paginate(wrapped.client, testOperations, "/Accounts", undefined, { pageSize: 100, readAhead: 3 }));
    expect(items.map((a) => a.id)).toEqual(ids(95));
    expect(server.requests.map((r) => r.query.get("offset"))).toEqual(["0", "30", "60", "90"]);
  });

  it("refuses a nextLink pointing to another origin, without contacting it", async () => {
    for (const foreign of ["https://evil.example/PasswordVault/api/Accounts?offset=100&limit=100", "//evil.example/api/Accounts?offset=100", "javascript:alert(1)"]) {
      const { server, wrapped } = await setup({ total: 250, nextLinkOverride: foreign });
      const error = await collect(paginate(wrapped.client, testOperations, "/Accounts", undefined, { pageSize: 100 })).catch((e: unknown) => e);
      expect(error).toBeInstanceOf(UnsafeNextLinkError);
      expect(error).toMatchObject({ kind: "UNSAFE_REDIRECT", expectedOrigin: server.origin });
      expect(server.requests).toHaveLength(1);
    }
  });

  it("accepts a same-origin absolute nextLink and reads its offset", async () => {
    const server = await startListServer({ total: 30 });
    server.options.nextLink = (p) => (p.to < p.visible ? `${server.origin}/PasswordVault/api/Accounts?offset=${p.to}&limit=${p.limit}` : undefined);
    const wrapped = createWrappedTestClient(server.url);
    cleanups.push(() => wrapped.close(), () => server.close());
    const items = await collect(paginate(wrapped.client, testOperations, "/Accounts", undefined, { pageSize: 10 }));
    expect(items.map((a) => a.id)).toEqual(ids(30));
    // An absolute link whose offset points back is read, and refused (test/paging/integrity.test.ts has the rest).
    server.options.nextLink = () => `${server.origin}/PasswordVault/api/Accounts?offset=0&limit=10`;
    const error = await collect(paginate(wrapped.client, testOperations, "/Accounts", undefined, { pageSize: 10 })).catch((e: unknown) => e);
    expect(error).toBeInstanceOf(MalformedPageError);
  });
});

describe("offset envelopes (LiveSessions + Total, Offset/Limit)", () => {
  it("pages with the table's parameter names and stops at Total", async () => {
    const { server, wrapped } = await setup({ total: 53 });
    const sessions = await collect(
      paginate(wrapped.client, testOperations, "/LiveSessions", { params: { query: { Safe: "PSM Recordings", Limit: 10 } } }),
    );
    expectTypeOf(sessions).toEqualTypeOf<LiveSession[]>();
    expect(sessions.map((s) => s.id)).toEqual(ids(53));
    expect(server.requests.map((r) => r.query.get("Offset"))).toEqual(["0", "10", "20", "30", "40", "50"]);
    for (const r of server.requests) {
      expect(r.query.get("Limit")).toBe("10");
      expect(r.query.get("Safe")).toBe("PSM Recordings");
      expect(r.query.has("offset")).toBe(false);
    }
  });

  it("defaults to 100 per page when the table has no maxLimit", async () => {
    const { server, wrapped } = await setup({ total: 150 });
    await collect(paginate(wrapped.client, testOperations, "/LiveSessions"));
    expect(server.requests.map((r) => r.query.get("Limit"))).toEqual(["100", "100"]);
  });

  it("stops on a short page when there is no total, and on an empty page", async () => {
    const short = await setup({ total: 25, omitTotal: true });
    await collect(paginate(short.wrapped.client, testOperations, "/LiveSessions", undefined, { pageSize: 10 }));
    expect(short.server.requests.map((r) => r.query.get("Offset"))).toEqual(["0", "10", "20"]);

    const exact = await setup({ total: 20, omitTotal: true });
    const items = await collect(paginate(exact.wrapped.client, testOperations, "/LiveSessions", undefined, { pageSize: 10 }));
    expect(items).toHaveLength(20);
    expect(exact.server.requests.map((r) => r.query.get("Offset"))).toEqual(["0", "10", "20"]);
  });

  it("keeps going when a capped server returns short pages but Total says more remain", async () => {
    const { wrapped } = await setup({ total: 70, serverMaxLimit: 25 });
    const items = await collect(paginate(wrapped.client, testOperations, "/LiveSessions", undefined, { pageSize: 100 }));
    expect(items.map((s) => s.id)).toEqual(ids(70));
  });
});

describe("unpaged envelopes (Users + Total)", () => {
  it("yields the items of one response, sending the query unchanged", async () => {
    const { server, wrapped } = await setup({ total: 42 });
    const users = await collect(paginate(wrapped.client, testOperations, "/Users", { params: { query: { search: "adm" } } }));
    expectTypeOf(users).toEqualTypeOf<{ id: number; username: string }[]>();
    expect(users).toHaveLength(42);
    expect(server.requests).toHaveLength(1);
    expect([...(server.requests[0]?.query.keys() ?? [])]).toEqual(["search"]);
  });
});

describe("read-ahead", () => {
  async function maxConcurrent(readAhead: number): Promise<{ concurrent: number; requests: number }> {
    const { server, wrapped } = await setup({ total: 1000, delayMs: 40 });
    const items = await collect(paginate(wrapped.client, testOperations, "/Accounts", undefined, { pageSize: 100, readAhead }));
    expect(items.map((a) => a.id)).toEqual(ids(1000));
    return { concurrent: server.maxConcurrent, requests: server.requests.length };
  }

  it("is sequential with readAhead 0", async () => {
    expect(await maxConcurrent(0)).toEqual({ concurrent: 1, requests: 10 });
  });

  it("overlaps requests with readAhead 1 and 4, in order, never past the total", async () => {
    expect(await maxConcurrent(1)).toEqual({ concurrent: 2, requests: 10 });
    expect(await maxConcurrent(4)).toEqual({ concurrent: 5, requests: 10 });
  });

  it("yields pages in order with their offsets", async () => {
    const { wrapped } = await setup({ total: 45, delayMs: 5 });
    const pages = await collect(paginatePages(wrapped.client, testOperations, "/Accounts", undefined, { pageSize: 10, readAhead: 3 }));
    expect(pages.map((p) => [p.offset, p.items.length, p.total, p.continuation?.offset])).toEqual([
      [0, 10, 45, 10], [10, 10, 45, 20], [20, 10, 45, 30], [30, 10, 45, 40], [40, 5, 45, undefined],
    ]);
  });

  it("gives each item once when next() is called again before a page has arrived", async () => {
    const { wrapped } = await setup({ total: 35, delayMs: 10 });
    const iterator = paginate(wrapped.client, testOperations, "/Accounts", undefined, { pageSize: 10, readAhead: 2 });
    // All 36 calls are made at once, while the first page is still on its way.
    const results = await Promise.all(Array.from({ length: 36 }, () => iterator.next()));
    expect(results.slice(0, 35).map((r) => (r.done ? "done" : r.value.id))).toEqual(ids(35));
    expect(results[35]?.done).toBe(true);
  });

  it("cancels prefetched requests when the consumer stops early", async () => {
    // The first two pages answer at once; prefetched ones stall, so they are in flight at the break.
    const { server, wrapped } = await setup({ total: 10_000, delayMs: (i) => (i < 2 ? 0 : 2000) });
    let n = 0;
    for await (const _ of paginate(wrapped.client, testOperations, "/Accounts", undefined, { pageSize: 10, readAhead: 4 })) {
      if (++n === 15) break;
    }
    await new Promise((r) => setTimeout(r, 100));
    expect(server.requests).toHaveLength(2 + 4);
    expect(server.abortedRequests).toBe(4);
  });

  it("rejects invalid options", async () => {
    const { wrapped } = await setup({ total: 1 });
    await expect(collect(paginate(wrapped.client, testOperations, "/Accounts", undefined, { readAhead: -1 }))).rejects.toThrow(RangeError);
    await expect(collect(paginate(wrapped.client, testOperations, "/Accounts", undefined, { pageSize: 0 }))).rejects.toThrow(RangeError);
    // @ts-expect-error not a policy
    await expect(collect(paginate(wrapped.client, testOperations, "/Accounts", undefined, { onTruncated: "ignore" }))).rejects.toThrow(RangeError);
  });
});

describe("errors and abort", () => {
  it("surfaces a failing page as the client's error, after the items before it", async () => {
    const { wrapped } = await setup({ total: 100, failOnRequest: { index: 2, status: 500 } });
    const seen: string[] = [];
    const error = await (async () => {
      for await (const a of paginate(wrapped.client, testOperations, "/Accounts", undefined, { pageSize: 10, readAhead: 2 })) seen.push(a.id);
    })().catch((e: unknown) => e);
    expect(error).toBeInstanceOf(TestHttpError);
    expect(seen).toEqual(ids(20));
  });

  it("stops on abort: the next read rejects and in-flight requests are cancelled", async () => {
    // Pages 0 and 1 answer at once; later pages stall until aborted.
    const { server, wrapped } = await setup({ total: 1000, delayMs: (i) => (i < 2 ? 0 : 5000) });
    const controller = new AbortController();
    const iterator = paginate(wrapped.client, testOperations, "/Accounts", { signal: controller.signal }, { pageSize: 10, readAhead: 3 });
    for (let i = 0; i < 20; i++) expect((await iterator.next()).done).toBe(false); // pages 0 and 1 consumed
    // Waits for page 2 while pages 2..5 are in flight (the awaited page plus readAhead more).
    const pending = iterator.next();
    setTimeout(() => controller.abort(new Error("caller gave up")), 20);
    const started = Date.now();
    const error = await pending.catch((e: unknown) => e);
    expect(error).toBeInstanceOf(RequestAbortedError);
    expect((error as RequestAbortedError).cause).toEqual(new Error("caller gave up"));
    expect(Date.now() - started).toBeLessThan(2000);
    await new Promise((r) => setTimeout(r, 100));
    expect(server.requests).toHaveLength(6);
    expect(server.abortedRequests).toBe(4);
    expect((await iterator.next()).done).toBe(true);
  });

  it("refuses an already aborted signal before any request", async () => {
    const { server, wrapped } = await setup({ total: 10 });
    const controller = new AbortController();
    controller.abort();
    await expect(collect(paginate(wrapped.client, testOperations, "/Accounts", { signal: controller.signal }))).rejects.toBeInstanceOf(RequestAbortedError);
    expect(server.requests).toHaveLength(0);
  });

  it("reports a malformed envelope by key names only", async () => {
    const { wrapped } = await setup({ total: 10 });
    const ops = { "GET /Accounts": { method: "GET", path: "/Accounts", paging: { style: "nextLink", items: "items" } } } as const;
    const error = await collect(paginate(wrapped.client, ops, "/Accounts")).catch((e: unknown) => e);
    expect(error).toBeInstanceOf(MalformedPageError);
    expect((error as Error).message).toMatch(/"items" is missing; keys present: "value", "count"/);
    expect((error as Error).message).not.toContain("item-");
  });

  it("refuses an operation without paging information", async () => {
    const { wrapped } = await setup({ total: 1 });
    // @ts-expect-error "/Accounts/{id}" has no paging entry, so it is not a valid path here
    await expect(collect(paginate(wrapped.client, testOperations, "/Accounts/{id}"))).rejects.toThrow(TypeError);
  });

  it("bindPaginate gives the same typed iterator", async () => {
    const { wrapped } = await setup({ total: 12 });
    const list = bindPaginate<TestPaths, typeof testOperations>(wrapped.client, testOperations);
    const items = await collect(list("/Accounts", undefined, { pageSize: 5 }));
    expectTypeOf(items).toEqualTypeOf<Account[]>();
    expect(items).toHaveLength(12);
  });
});

describe("a large read-ahead", () => {
  it("readAhead 32 with the caller's signal lists everything and prints no listener warning", async () => {
    const { wrapped } = await setup({ total: 5_000 });
    const warnings: string[] = [];
    const onWarning = (w: Error) => warnings.push(w.name);
    process.on("warning", onWarning);
    try {
      const controller = new AbortController();
      const items = await collect(paginate(wrapped.client, testOperations, "/Accounts", { signal: controller.signal }, { pageSize: 100, readAhead: 32 }));
      expect(items).toHaveLength(5_000);
      // Warnings are emitted on the next turn.
      await new Promise((r) => setImmediate(r));
      expect(warnings.filter((w) => w === "MaxListenersExceededWarning")).toEqual([]);
    } finally {
      process.off("warning", onWarning);
    }
  });
});
