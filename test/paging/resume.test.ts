// byPage() with continuations a caller can store and resume from, and toArray({ limit }).
import { describe, expect, expectTypeOf, it } from "vitest";
import { paginate, type PageContinuation } from "../../src/paging/paginate.js";
import type { Page } from "../../src/paging/types.js";
import { ConfigurationError } from "../../src/errors/configuration.js";
import { ListingTooLargeError } from "../../src/paging/listing-too-large-error.js";
import { TruncatedListingError } from "../../src/paging/truncated-listing-error.js";
import { drain, ids, useListServers } from "./harness.js";
import { testOperations, TestHttpError, type Account } from "./wrapped-client.js";

const setup = useListServers();

describe("byPage()", () => {
  it("yields pages with their items and a JSON-safe continuation; the last page has none", async () => {
    const { wrapped } = await setup({ total: 25 });
    const query = { savedFilter: "Favorites", search: "db" };
    const pages = (await drain(paginate(wrapped.client, testOperations, "/Accounts", { params: { query } }, { pageSize: 10 }).byPage())).items;
    expectTypeOf(pages).toEqualTypeOf<Page<Account>[]>();
    expect(pages.map((p) => p.items.map((a) => a.id))).toEqual([ids(10), ids(10, 10), ids(5, 20)]);
    expect(pages.map((p) => p.continuation?.offset)).toEqual([10, 20, undefined]);
    const first = pages[0]?.continuation as PageContinuation;
    expect(JSON.parse(JSON.stringify(first))).toEqual(first);
    expect(first).toMatchObject({ v: 1, path: "/Accounts", offset: 10, pageSize: 10, query, total: 25 });
    expect(Object.keys(first).sort()).toEqual(["lastPage", "offset", "pageSize", "path", "query", "total", "v"]);
    expect(JSON.stringify(first)).not.toMatch(/item-|_1/); // no item data, only a hash of the page
  });

  it("yields the one page of an unpaged operation, and refuses to resume one", async () => {
    const { server, wrapped } = await setup({ total: 3 });
    const pages = (await drain(paginate(wrapped.client, testOperations, "/Users").byPage())).items;
    expect(pages).toHaveLength(1);
    expect(pages[0]?.continuation).toBeUndefined();
    const resumeFrom = { v: 1, path: "/Users", offset: 0, pageSize: 10 } as const;
    const { error } = await drain(paginate(wrapped.client, testOperations, "/Users", undefined, { resumeFrom }));
    expect(error).toBeInstanceOf(ConfigurationError);
    expect(server.requests).toHaveLength(1);
  });

  it("is a listing of its own, next to the items iterated from the same object", async () => {
    const { wrapped } = await setup({ total: 30 });
    const listing = paginate(wrapped.client, testOperations, "/Accounts", undefined, { pageSize: 10 });
    expect((await listing.next()).value?.id).toBe("0_1");
    const pages = (await drain(listing.byPage())).items;
    expect(pages.flatMap((p) => p.items.map((a) => a.id))).toEqual(ids(30));
    expect((await drain(listing)).items.map((a) => a.id)).toEqual(ids(29, 1));
  });
});

describe("resuming from a stored continuation", () => {
  it("after a failure mid-listing, every item arrives exactly once, with the original query", async () => {
    // Request 4 fails (page 40, fetched ahead); the stored continuation resumes after page 30.
    const { server, wrapped } = await setup({ total: 95, failOnRequest: { index: 4, status: 500 } });
    const query = { savedFilter: "Favorites", search: "db admin" };
    const seen: string[] = [];
    let stored: string | undefined;
    const failures: unknown[] = [];
    for (let attempt = 0; attempt < 3; attempt++) {
      const resumeFrom = stored === undefined ? undefined : (JSON.parse(stored) as PageContinuation);
      const init = resumeFrom ? undefined : { params: { query } };
      const { error } = await drain(
        (async function* () {
          for await (const page of paginate(wrapped.client, testOperations, "/Accounts", init, { pageSize: 10, resumeFrom }).byPage()) {
            for (const account of page.items) seen.push(account.id);
            if (page.continuation) stored = JSON.stringify(page.continuation); // stored once the page is processed
            yield page;
          }
        })(),
      );
      if (error === undefined) break;
      failures.push(error);
    }
    expect(failures).toHaveLength(1);
    expect(failures[0]).toBeInstanceOf(TestHttpError);
    expect(seen).toEqual(ids(95));
    for (const r of server.requests) {
      expect(r.query.get("savedFilter")).toBe("Favorites");
      expect(r.query.get("search")).toBe("db admin");
      expect(r.query.get("limit")).toBe("10");
    }
  });

  it("resumes item iteration too, and accepts the same query given again", async () => {
    const { server, wrapped } = await setup({ total: 50 });
    const query = { filter: "safeName eq Finance" };
    const resumeFrom = { v: 1, path: "/Accounts", offset: 30, pageSize: 10, query } as const;
    const { items } = await drain(paginate(wrapped.client, testOperations, "/Accounts", { params: { query: { ...query, offset: 999 } } }, { resumeFrom }));
    expect(items.map((a) => a.id)).toEqual(ids(20, 30));
    expect(server.requests.map((r) => [r.query.get("offset"), r.query.get("filter")])).toEqual([["30", "safeName eq Finance"], ["40", "safeName eq Finance"]]);
  });

  it("a server repeating the last page before the resume is still caught", async () => {
    const { wrapped } = await setup({ total: 250, offsetCap: 100 });
    let stored: PageContinuation | undefined;
    for await (const page of paginate(wrapped.client, testOperations, "/Accounts", undefined, { pageSize: 50, readAhead: 0 }).byPage()) {
      stored = page.continuation;
      if (page.offset === 100) break;
    }
    expect(stored?.offset).toBe(150);
    const { items, error } = await drain(paginate(wrapped.client, testOperations, "/Accounts", undefined, { resumeFrom: stored }));
    expect(error).toBeInstanceOf(TruncatedListingError);
    expect(error).toMatchObject({ reason: "repeated-page", received: 150, expected: 250 });
    expect(items).toEqual([]);
  });

  it("a truncation after a resume is measured against the total reported before it", async () => {
    const { wrapped } = await setup({ total: 60, count: (p) => (p.offset < 30 ? 100 : undefined) });
    let stored: PageContinuation | undefined;
    for await (const page of paginate(wrapped.client, testOperations, "/Accounts", undefined, { pageSize: 10, readAhead: 0 }).byPage()) {
      stored = page.continuation;
      if (page.offset === 20) break;
    }
    const { items, error } = await drain(paginate(wrapped.client, testOperations, "/Accounts", undefined, { resumeFrom: stored }));
    expect(error).toMatchObject({ reason: "ended-below-total", expected: 100, received: 60 });
    expect(items.map((a) => a.id)).toEqual(ids(30, 30));
  });

  it("refuses a continuation of another listing, before any request", async () => {
    const { server, wrapped } = await setup({ total: 50 });
    const good = { v: 1, path: "/Accounts", offset: 10, pageSize: 10, query: { search: "a" } } as const;
    const attempts: Array<[unknown, object | undefined]> = [
      [{ ...good, path: "/Safes/{safeUrlId}/Members/" }, undefined],
      [good, { params: { query: { search: "b" } } }],
      [{ ...good, offset: -1 }, undefined],
      [{ ...good, pageSize: 0 }, undefined],
      [{ ...good, v: 2 }, undefined],
      ["offset=10", undefined],
    ];
    for (const [resumeFrom, init] of attempts) {
      const { error } = await drain(paginate(wrapped.client, testOperations, "/Accounts", init, { resumeFrom: resumeFrom as PageContinuation }));
      expect(error).toBeInstanceOf(ConfigurationError);
      expect((error as Error).message).not.toContain("search");
    }
    expect(server.requests).toHaveLength(0);
  });
});

describe("toArray({ limit })", () => {
  it("returns every item when there are at most `limit`", async () => {
    const { wrapped } = await setup({ total: 250 });
    const all = await paginate(wrapped.client, testOperations, "/Accounts", undefined, { pageSize: 100 }).toArray({ limit: 250 });
    expectTypeOf(all).toEqualTypeOf<Account[]>();
    expect(all.map((a) => a.id)).toEqual(ids(250));
    expect(await paginate(wrapped.client, testOperations, "/Accounts").toArray({ limit: 10_000 })).toHaveLength(250);
  });

  it("rejects with ListingTooLargeError past the limit, and stops requesting", async () => {
    const { server, wrapped } = await setup({ total: 100_000, delayMs: 5 });
    const error = await paginate(wrapped.client, testOperations, "/Accounts", undefined, { pageSize: 100 }).toArray({ limit: 250 }).catch((e: unknown) => e);
    expect(error).toBeInstanceOf(ListingTooLargeError);
    expect(error).toMatchObject({ limit: 250, total: 100_000, path: "/Accounts", kind: "INVALID_RESPONSE" });
    await new Promise((r) => setTimeout(r, 50));
    // Pages 0-2 plus read-ahead, then nothing more.
    expect(server.requests.length).toBeLessThanOrEqual(3 + 4);
    const settled = server.requests.length;
    await new Promise((r) => setTimeout(r, 50));
    expect(server.requests.length).toBe(settled);
  });

  it("requires a limit: a type error, and ConfigurationError before any request", async () => {
    const { server, wrapped } = await setup({ total: 10 });
    const listing = paginate(wrapped.client, testOperations, "/Accounts");
    // @ts-expect-error the limit is required
    await expect(listing.toArray()).rejects.toBeInstanceOf(ConfigurationError);
    // @ts-expect-error the limit is required
    await expect(listing.toArray({})).rejects.toBeInstanceOf(ConfigurationError);
    await expect(listing.toArray({ limit: -1 })).rejects.toBeInstanceOf(ConfigurationError);
    await expect(listing.toArray({ limit: 1.5 })).rejects.toBeInstanceOf(ConfigurationError);
    expect(server.requests).toHaveLength(0);
  });
});
