// paginate() through the client's own machinery (the client's own createCyberArkClient: auth header, retries,
// typed errors) instead of the test stand-in.
import { afterEach, describe, expect, expectTypeOf, it } from "vitest";
import { createTestClient, type TestClient as CoreClient } from "../support/test-client.js";
import { staticToken } from "../../src/auth/token-auth.js";
import { bindPaginate, paginate } from "../../src/paging/paginate.js";
import type { PagingClient } from "../../src/paging/types.js";
import { UnsafeNextLinkError } from "../../src/errors/unsafe-next-link.js";
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
    expectTypeOf(items).toEqualTypeOf<AsyncIterableIterator<Account>>();
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
    // 5 pages + 1 retried request
    expect(server.requests).toHaveLength(6);
    expect(server.requests[2]?.query.get("offset")).toBe(server.requests[3]?.query.get("offset"));
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
});
