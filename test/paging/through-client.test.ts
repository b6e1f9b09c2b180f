// paginate() through the client's own machinery (the client's own createCyberArkClient: auth header, retries,
// typed errors) instead of the test stand-in.
import { afterEach, describe, expect, expectTypeOf, it } from "vitest";
import { createTestClient, type TestClient as CoreClient } from "../support/test-client.js";
import { staticToken } from "../../src/auth/token-auth.js";
import { bindPaginate, paginate, type PagedIterator } from "../../src/paging/paginate.js";
import type { PagingClient } from "../../src/paging/types.js";
import { UnsafeNextLinkError } from "../../src/errors/unsafe-next-link.js";
import { RequestAbortedError } from "../../src/errors/aborted.js";
import { startListServer, type ListServer, type ListServerOptions } from "./list-server.js";
import { testOperations, type Account, type TestPaths } from "./wrapped-client.js";

const cleanups: Array<() => Promise<void>> = [];
afterEach(async () => {
  await Promise.all(cleanups.splice(0).map((c) => c()));
});

async function clientFor(options: ListServerOptions): Promise<{ server: ListServer; core: ReturnType<typeof createTestClient<TestPaths, {}, {}>> }> {
  const server = await startListServer(options);
  const core = createTestClient<TestPaths, {}, {}>(
    {
      deployment: { type: "self-hosted", url: server.origin, allowInsecureHttp: true },
      auth: staticToken({ token: "session-token-canary" }),
      proxy: false,
      retry: { baseDelayMs: 1, maxDelayMs: 5 },
    },
    { gen2: testOperations, gen1: {}, pcloud: {} },
  );
  cleanups.push(() => core.close(), () => server.close());
  return { server, core };
}

describe("paginate through the client core", () => {
  it("pages with the session header on every request and the original query kept", async () => {
    const { server, core } = await clientFor({ total: 230 });
    const items = paginate(core.gen2, testOperations, "/Accounts", { params: { query: { savedFilter: "Favorites" } } }, { pageSize: 100, readAhead: 2 });
    expectTypeOf(items).toEqualTypeOf<PagedIterator<Account>>();
    const ids: string[] = [];
    for await (const a of items) ids.push(a.id);
    expect(ids).toEqual(Array.from({ length: 230 }, (_, i) => `${i}_1`));
    expect(server.requests).toHaveLength(3);
    for (const r of server.requests) {
      expect(r.authorization).toBe("session-token-canary");
      expect(r.query.get("savedFilter")).toBe("Favorites");
    }
  });

  it("loses and repeats nothing when the client retries a failed page", async () => {
    const { server, core } = await clientFor({ total: 50, failOnRequest: { index: 2, status: 503 } });
    const list = bindPaginate<TestPaths, typeof testOperations>(core.gen2 as unknown as PagingClient, testOperations);
    const ids: string[] = [];
    for await (const a of list("/Accounts", undefined, { pageSize: 10 })) ids.push(a.id);
    expect(ids).toEqual(Array.from({ length: 50 }, (_, i) => `${i}_1`));
    // 5 pages + 1 retried request (read-ahead may have sent others between the two attempts)
    expect(server.requests.map((r) => Number(r.query.get("offset"))).sort((a, b) => a - b)).toEqual([0, 10, 20, 20, 30, 40]);
  });

  it("refuses a foreign nextLink without sending the session token there", async () => {
    const { server, core } = await clientFor({ total: 50, nextLinkOverride: "https://evil.example/PasswordVault/api/Accounts?offset=10" });
    const error = await (async () => {
      for await (const _ of paginate(core.gen2, testOperations, "/Accounts", undefined, { pageSize: 10 })) void _;
    })().catch((e: unknown) => e);
    expect(error).toBeInstanceOf(UnsafeNextLinkError);
    expect(JSON.stringify(error)).not.toContain("session-token-canary");
    expect(server.requests).toHaveLength(1);
  });

  it("byPage continuations carry the query but never the session token, and resume through the client", async () => {
    const { server, core } = await clientFor({ total: 40 });
    const continuations: string[] = [];
    for await (const page of paginate(core.gen2, testOperations, "/Accounts", { params: { query: { savedFilter: "Favorites" } } }, { pageSize: 10 }).byPage()) {
      if (page.continuation) continuations.push(JSON.stringify(page.continuation));
    }
    expect(continuations).toHaveLength(3);
    for (const text of continuations) {
      expect(text).not.toContain("session-token-canary");
      expect(text.toLowerCase()).not.toContain("authorization");
      expect(text).toContain("Favorites");
    }
    server.requests.length = 0;
    const rest = await paginate(core.gen2, testOperations, "/Accounts", undefined, { resumeFrom: JSON.parse(continuations[1] as string) }).toArray({ limit: 100 });
    expect(rest.map((a) => a.id)).toEqual(Array.from({ length: 20 }, (_, i) => `${20 + i}_1`));
    expect(server.requests.map((r) => [r.query.get("offset"), r.query.get("savedFilter"), r.authorization])).toEqual([
      ["20", "Favorites", "session-token-canary"],
      ["30", "Favorites", "session-token-canary"],
    ]);
  });

  it("aborting the caller's signal ends the listing with RequestAbortedError and cancels the pages in flight", async () => {
    const { server, core } = await clientFor({ total: 1000, delayMs: (i) => (i < 1 ? 0 : 5000) });
    const controller = new AbortController();
    const iterator = paginate(core.gen2, testOperations, "/Accounts", { signal: controller.signal }, { pageSize: 10 });
    for (let i = 0; i < 10; i++) expect((await iterator.next()).done).toBe(false);
    const pending = iterator.next();
    setTimeout(() => controller.abort(new Error("caller gave up")), 20);
    const error = await pending.catch((e: unknown) => e);
    expect(error).toBeInstanceOf(RequestAbortedError);
    expect(error).toMatchObject({ kind: "ABORTED" });
    await new Promise((r) => setTimeout(r, 100));
    expect(server.abortedRequests).toBe(5); // the awaited page and the default read-ahead of four
  });
});
