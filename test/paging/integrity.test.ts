// Paging that cannot lose, repeat or loop (issue 13): servers whose nextLinks loop or point back,
// whose counts lie above and below, that ignore the offset past a cap or stop at
// MaxDisplayedRecords, or that send an empty page with a nextLink. Every listing either yields
// each item exactly once or ends with a typed error after the items that did arrive.
import { describe, expect, it } from "vitest";
import { paginate } from "../../src/paging/paginate.js";
import { MalformedPageError } from "../../src/paging/malformed-page-error.js";
import { TruncatedListingError } from "../../src/paging/truncated-listing-error.js";
import { CyberArkError } from "../../src/errors/base.js";
import { drain, ids, useListServers } from "./harness.js";
import { testOperations } from "./wrapped-client.js";

const setup = useListServers();

/** The error, checked to be a MalformedPageError whose message quotes no link text. */
function malformed(error: unknown): MalformedPageError {
  expect(error).toBeInstanceOf(MalformedPageError);
  expect(error).toBeInstanceOf(CyberArkError);
  expect((error as Error).message).not.toMatch(/api\/Accounts|after=|\?/);
  return error as MalformedPageError;
}

function truncation(error: unknown): TruncatedListingError {
  expect(error).toBeInstanceOf(TruncatedListingError);
  expect(error).toBeInstanceOf(CyberArkError);
  expect((error as TruncatedListingError).kind).toBe("INVALID_RESPONSE");
  return error as TruncatedListingError;
}

describe("each page must advance past what was yielded", () => {
  it("a nextLink repeating the same offset on every page is refused at the second page", async () => {
    const { server, wrapped } = await setup({ total: 50, omitTotal: true, nextLink: () => "api/Accounts?offset=10&limit=10" });
    const { items, error } = await drain(paginate(wrapped.client, testOperations, "/Accounts", undefined, { pageSize: 10 }));
    expect(malformed(error).message).toMatch(/page at offset 10: its nextLink points back to offset 10, at or before the page's own start/);
    expect(items.map((a) => a.id)).toEqual(ids(10));
    expect(server.requests).toHaveLength(2);
  });

  it("a server ignoring the offset and repeating its nextLink ends after two pages, not in an endless loop", async () => {
    // What looped for ever before: 400 requests and 3,990 repeated items before the test gave up.
    const { server, wrapped } = await setup({ total: 50, omitTotal: true, offsetCap: 0, nextLink: () => "api/Accounts?offset=10&limit=10" });
    const { items, error } = await drain(paginate(wrapped.client, testOperations, "/Accounts", undefined, { pageSize: 10 }));
    expect(truncation(error)).toMatchObject({ reason: "repeated-page", received: 10, expected: undefined });
    expect(items.map((a) => a.id)).toEqual(ids(10));
    expect(server.requests).toHaveLength(2);
  });

  it("a nextLink without an offset that repeats an earlier one is refused", async () => {
    const { server, wrapped } = await setup({ total: 50, omitTotal: true, nextLink: () => "api/Accounts?after=cursor-1" });
    const { items, error } = await drain(paginate(wrapped.client, testOperations, "/Accounts", undefined, { pageSize: 10 }));
    expect(malformed(error).message).toMatch(/repeats the nextLink of an earlier page/);
    expect(items.map((a) => a.id)).toEqual(ids(10));
    expect(server.requests).toHaveLength(2);
  });

  it("nextLinks without an offset that change each page are followed by position", async () => {
    const { wrapped } = await setup({ total: 45, nextLink: (p) => (p.to < p.visible ? `api/Accounts?after=cursor-${p.index}` : undefined) });
    const { items, error } = await drain(paginate(wrapped.client, testOperations, "/Accounts", undefined, { pageSize: 10 }));
    expect(error).toBeUndefined();
    expect(items.map((a) => a.id)).toEqual(ids(45));
  });

  it("a nextLink pointing back before the page's start is refused", async () => {
    const { wrapped } = await setup({
      total: 50,
      omitTotal: true,
      nextLink: (p) => (p.to < p.visible ? `api/Accounts?offset=${p.offset >= 20 ? p.offset - 10 : p.to}&limit=10` : undefined),
    });
    const { items, error } = await drain(paginate(wrapped.client, testOperations, "/Accounts", undefined, { pageSize: 10 }));
    expect(malformed(error).message).toMatch(/page at offset 20: its nextLink points back to offset 10/);
    expect(items.map((a) => a.id)).toEqual(ids(20));
  });

  it("a nextLink to the page itself is refused", async () => {
    const { server, wrapped } = await setup({ total: 50, nextLink: (p) => `${server.origin}/PasswordVault/API/Accounts?offset=${p.offset}&limit=${p.limit}` });
    const { items, error } = await drain(paginate(wrapped.client, testOperations, "/Accounts", undefined, { pageSize: 10, readAhead: 0 }));
    expect(malformed(error).message).toMatch(/page at offset 0: its nextLink points back to offset 0/);
    expect(items).toEqual([]);
  });

  it("a nextLink pointing into the page just received is refused (it would repeat items)", async () => {
    // Before: 410 items yielded for 50 accounts.
    const { wrapped } = await setup({ total: 50, nextLink: (p) => (p.to < p.visible ? `api/Accounts?offset=${p.offset + 5}&limit=10` : undefined) });
    const { items, error } = await drain(paginate(wrapped.client, testOperations, "/Accounts", undefined, { pageSize: 10 }));
    expect(malformed(error).message).toMatch(/page at offset 0: its nextLink points into the page just received \(offset 5; the page holds offsets 0 to 9\)/);
    expect(items).toEqual([]);
  });

  it("a nextLink skipping ahead does not skip items: the next page starts after the last item received", async () => {
    const { server, wrapped } = await setup({ total: 50, nextLink: (p) => (p.to < p.visible ? `api/Accounts?offset=${p.to + 5}&limit=10` : undefined) });
    const { items, error } = await drain(paginate(wrapped.client, testOperations, "/Accounts", undefined, { pageSize: 10, readAhead: 0 }));
    expect(error).toBeUndefined();
    expect(items.map((a) => a.id)).toEqual(ids(50));
    expect(server.requests.map((r) => r.query.get("offset"))).toEqual(["0", "10", "20", "30", "40"]);
  });
});

describe("an envelope that contradicts itself never ends a listing silently", () => {
  it("count equal to the page length while nextLink points on: the nextLink is followed", async () => {
    // Before: the listing ended after 10 of 50 items.
    const { server, wrapped } = await setup({ total: 50, count: (p) => p.to - p.from, delayMs: 5 });
    const { items, error } = await drain(paginate(wrapped.client, testOperations, "/Accounts", undefined, { pageSize: 10 }));
    expect(error).toBeUndefined();
    expect(items.map((a) => a.id)).toEqual(ids(50));
    // The contradicted count no longer plans read-ahead: one page at a time, none past the end.
    expect(server.requests).toHaveLength(5);
    expect(server.maxConcurrent).toBe(1);
  });

  it("count below the items already yielded: every item still arrives, once", async () => {
    const { wrapped } = await setup({ total: 50, count: (p) => (p.offset >= 30 ? 25 : 50) });
    const { items, error } = await drain(paginate(wrapped.client, testOperations, "/Accounts", undefined, { pageSize: 10 }));
    expect(error).toBeUndefined();
    expect(items.map((a) => a.id)).toEqual(ids(50));
  });

  it("count above what arrives: TruncatedListingError after the items, or the items when accepted", async () => {
    const { wrapped } = await setup({ total: 50, count: () => 500 });
    const strict = await drain(paginate(wrapped.client, testOperations, "/Accounts", undefined, { pageSize: 10 }));
    expect(truncation(strict.error)).toMatchObject({ reason: "ended-below-total", expected: 500, received: 50, path: "/Accounts" });
    expect(strict.items.map((a) => a.id)).toEqual(ids(50));
    expect((strict.error as Error).message).toMatch(/reported 500 items but the listing ended after 50/);

    const accepted = await drain(paginate(wrapped.client, testOperations, "/Accounts", undefined, { pageSize: 10, onTruncated: "accept" }));
    expect(accepted.error).toBeUndefined();
    expect(accepted.items.map((a) => a.id)).toEqual(ids(50));

    const told: TruncatedListingError[] = [];
    const reported = await drain(paginate(wrapped.client, testOperations, "/Accounts", undefined, { pageSize: 10, onTruncated: (e) => told.push(e) }));
    expect(reported.error).toBeUndefined();
    expect(reported.items).toHaveLength(50);
    expect(told).toHaveLength(1);
    expect(told[0]).toMatchObject({ expected: 500, received: 50 });
  });

  it("an empty page with a nextLink and no count is a MalformedPageError", async () => {
    const { wrapped } = await setup({
      total: 50,
      omitTotal: true,
      maxDisplayedRecords: 30,
      nextLink: (p) => `api/Accounts?offset=${p.offset + p.limit}&limit=${p.limit}`,
    });
    const { items, error } = await drain(paginate(wrapped.client, testOperations, "/Accounts", undefined, { pageSize: 10 }));
    expect(malformed(error).message).toMatch(/page at offset 30: it is empty but has a nextLink/);
    expect(items.map((a) => a.id)).toEqual(ids(30));
  });

  it("an empty page with a nextLink below the count is a truncation", async () => {
    const { wrapped } = await setup({ total: 50, maxDisplayedRecords: 30, nextLink: (p) => `api/Accounts?offset=${p.offset + p.limit}&limit=${p.limit}` });
    const { items, error } = await drain(paginate(wrapped.client, testOperations, "/Accounts", undefined, { pageSize: 10 }));
    expect(truncation(error)).toMatchObject({ reason: "ended-below-total", expected: 50, received: 30 });
    expect(items.map((a) => a.id)).toEqual(ids(30));
  });

  it("offset envelopes: a Total below the items goes on while pages are full", async () => {
    const { wrapped } = await setup({ total: 40, count: () => 15 });
    const { items, error } = await drain(paginate(wrapped.client, testOperations, "/LiveSessions", undefined, { pageSize: 10 }));
    expect(error).toBeUndefined();
    expect(items.map((s) => s.id)).toEqual(ids(40));
  });

  it("offset envelopes: a Total above the items is a truncation", async () => {
    const { wrapped } = await setup({ total: 40, count: () => 100 });
    const { items, error } = await drain(paginate(wrapped.client, testOperations, "/LiveSessions", undefined, { pageSize: 10 }));
    expect(truncation(error)).toMatchObject({ reason: "ended-below-total", expected: 100, received: 40 });
    expect(items.map((s) => s.id)).toEqual(ids(40));
  });
});

describe("truncated listings are detected", () => {
  it("a server ignoring the offset past 100 (pages repeat): TruncatedListingError, nothing repeated", async () => {
    const { server, wrapped } = await setup({ total: 250, offsetCap: 100 });
    const { items, error } = await drain(paginate(wrapped.client, testOperations, "/Accounts", undefined, { pageSize: 50 }));
    expect(truncation(error)).toMatchObject({ reason: "repeated-page", expected: 250, received: 150 });
    expect((error as Error).message).toMatch(/the page at offset 150 repeats an earlier page/);
    expect(items.map((a) => a.id)).toEqual(ids(150));
    // Read-ahead asked for the pages up to the total at most, and no more.
    expect(server.requests.length).toBeLessThanOrEqual(5);

    const accepted = await drain(paginate(wrapped.client, testOperations, "/Accounts", undefined, { pageSize: 50, onTruncated: "accept" }));
    expect(accepted.error).toBeUndefined();
    expect(accepted.items.map((a) => a.id)).toEqual(ids(150));
  });

  it("an offset envelope whose server ignores Offset altogether", async () => {
    const { wrapped } = await setup({ total: 53, offsetCap: 0 });
    const { items, error } = await drain(paginate(wrapped.client, testOperations, "/LiveSessions", undefined, { pageSize: 10 }));
    expect(truncation(error)).toMatchObject({ reason: "repeated-page", expected: 53, received: 10 });
    expect(items.map((s) => s.id)).toEqual(ids(10));
  });

  it("MaxDisplayedRecords: the listing stops at 1,000 while count said 2,500", async () => {
    const { wrapped } = await setup({ total: 2500, maxDisplayedRecords: 1000 });
    const { items, error } = await drain(paginate(wrapped.client, testOperations, "/Accounts", undefined, { pageSize: 100 }));
    expect(truncation(error)).toMatchObject({ reason: "ended-below-total", expected: 2500, received: 1000 });
    expect(items.map((a) => a.id)).toEqual(ids(1000));
  });

  it("MaxDisplayedRecords: the count drops to the cap after the first page, the first count still counts", async () => {
    const { wrapped } = await setup({ total: 2500, maxDisplayedRecords: 1000, count: (p) => (p.index === 0 ? 2500 : 1000) });
    const { items, error } = await drain(paginate(wrapped.client, testOperations, "/Accounts", undefined, { pageSize: 100, readAhead: 0 }));
    expect(truncation(error)).toMatchObject({ expected: 2500, received: 1000 });
    expect(items).toHaveLength(1000);
  });

  it("a listing that reaches its count is not a truncation", async () => {
    const { wrapped } = await setup({ total: 1000 });
    const { items, error } = await drain(paginate(wrapped.client, testOperations, "/Accounts", undefined, { pageSize: 100 }));
    expect(error).toBeUndefined();
    expect(items).toHaveLength(1000);
  });
});

describe("read-ahead by default", () => {
  it("keeps 4 further pages in flight when the total is known, never more", async () => {
    const { server, wrapped } = await setup({ total: 1000, delayMs: 40 });
    const { items, error } = await drain(paginate(wrapped.client, testOperations, "/Accounts", undefined, { pageSize: 100 }));
    expect(error).toBeUndefined();
    expect(items.map((a) => a.id)).toEqual(ids(1000));
    expect(server.maxConcurrent).toBe(5);
    expect(server.requests).toHaveLength(10);
  });

  it("stays within its bound with uneven latency, a capped page size and a slow consumer", async () => {
    const { server, wrapped } = await setup({ total: 3000, serverMaxLimit: 90, delayMs: (i) => (i * 7) % 23 });
    let n = 0;
    for await (const a of paginate(wrapped.client, testOperations, "/Accounts", undefined, { pageSize: 100 })) {
      expect(a.id).toBe(`${n}_1`);
      if (++n % 450 === 0) await new Promise((r) => setTimeout(r, 30));
    }
    expect(n).toBe(3000);
    expect(server.maxConcurrent).toBeGreaterThan(1);
    expect(server.maxConcurrent).toBeLessThanOrEqual(5);
  });

  it("is sequential without a total", async () => {
    const { server, wrapped } = await setup({ total: 300, omitTotal: true, delayMs: 10 });
    const { items } = await drain(paginate(wrapped.client, testOperations, "/Accounts", undefined, { pageSize: 100 }));
    expect(items).toHaveLength(300);
    expect(server.maxConcurrent).toBe(1);
  });
});
