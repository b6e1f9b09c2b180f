// Async iteration over CyberArk list operations, driven by the operations table's `paging`
// entry. Every follow-up request is rebuilt from the caller's ORIGINAL query plus offset/limit
// (so savedFilter, filter and search survive; the nextLink URL is never requested). At most
// `readAhead + 1` page requests are in flight, and no page is kept once its items are yielded.
//
// A listing can neither lose, repeat nor loop:
// - each page must advance past what was yielded: a nextLink pointing back (to the page itself
//   included), into the page just received, or repeating an earlier one is a MalformedPageError;
// - the next request always starts right after the last item received (never at a gap a
//   nextLink names), so no item is skipped;
// - a page repeating an earlier one (a server ignoring the offset past some point), a listing
//   ending below the total the server reported, or an unpaged answer holding fewer items than
//   its total, is a TruncatedListingError (or accepted, when the caller says so);
// - when the envelope contradicts itself, the signal saying there is more wins: a nextLink
//   beyond `count` is followed (and the count no longer plans read-ahead); an empty page with a
//   nextLink ends the listing with an error, never silently.
import { createHash } from "node:crypto";
import type { Client } from "openapi-fetch";
import type { TypedClient } from "../core/typed-client.js";
import { RequestAbortedError } from "../errors/aborted.js";
import { ConfigurationError } from "../errors/configuration.js";
import { lookupOperation, type OperationTable } from "../core/operation.js";
import { CLIENT_REDACTION } from "../errors/seal.js";
import { redactText } from "../logging/redact.js";
import { parseEnvelope, toNonNegativeInteger, type ParsedEnvelope } from "./envelope.js";
import { ListingTooLargeError } from "./listing-too-large-error.js";
import { MalformedPageError } from "./malformed-page-error.js";
import { TruncatedListingError } from "./truncated-listing-error.js";
import type {
  OnTruncated,
  Page,
  PageContinuation,
  PagedIterator,
  PagedPath,
  PageItem,
  PaginateInit,
  PaginateOptions,
  PagingClient,
  PagingSpec,
  ToArrayOptions,
} from "./types.js";

export type {
  OnTruncated,
  Page,
  PageContinuation,
  PagedIterator,
  PaginateInit,
  PaginateOptions,
  PagingClient,
  PagedPath,
  PageItem,
  ToArrayOptions,
} from "./types.js";

const DEFAULT_PAGE_SIZE = 100;
const MAX_READ_AHEAD = 32;
/**
 * Read-ahead when the caller gives none: 4 further pages, so one listing keeps at most 5 requests
 * in flight, half the client's default `maxConcurrentRequests` (10), which paging cannot see.
 */
export const DEFAULT_READ_AHEAD = 4;

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

/**
 * Yields the items of every page of `GET path`, in order. The iterator also has `byPage()` (pages
 * with a continuation to resume from) and `toArray({ limit })`.
 */
export function paginate<Paths extends {}, Ops extends OperationTable, P extends PagedPath<Ops> & string>(
  client: PaginatableClient<Paths>,
  operations: Ops,
  path: P,
  init?: PaginateInit<Paths, P>,
  options?: PaginateOptions,
): PagedIterator<PageItem<Paths, Ops, P>> {
  const open = (): AsyncIterableIterator<Page<unknown>> =>
    pageStream(client as PagingClient, operations, path, init as PaginateInitLoose | undefined, options);
  return pagedIterator(open, path) as PagedIterator<PageItem<Paths, Ops, P>>;
}

/** Yields whole pages (`{ items, offset, total, continuation }`) instead of items; as paginate(...).byPage(). */
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
  ): PagedIterator<PageItem<Paths, Ops, P>> => paginate<Paths, Ops, P>(client, operations, path, init, options);
}

interface PaginateInitLoose {
  params?: { path?: Record<string, unknown>; query?: Record<string, unknown> };
  signal?: AbortSignal;
}

function pagedIterator<T>(open: () => AsyncIterableIterator<Page<T>>, path: string): PagedIterator<T> {
  const items = iterateItems(open());
  return Object.assign(items, {
    byPage: open,
    toArray: (options: ToArrayOptions) => collect(open, options, path),
  });
}

/** Every item, or ListingTooLargeError once an item past `limit` has arrived (pages in flight are cancelled). */
async function collect<T>(open: () => AsyncIterableIterator<Page<T>>, options: ToArrayOptions, path: string): Promise<T[]> {
  const limit = (options as ToArrayOptions | undefined)?.limit;
  if (typeof limit !== "number" || !Number.isInteger(limit) || limit < 0) {
    throw new ConfigurationError(
      `toArray() needs { limit }, a whole number >= 0 of items to hold in memory (got ${limit === undefined ? "none" : String(limit)}); ` +
        "iterate the listing to read more without holding it",
    );
  }
  const out: T[] = [];
  for await (const page of open()) {
    if (out.length + page.items.length > limit) throw new ListingTooLargeError(path, limit, page.total);
    for (const item of page.items) out.push(item);
  }
  return out;
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
    items = []; // the consumed page is not kept while the next one is awaited
    refilling = pages.next().then(
      (result) => {
        refilling = undefined;
        if (result.done) {
          finished = true;
          return DONE;
        }
        items = result.value.items;
        index = 0;
        return next();
      },
      (error: unknown) => {
        refilling = undefined;
        finished = true;
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
  if (value === undefined) return DEFAULT_READ_AHEAD;
  if (!Number.isInteger(value) || value < 0) throw new RangeError(`readAhead must be a whole number >= 0, got ${value}`);
  return Math.min(value, MAX_READ_AHEAD);
}

function truncationPolicy(value: OnTruncated | undefined): OnTruncated {
  if (value === undefined) return "error";
  if (value === "error" || value === "accept" || typeof value === "function") return value;
  throw new RangeError(`onTruncated must be "error", "accept" or a function, got ${typeof value === "string" ? JSON.stringify(value) : typeof value}`);
}

function resolvePageSize(spec: PagingSpec, requested: number | undefined, fromQuery: number | undefined): number {
  if (requested !== undefined && (!Number.isInteger(requested) || requested <= 0)) {
    throw new RangeError(`pageSize must be a whole number > 0, got ${requested}`);
  }
  const size = requested ?? (fromQuery && fromQuery > 0 ? fromQuery : undefined) ?? spec.maxLimit ?? DEFAULT_PAGE_SIZE;
  return spec.maxLimit ? Math.min(size, spec.maxLimit) : size;
}

/**
 * Identifies a page by its length and its first, middle and last items: two pages of a real list
 * never share all four, a server repeating a page always does. A hash, so keeping one per page
 * costs little, and a continuation holding one holds no item data.
 */
function fingerprint(items: readonly unknown[]): string | undefined {
  const n = items.length;
  if (n === 0) return undefined;
  try {
    const text = `${n}\n${JSON.stringify(items[0])}\n${JSON.stringify(items[n >> 1])}\n${JSON.stringify(items[n - 1])}`;
    return createHash("sha256").update(text).digest("base64url").slice(0, 22);
  } catch {
    return undefined; // not JSON (a custom client's objects): no repeat detection for this page
  }
}

/** JSON text with object keys sorted, to compare a stored query with the caller's. */
function stableJson(value: unknown): string {
  return JSON.stringify(value, (_key, v: unknown) =>
    v !== null && typeof v === "object" && !Array.isArray(v)
      ? Object.fromEntries(Object.entries(v as Record<string, unknown>).sort(([a], [b]) => (a < b ? -1 : a > b ? 1 : 0)))
      : v,
  ) ?? "undefined";
}

/** A JSON-safe copy (what a stored continuation gives back), or the value itself when it is not JSON. */
function jsonCopy<T>(value: T): T {
  try {
    const text = JSON.stringify(value);
    return text === undefined ? value : (JSON.parse(text) as T);
  } catch {
    return value;
  }
}

function isRecord(value: unknown): value is Record<string, unknown> {
  return value !== null && typeof value === "object" && !Array.isArray(value);
}

/** Checks a stored continuation belongs to this listing; the caller's query, when given, must match the stored one. */
function readContinuation(
  value: unknown,
  path: string,
  query: Record<string, unknown> | undefined,
  pathParams: Record<string, unknown> | undefined,
): PageContinuation {
  const bad = (problem: string): never => {
    throw new ConfigurationError(`resumeFrom cannot resume GET ${path}: ${problem}`);
  };
  if (!isRecord(value) || value["v"] !== 1) return bad("it is not a continuation from byPage()");
  const c = value as unknown as PageContinuation;
  if (c.path !== path) return bad("it belongs to another operation");
  if (toNonNegativeInteger(c.offset) === undefined || typeof c.offset !== "number") return bad("its offset is not a whole number >= 0");
  if (!Number.isInteger(c.pageSize) || c.pageSize <= 0) return bad("its pageSize is not a whole number > 0");
  if (c.total !== undefined && toNonNegativeInteger(c.total) === undefined) return bad("its total is not a whole number >= 0");
  if (c.query !== undefined && !isRecord(c.query)) return bad("its query is not an object");
  if (c.pathParams !== undefined && !isRecord(c.pathParams)) return bad("its pathParams is not an object");
  if (c.lastPage !== undefined && typeof c.lastPage !== "string") return bad("its lastPage is not a string");
  if (query !== undefined && stableJson(query) !== stableJson(c.query ?? {})) {
    return bad("the query given differs from the one the listing started with (omit it to use the stored one)");
  }
  if (pathParams !== undefined && stableJson(pathParams) !== stableJson(c.pathParams ?? {})) {
    return bad("the path parameters given differ from the ones the listing started with");
  }
  return c;
}

async function* pageStream(
  client: PagingClient,
  operations: OperationTable,
  path: string,
  init: PaginateInitLoose | undefined,
  options: PaginateOptions | undefined,
): AsyncGenerator<Page<unknown>, void, undefined> {
  // Matched as the server matches routes (letter case, a trailing slash), like every other per-operation fact.
  const spec = lookupOperation(operations, "GET", path)?.paging;
  if (!spec) throw new TypeError(`GET ${path} is not a paged operation in this operations table`);
  // Our clients' redaction (their secrets in any encoding); for any other client, the key rules.
  const redact = (client as { [CLIENT_REDACTION]?: (text: string) => string })[CLIENT_REDACTION] ?? redactText;
  const readAhead = readAheadCount(options?.readAhead);
  const onTruncated = truncationPolicy(options?.onTruncated);
  const userSignal = init?.signal;
  // As a call does: a CyberArkError, the caller's reason as its cause.
  const aborted = (): RequestAbortedError => new RequestAbortedError(`paging GET ${path}`, userSignal?.reason);
  if (userSignal?.aborted) throw aborted();

  const offsetParam = spec.offsetParam ?? "offset";
  const limitParam = spec.limitParam ?? "limit";
  // The caller's query minus any spelling of offset/limit: those are set per page.
  let baseQuery: Record<string, unknown> = {};
  let queryOffset: number | undefined;
  let queryLimit: number | undefined;
  for (const [key, value] of Object.entries(init?.params?.query ?? {})) {
    const lower = key.toLowerCase();
    if (spec.style !== "unpaged" && lower === offsetParam.toLowerCase()) queryOffset = toNonNegativeInteger(value);
    else if (spec.style !== "unpaged" && lower === limitParam.toLowerCase()) queryLimit = toNonNegativeInteger(value);
    else baseQuery[key] = value;
  }
  let pathParams = init?.params?.path;
  const pageSizeOption = resolvePageSize(spec, options?.pageSize, queryLimit);

  let resume: PageContinuation | undefined;
  if (options?.resumeFrom !== undefined) {
    if (spec.style === "unpaged") throw new ConfigurationError(`resumeFrom cannot resume GET ${path}: it is not paged`);
    resume = readContinuation(options.resumeFrom, path, init?.params?.query === undefined ? undefined : baseQuery, pathParams);
    baseQuery = { ...(resume.query ?? {}) };
    pathParams ??= resume.pathParams;
  }

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
  const receive = async (pending: Pending): Promise<ParsedEnvelope> => {
    try {
      return await pending.result;
    } catch (error) {
      // Whatever the client made of the cancelled request, the caller sees why it ended.
      if (userSignal?.aborted) throw aborted();
      throw error;
    }
  };

  const queue: Pending[] = [];
  const cancelQueued = (): void => {
    for (const stale of queue.splice(0)) stale.controller.abort();
  };
  // Returns normally when the caller accepts a truncated listing; throws otherwise.
  const truncated = (error: TruncatedListingError): void => {
    if (onTruncated === "error") throw error;
    if (typeof onTruncated === "function") onTruncated(error);
  };
  try {
    if (spec.style === "unpaged") {
      const page = await receive(request(undefined, undefined));
      yield { items: page.items, offset: 0, total: page.total, continuation: undefined };
      // One answer is the whole list only when it holds the total it reports: GET /bulkactions/accounts sends
      // its default limit of 10 jobs beside the Total of all of them.
      if (page.total !== undefined && page.total > page.items.length) {
        truncated(new TruncatedListingError({ path, reason: "below-total", expected: page.total, received: page.items.length }));
      }
      return;
    }

    let pageSize = resume && options?.pageSize === undefined ? resume.pageSize : pageSizeOption;
    /** Highest total reported: what a truncation is measured against. */
    let expected = resume?.total;
    let latestTotal: number | undefined;
    /** The total read-ahead plans with; undefined once a page contradicted it (it is not believed again). */
    let plannedTotal: number | undefined;
    let totalContradicted = false;
    const seenPages = new Set<string>();
    if (resume?.lastPage) seenPages.add(resume.lastPage);
    const seenLinks = new Set<string>();
    const stored = { query: jsonCopy(baseQuery), pathParams: pathParams === undefined ? undefined : jsonCopy(pathParams) };
    const continuationAt = (offset: number, lastPage: string | undefined): PageContinuation => ({
      v: 1,
      path,
      offset,
      pageSize,
      ...(Object.keys(stored.query).length > 0 ? { query: stored.query } : {}),
      ...(stored.pathParams === undefined ? {} : { pathParams: stored.pathParams }),
      ...(expected === undefined ? {} : { total: expected }),
      ...(lastPage === undefined ? {} : { lastPage }),
    });
    const malformed = (offset: number, problem: string): MalformedPageError =>
      new MalformedPageError(path, `the page at offset ${offset}: ${problem}`);

    queue.push(request(resume?.offset ?? queryOffset ?? 0, pageSize));

    // Queues requests after the last queued page (or at `from`) until `size` are queued, never
    // past the planned total; without one only the next page is requested.
    const fill = (from: number, size: number): void => {
      let next = queue.length > 0 ? (queue.at(-1) as Pending).offset + pageSize : from;
      while (queue.length < size && (plannedTotal === undefined ? queue.length === 0 : next < plannedTotal)) {
        queue.push(request(next, pageSize));
        next += pageSize;
      }
    };

    while (queue.length > 0) {
      const current = queue.shift() as Pending;
      // Read-ahead: while this page is awaited and consumed, up to `readAhead` later pages are
      // fetched too (only within a believed total, so no request goes past the end).
      if (plannedTotal !== undefined && readAhead > 0) fill(current.offset + pageSize, readAhead);
      const page = await receive(current);
      const count = page.items.length;
      const end = current.offset + count;
      if (page.total !== undefined) {
        latestTotal = page.total;
        expected = Math.max(expected ?? 0, page.total);
        if (!totalContradicted) plannedTotal = page.total;
      }

      // A page seen before: the server no longer honours the offset (e.g. capped at 100).
      const print = fingerprint(page.items);
      if (print !== undefined) {
        if (seenPages.has(print)) {
          cancelQueued();
          truncated(new TruncatedListingError({ path, reason: "repeated-page", expected, received: current.offset }));
          return;
        }
        seenPages.add(print);
      }

      // Whether the server says there is more.
      let more: boolean;
      if (spec.style === "nextLink") {
        if (page.hasNextLink) {
          const linked = page.nextLinkOffset;
          // (A link to the page itself names its own offset, so it is caught here too.)
          if (linked !== undefined && linked <= current.offset) {
            throw malformed(current.offset, `its nextLink points back to offset ${linked}, at or before the page's own start`);
          }
          if (linked !== undefined && linked < end) {
            throw malformed(current.offset, `its nextLink points into the page just received (offset ${linked}; the page holds offsets ${current.offset} to ${end - 1})`);
          }
          if (linked === undefined && page.nextLinkHref !== undefined) {
            if (seenLinks.has(page.nextLinkHref)) throw malformed(current.offset, "its nextLink repeats the nextLink of an earlier page");
            seenLinks.add(page.nextLinkHref);
          }
        }
        more = page.hasNextLink && count > 0;
        // A nextLink beyond the count: the count is wrong (KI00020267); follow the link, one page at a time.
        if (more && plannedTotal !== undefined && end >= plannedTotal) {
          totalContradicted = true;
          plannedTotal = undefined;
        }
      } else if (count === 0) {
        more = false;
      } else if (plannedTotal === undefined) {
        more = count >= current.limit; // no (believed) total: a short page ends the list
      } else if (end < plannedTotal) {
        more = true; // a short page below the total: the server caps the page size
      } else if (end === plannedTotal) {
        more = false;
      } else {
        // More items than the total: the total is wrong; full pages go on, a short page ends.
        totalContradicted = true;
        plannedTotal = undefined;
        more = count >= current.limit;
      }

      if (!more) {
        cancelQueued();
        if (expected !== undefined && end < expected) {
          if (count > 0) yield { items: page.items, offset: current.offset, total: latestTotal, continuation: undefined };
          truncated(new TruncatedListingError({ path, reason: "ended-below-total", expected, received: end }));
          return;
        }
        if (page.hasNextLink && count === 0) {
          throw malformed(current.offset, "it is empty but has a nextLink (the server says there is more and sent nothing)");
        }
        yield { items: page.items, offset: current.offset, total: latestTotal, continuation: undefined };
        return;
      }

      if (count < current.limit) {
        // Less than asked while more remain: the server caps the page size; step by its size.
        pageSize = count;
        cancelQueued();
      } else if (queue.length > 0 && queue[0]?.offset !== end) {
        cancelQueued();
      }
      // As soon as a total is known, the read-ahead starts (before this page is consumed).
      if (plannedTotal !== undefined && readAhead > 0) fill(end, readAhead);

      yield { items: page.items, offset: current.offset, total: latestTotal, continuation: continuationAt(end, print) };

      if (userSignal?.aborted) throw aborted();
      if (queue.length === 0) fill(end, 1);
    }
  } finally {
    userSignal?.removeEventListener("abort", onUserAbort);
    if (!iteration.signal.aborted) iteration.abort();
    queue.length = 0;
  }
}
