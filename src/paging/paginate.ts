// Async iteration over CyberArk list operations, driven by the operations table's `paging`
// entry. Every follow-up request is rebuilt from the caller's ORIGINAL query plus offset/limit
// (so savedFilter, filter and search survive; the nextLink URL is never requested). At most
// `readAhead + 1` page requests are in flight, and no page is kept once its items are yielded.
import type { Client } from "openapi-fetch";
import type { TypedClient } from "../core/typed-client.js";
import { RequestAbortedError } from "../errors/aborted.js";
import type { OperationTable } from "../core/operation.js";
import { CLIENT_REDACTION } from "../errors/seal.js";
import { redactText } from "../logging/redact.js";
import { parseEnvelope, toNonNegativeInteger, type ParsedEnvelope } from "./envelope.js";
import type {
  Page,
  PagedPath,
  PageItem,
  PaginateInit,
  PaginateOptions,
  PagingClient,
  PagingSpec,
} from "./types.js";

export type { Page, PaginateInit, PaginateOptions, PagingClient, PagedPath, PageItem } from "./types.js";

const DEFAULT_PAGE_SIZE = 100;
const MAX_READ_AHEAD = 32;

/**
 * A client paginate() can use. The client's wrapped GET (TypedClient) and openapi-fetch's typed
 * GET let TypeScript infer `Paths`, and so the item type; any other client with a throwing
 * `GET` still works, with `unknown` items unless `Paths` is given explicitly.
 */
export type PaginatableClient<Paths extends {}> =
  | PagingClient
  | Pick<TypedClient<Paths>, "GET">
  // eslint-disable-next-line @typescript-eslint/no-explicit-any
  | Pick<Client<Paths, any>, "GET">;

/** Yields the items of every page of `GET path`, in order. */
export function paginate<Paths extends {}, Ops extends OperationTable, P extends PagedPath<Ops> & string>(
  client: PaginatableClient<Paths>,
  operations: Ops,
  path: P,
  init?: PaginateInit<Paths, P>,
  options?: PaginateOptions,
): AsyncIterableIterator<PageItem<Paths, Ops, P>> {
  return iterateItems(
    pageStream(client as PagingClient, operations, path, init as PaginateInitLoose | undefined, options),
  ) as AsyncIterableIterator<PageItem<Paths, Ops, P>>;
}

/** Yields whole pages (`{ items, offset, total }`) instead of items. */
export function paginatePages<Paths extends {}, Ops extends OperationTable, P extends PagedPath<Ops> & string>(
  client: PaginatableClient<Paths>,
  operations: Ops,
  path: P,
  init?: PaginateInit<Paths, P>,
  options?: PaginateOptions,
): AsyncIterableIterator<Page<PageItem<Paths, Ops, P>>> {
  return pageStream(client as PagingClient, operations, path, init as PaginateInitLoose | undefined, options) as
    AsyncIterableIterator<Page<PageItem<Paths, Ops, P>>>;
}

/** paginate() bound to one client and table, with the path types given explicitly. */
export function bindPaginate<Paths extends {}, Ops extends OperationTable>(client: PagingClient, operations: Ops) {
  return <P extends PagedPath<Ops> & string>(
    path: P,
    init?: PaginateInit<Paths, P>,
    options?: PaginateOptions,
  ): AsyncIterableIterator<PageItem<Paths, Ops, P>> => paginate<Paths, Ops, P>(client, operations, path, init, options);
}

interface PaginateInitLoose {
  params?: { path?: Record<string, unknown>; query?: Record<string, unknown> };
  signal?: AbortSignal;
}

/**
 * Flattens pages into items. Written by hand rather than as an async generator: a generator's
 * `yield` costs several microtask turns per item, a measurable share of listing 100,000 accounts;
 * here an item of a page already in hand costs one resolved promise. Calls made while a page is
 * being fetched wait for it, so items are never skipped or repeated.
 */
function iterateItems<T>(pages: AsyncIterableIterator<Page<T>>): AsyncIterableIterator<T> {
  const DONE: IteratorReturnResult<undefined> = { value: undefined, done: true };
  let items: readonly T[] = [];
  let index = 0;
  let finished = false;
  let refilling: Promise<IteratorResult<T, undefined>> | undefined;

  const next = (): Promise<IteratorResult<T, undefined>> => {
    if (refilling) return refilling.then(next, next);
    if (index < items.length) return Promise.resolve({ value: items[index++] as T, done: false });
    if (finished) return Promise.resolve(DONE);
    refilling = pages.next().then(
      (result) => {
        refilling = undefined;
        if (result.done) {
          finished = true;
          items = [];
          return DONE;
        }
        items = result.value.items;
        index = 0;
        return next();
      },
      (error: unknown) => {
        refilling = undefined;
        finished = true;
        items = [];
        throw error;
      },
    );
    return refilling;
  };

  const iterator: AsyncIterableIterator<T> = {
    [Symbol.asyncIterator]: () => iterator,
    next,
    // Stopping early (break, return) ends the page stream, which aborts its read-ahead requests.
    async return(): Promise<IteratorResult<T, undefined>> {
      finished = true;
      items = [];
      await pages.return?.();
      return DONE;
    },
  };
  return iterator;
}

interface Pending {
  offset: number;
  limit: number;
  controller: AbortController;
  result: Promise<ParsedEnvelope>;
}

function readAheadCount(value: number | undefined): number {
  if (value === undefined) return 0;
  if (!Number.isInteger(value) || value < 0) throw new RangeError(`readAhead must be a whole number >= 0, got ${value}`);
  return Math.min(value, MAX_READ_AHEAD);
}

function resolvePageSize(spec: PagingSpec, requested: number | undefined, fromQuery: number | undefined): number {
  if (requested !== undefined && (!Number.isInteger(requested) || requested <= 0)) {
    throw new RangeError(`pageSize must be a whole number > 0, got ${requested}`);
  }
  const size = requested ?? (fromQuery && fromQuery > 0 ? fromQuery : undefined) ?? spec.maxLimit ?? DEFAULT_PAGE_SIZE;
  return spec.maxLimit ? Math.min(size, spec.maxLimit) : size;
}

async function* pageStream(
  client: PagingClient,
  operations: OperationTable,
  path: string,
  init: PaginateInitLoose | undefined,
  options: PaginateOptions | undefined,
): AsyncGenerator<Page<unknown>, void, undefined> {
  const spec = operations[`GET ${path}`]?.paging;
  if (!spec) throw new TypeError(`GET ${path} is not a paged operation in this operations table`);
  // Our clients' redaction (their secrets in any encoding); for any other client, the key rules.
  const redact = (client as { [CLIENT_REDACTION]?: (text: string) => string })[CLIENT_REDACTION] ?? redactText;
  const readAhead = readAheadCount(options?.readAhead);
  const userSignal = init?.signal;
  // As a call does: a CyberArkError, the caller's reason as its cause.
  const stopIfAborted = (): void => {
    if (userSignal?.aborted) throw new RequestAbortedError(`paging GET ${path}`, userSignal.reason);
  };
  stopIfAborted();

  const offsetParam = spec.offsetParam ?? "offset";
  const limitParam = spec.limitParam ?? "limit";
  // The caller's query minus any spelling of offset/limit: those are set per page.
  const baseQuery: Record<string, unknown> = {};
  let queryOffset: number | undefined;
  let queryLimit: number | undefined;
  for (const [key, value] of Object.entries(init?.params?.query ?? {})) {
    const lower = key.toLowerCase();
    if (spec.style !== "unpaged" && lower === offsetParam.toLowerCase()) queryOffset = toNonNegativeInteger(value);
    else if (spec.style !== "unpaged" && lower === limitParam.toLowerCase()) queryLimit = toNonNegativeInteger(value);
    else baseQuery[key] = value;
  }
  const pathParams = init?.params?.path;

  // One controller for the whole iteration: aborted by the caller's signal or when the
  // consumer stops early, so prefetched requests never outlive the iterator.
  const iteration = new AbortController();
  const onUserAbort = (): void => iteration.abort(userSignal?.reason);
  userSignal?.addEventListener("abort", onUserAbort, { once: true });
  // One listener for all pages in flight (not one each: past ten, Node warns on the user's stderr).
  const inFlight = new Set<AbortController>();
  iteration.signal.addEventListener("abort", () => {
    for (const controller of inFlight) controller.abort(iteration.signal.reason);
  }, { once: true });

  const request = (offset: number | undefined, limit: number | undefined): Pending => {
    const controller = new AbortController();
    if (iteration.signal.aborted) controller.abort(iteration.signal.reason);
    else inFlight.add(controller);
    const query = offset === undefined ? { ...baseQuery } : { ...baseQuery, [offsetParam]: offset, [limitParam]: limit };
    const result = (async () => {
      try {
        const { data, response } = await client.GET(path, {
          params: pathParams === undefined ? { query } : { path: pathParams, query },
          signal: controller.signal,
        });
        return parseEnvelope(data, spec, path, response?.url || undefined, redact);
      } finally {
        inFlight.delete(controller);
      }
    })();
    // Errors surface when the consumer reaches this page; until then they must not be unhandled.
    result.catch(() => {});
    return { offset: offset ?? 0, limit: limit ?? 0, controller, result };
  };

  const queue: Pending[] = [];
  try {
    if (spec.style === "unpaged") {
      const page = await request(undefined, undefined).result;
      yield { items: page.items, offset: 0, total: page.total };
      return;
    }

    let pageSize = resolvePageSize(spec, options?.pageSize, queryLimit);
    let total: number | undefined;
    queue.push(request(queryOffset ?? 0, pageSize));

    // Queues requests after the last queued page (or at `from`) until `size` are in flight,
    // never past a known total; without a total only the next page is requested.
    const fill = (from: number, size: number): void => {
      let next = queue.length > 0 ? (queue.at(-1) as Pending).offset + pageSize : from;
      while (queue.length < size && (total === undefined ? queue.length === 0 : next < total)) {
        queue.push(request(next, pageSize));
        next += pageSize;
      }
    };

    while (queue.length > 0) {
      const current = queue.shift() as Pending;
      // Read-ahead: while this page is awaited and consumed, up to `readAhead` later pages are
      // fetched too (only within a known total, so no request goes past the end).
      if (total !== undefined && readAhead > 0) fill(current.offset + pageSize, readAhead);
      const page = await current.result;
      const count = page.items.length;
      if (page.total !== undefined) total = page.total;

      // Where the next page starts, and whether there is one.
      let done = count === 0;
      let following = current.offset + count;
      if (spec.style === "nextLink") {
        if (!page.hasNextLink) done = true;
        else if (page.nextLinkOffset !== undefined && page.nextLinkOffset > current.offset) following = page.nextLinkOffset;
      } else if (total === undefined && count < current.limit) {
        done = true; // short page and no total: the list ended
      }
      if (total !== undefined && following >= total) done = true;

      if (done) {
        for (const stale of queue.splice(0)) stale.controller.abort();
      } else {
        let stale = queue.length > 0 && queue[0]?.offset !== following;
        if (count < current.limit && following - current.offset < pageSize) {
          // Less than asked while more remain: the server caps the page size; step by its size.
          pageSize = Math.max(1, following - current.offset);
          stale = true;
        }
        if (stale) for (const old of queue.splice(0)) old.controller.abort();
      }

      yield { items: page.items, offset: current.offset, total };

      if (done) break;
      stopIfAborted();
      if (queue.length === 0) fill(following, 1);
    }
  } finally {
    userSignal?.removeEventListener("abort", onUserAbort);
    if (!iteration.signal.aborted) iteration.abort();
    queue.length = 0;
  }
}
