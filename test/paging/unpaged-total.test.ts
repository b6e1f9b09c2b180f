// An unpaged list whose one answer holds fewer items than the total it reports was cut by the server:
// GET /bulkactions/accounts answers its default `limit` of 10 jobs beside the Total of all of them. The
// listing yields what arrived, then throws TruncatedListingError (reason "below-total"), unless accepted.
import { afterEach, describe, expect, it } from "vitest";
import { createCyberArkClient } from "../../src/client.js";
import { staticToken } from "../../src/auth/token-auth.js";
import { TruncatedListingError } from "../../src/paging/truncated-listing-error.js";
import type { OnTruncated } from "../../src/paging/types.js";
import { drain, ids } from "./harness.js";
import { startListServer, type ListServer, type ListServerOptions } from "./list-server.js";

const cleanups: Array<() => Promise<void>> = [];
afterEach(async () => {
  await Promise.all(cleanups.splice(0).map((c) => c()));
});

async function clientFor(options: ListServerOptions): Promise<{ server: ListServer; client: ReturnType<typeof createCyberArkClient> }> {
  const server = await startListServer(options);
  const client = createCyberArkClient({
    deployment: { type: "self-hosted", url: server.origin, allowInsecureHttp: true },
    auth: staticToken({ token: "unpaged-total-token" }),
    proxy: false,
  });
  cleanups.push(() => client.close(), () => server.close());
  return { server, client };
}

const jobs = async (client: ReturnType<typeof createCyberArkClient>, query?: { limit: number }, onTruncated?: OnTruncated) => {
  const listing = client.paginate("/bulkactions/accounts", query === undefined ? undefined : { params: { query } }, onTruncated === undefined ? undefined : { onTruncated });
  const { items, error } = await drain(listing);
  return { ids: items.map((job) => (job as { id?: unknown }).id), error };
};

describe("an unpaged listing with a total (GET /bulkactions/accounts)", () => {
  it("throws TruncatedListingError after the 10 jobs of the default limit when there are 25", async () => {
    const { server, client } = await clientFor({ total: 25 });
    const { ids: got, error } = await jobs(client);
    expect(got).toEqual(ids(10));
    expect(error).toBeInstanceOf(TruncatedListingError);
    const truncated = error as TruncatedListingError;
    expect([truncated.reason, truncated.expected, truncated.received, truncated.path]).toEqual(["below-total", 25, 10, "/bulkactions/accounts"]);
    expect(truncated.message).toContain("held 10 of the 25 items it reported");
    expect(truncated.message).toContain('onTruncated: "accept"');
    expect(server.requests).toHaveLength(1);
  });

  it("rejects toArray() the same way", async () => {
    const { client } = await clientFor({ total: 25 });
    await expect(client.paginate("/bulkactions/accounts").toArray({ limit: 1000 })).rejects.toBeInstanceOf(TruncatedListingError);
  });

  it("is complete, without an error, when the caller's limit covers the total (sent as given)", async () => {
    const { server, client } = await clientFor({ total: 25 });
    const { ids: got, error } = await jobs(client, { limit: 1000 });
    expect(error).toBeUndefined();
    expect(got).toEqual(ids(25));
    expect(server.requests.map((r) => r.query.get("limit"))).toEqual(["1000"]);
  });

  it('keeps the items without an error with onTruncated: "accept", and tells a callback', async () => {
    const { client } = await clientFor({ total: 25 });
    const accepted = await jobs(client, undefined, "accept");
    expect(accepted).toEqual({ ids: ids(10), error: undefined });
    const told: TruncatedListingError[] = [];
    const logged = await jobs(client, undefined, (e) => told.push(e));
    expect(logged).toEqual({ ids: ids(10), error: undefined });
    expect(told.map((e) => [e.reason, e.expected, e.received])).toEqual([["below-total", 25, 10]]);
  });

  it("is not an error when the total equals the items, is below them, or is absent", async () => {
    for (const [options, expected] of [
      [{ total: 10 }, 10],
      [{ total: 4 }, 4],
      [{ total: 25, count: () => 3 }, 10],
      [{ total: 25, omitTotal: true }, 10],
    ] as const) {
      const { client } = await clientFor(options);
      const { ids: got, error } = await jobs(client);
      expect(error).toBeUndefined();
      expect(got).toEqual(ids(expected));
    }
  });
});
