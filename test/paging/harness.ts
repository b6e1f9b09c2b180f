// Shared set-up of the paging tests: a list server and the wrapped test client per test, closed
// after each; helpers to drain an iterator while keeping what arrived before an error.
import { afterEach } from "vitest";
import { startListServer, type ListServer, type ListServerOptions } from "./list-server.js";
import { createWrappedTestClient, type WrappedTestClient } from "./wrapped-client.js";

export function useListServers(): (options: ListServerOptions) => Promise<{ server: ListServer; wrapped: WrappedTestClient }> {
  const cleanups: Array<() => Promise<void>> = [];
  afterEach(async () => {
    await Promise.all(cleanups.splice(0).map((c) => c()));
  });
  return async (options) => {
    const server = await startListServer(options);
    const wrapped = createWrappedTestClient(server.url);
    cleanups.push(() => wrapped.close(), () => server.close());
    return { server, wrapped };
  };
}

/** Everything the iterator yields, and the error that ended it (undefined when it ended normally). */
export async function drain<T>(iterable: AsyncIterable<T>): Promise<{ items: T[]; error: unknown }> {
  const items: T[] = [];
  try {
    for await (const x of iterable) items.push(x);
    return { items, error: undefined };
  } catch (error) {
    return { items, error };
  }
}

export const ids = (n: number, from = 0): string[] => Array.from({ length: n }, (_, i) => `${from + i}_1`);
