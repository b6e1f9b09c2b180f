// The variants of benchmark 2, by name. Each runs in its own child process so its peak RSS is its own.
import { DEFAULT_READ_AHEAD } from "../../src/paging/paginate.js";
import { clientLister } from "../subjects/cyberark-client.js";
import { listFollowingNextLink, listHandParallel, undiciRequestPageGetter, type ItemSink } from "../subjects/vault-listing.js";

export interface ListingParams {
  root: string;
  pageSize: number;
  readAhead: number;
  handParallel: number;
}

export type ListingVariant = "sequential-nextlink" | "hand-parallel" | "hand-parallel-request" | "cyberark-client" | "cyberark-client-default";

interface Lister {
  list(sink: ItemSink): Promise<void>;
  close(): Promise<void>;
}

interface ListingDefinition {
  label(p: ListingParams): string;
  /** Requests the variant means to keep in flight (the lower bound divides by this). */
  concurrency(p: ListingParams): number;
  prepare(p: ListingParams): Promise<Lister>;
}

export const LISTING_VARIANTS: Record<ListingVariant, ListingDefinition> = {
  "sequential-nextlink": {
    label: () => "bare fetch, following nextLink one page at a time",
    concurrency: () => 1,
    prepare: (p) => Promise.resolve({ list: (sink) => listFollowingNextLink(p.root, p.pageSize, sink), close: () => Promise.resolve() }),
  },
  "hand-parallel": {
    label: (p) => `bare fetch, hand-written window of ${p.handParallel} parallel offset requests`,
    concurrency: (p) => p.handParallel,
    prepare: (p) => Promise.resolve({ list: (sink) => listHandParallel(p.root, p.pageSize, p.handParallel, sink), close: () => Promise.resolve() }),
  },
  "hand-parallel-request": {
    label: (p) => `bare undici request(), hand-written window of ${p.handParallel} (Node's cheapest HTTP path, no client)`,
    concurrency: (p) => p.handParallel,
    prepare: (p) => {
      const getter = undiciRequestPageGetter();
      return Promise.resolve({ list: (sink) => listHandParallel(p.root, p.pageSize, p.handParallel, sink, getter.getPage), close: getter.close });
    },
  },
  "cyberark-client-default": {
    label: () => `this client's paginate() with no readAhead option (default read-ahead ${DEFAULT_READ_AHEAD})`,
    // What a caller gets without tuning: the current page plus the default read-ahead.
    concurrency: () => DEFAULT_READ_AHEAD + 1,
    prepare: (p) => Promise.resolve(clientLister(p.root, p.pageSize, undefined)),
  },
  "cyberark-client": {
    label: (p) => `this client's paginate(), read-ahead ${p.readAhead}`,
    // The current page plus `readAhead` further pages (src/paging/paginate.ts).
    concurrency: (p) => p.readAhead + 1,
    prepare: (p) => Promise.resolve(clientLister(p.root, p.pageSize, p.readAhead)),
  },
};
