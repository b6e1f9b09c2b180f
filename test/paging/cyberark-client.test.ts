// paginate as users reach it: createCyberArkClient(...).paginate over the generated Gen 2 types
// and operations table.
import { afterEach, describe, expect, expectTypeOf, it } from "vitest";
import { createCyberArkClient } from "../../src/client.js";
import { staticToken } from "../../src/auth/token-auth.js";
import type { Gen2Paths } from "../../generated/index.js";
import type { PagedIterator } from "../../src/paging/types.js";
import { startListServer, type ListServer } from "./list-server.js";

type AccountsBody = NonNullable<Gen2Paths["/Accounts"]["get"]["responses"][200]["content"]["application/json"]>;
type AccountItem = NonNullable<AccountsBody["value"]>[number];

const cleanups: Array<() => Promise<void>> = [];
afterEach(async () => {
  await Promise.all(cleanups.splice(0).map((c) => c()));
});

async function clientFor(total: number): Promise<{ server: ListServer; client: ReturnType<typeof createCyberArkClient> }> {
  const server = await startListServer({ total });
  const client = createCyberArkClient({
    deployment: { type: "self-hosted", url: server.origin, allowInsecureHttp: true },
    auth: staticToken({ token: "generated-client-token" }),
    proxy: false,
  });
  cleanups.push(() => client.close(), () => server.close());
  return { server, client };
}

describe("createCyberArkClient().paginate", () => {
  it("pages Gen 2 accounts (nextLink envelope) with typed items and the query kept", async () => {
    const { server, client } = await clientFor(120);
    const iterator = client.paginate("/Accounts", { params: { query: { savedFilter: "Favorites" } } }, { pageSize: 50, readAhead: 1 });
    // (A PagedIterator once src/client.ts's ApiPaginate returns one; an item iterator either way.)
    expectTypeOf(iterator).toExtend<AsyncIterableIterator<AccountItem>>();
    let n = 0;
    for await (const account of iterator) {
      expect(account.id).toBe(`${n}_1`);
      n++;
    }
    expect(n).toBe(120);
    expect(server.requests.map((r) => r.query.get("offset"))).toEqual(["0", "50", "100"]);
    expect(server.requests.every((r) => r.query.get("savedFilter") === "Favorites")).toBe(true);
    expect(server.requests.every((r) => r.authorization === "generated-client-token")).toBe(true);
  });

  it("pages live sessions (offset envelope with Offset/Limit) and users (offset envelope with pageOffset/pageSize)", async () => {
    const { server, client } = await clientFor(30);
    let sessions = 0;
    for await (const _ of client.paginate("/LiveSessions", undefined, { pageSize: 8 })) sessions++;
    expect(sessions).toBe(30);
    expect(server.requests.map((r) => r.query.get("Offset"))).toEqual(["0", "8", "16", "24"]);
    server.requests.length = 0;
    let users = 0;
    for await (const _ of client.paginate("/Users", undefined, { pageSize: 12, readAhead: 1 })) users++;
    expect(users).toBe(30);
    expect(server.requests.map((r) => [r.query.get("pageOffset"), r.query.get("pageSize")])).toEqual([["0", "12"], ["12", "12"], ["24", "12"]]);
    expect(server.requests.some((r) => r.query.has("offset") || r.query.has("limit"))).toBe(false);
    // Another spelling of the route (as IIS matches it) finds the same paging entry.
    server.requests.length = 0;
    expect(await client.paginate("/users/" as "/Users", undefined, { pageSize: 12 }).toArray({ limit: 100 })).toHaveLength(30);
    expect(server.requests[0]?.query.get("pageSize")).toBe("12");
  });

  it("the iterator it returns has byPage() and toArray({ limit })", async () => {
    const { server, client } = await clientFor(25);
    // The cast is needed until src/client.ts's ApiPaginate returns PagedIterator; the methods are there at run time.
    const listing = client.paginate("/Accounts", { params: { query: { search: "db" } } }, { pageSize: 10 }) as PagedIterator<AccountItem>;
    const offsets: Array<number | undefined> = [];
    for await (const page of listing.byPage()) offsets.push(page.continuation?.offset);
    expect(offsets).toEqual([10, 20, undefined]);
    expect(await listing.toArray({ limit: 25 })).toHaveLength(25);
    expect(server.requests.every((r) => r.query.get("search") === "db")).toBe(true);
  });
});
