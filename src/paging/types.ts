// Type-level plumbing for paginate(): which paths of an operations table are pageable, and
// what one item of a page is (the element type of the 200 JSON body's `[paging.items]`).
import type { TruncatedListingError } from "./truncated-listing-error.js";

export type PagingStyle = "nextLink" | "offset" | "unpaged";

export interface PagingSpec {
  readonly style: PagingStyle;
  /** Key of the item array in the response body (`value`, `LiveSessions`, `Users`...). */
  readonly items: string;
  /** Key of the total count (`count`, `Total`), when the envelope has one. */
  readonly total?: string;
  readonly offsetParam?: string;
  readonly limitParam?: string;
  readonly maxLimit?: number;
}

/** Paths `P` for which the table has `"GET P"` with a `paging` entry. */
export type PagedPath<Ops> = {
  [K in keyof Ops]: K extends `GET ${infer P}` ? (Ops[K] extends { readonly paging: PagingSpec } ? P : never) : never;
}[keyof Ops];

export type PagingOf<Ops, P extends string> = `GET ${P}` extends keyof Ops
  ? Ops[`GET ${P}`] extends { readonly paging: infer S extends PagingSpec }
    ? S
    : never
  : never;

type JsonContent<R> = R extends { content: infer C }
  ? "application/json" extends keyof C
    ? C["application/json"]
    : C[keyof C]
  : never;

type GetOperation<Paths, P> = P extends keyof Paths ? (Paths[P] extends { get: infer Op } ? Op : never) : never;

/** JSON body of the 200 (else 2xx) response of `GET P`; `unknown` when the path types are unknown. */
export type PageBody<Paths, P> = [GetOperation<Paths, P>] extends [never]
  ? unknown
  : GetOperation<Paths, P> extends { responses: infer Rs }
    ? 200 extends keyof Rs
      ? JsonContent<Rs[200]>
      : JsonContent<Rs[Extract<keyof Rs, 201 | 202 | 203 | 206>]>
    : unknown;

type ElementOf<A> = A extends ReadonlyArray<infer I> ? I : unknown;

/** One item of a page; `unknown` when the spec does not describe the envelope. */
export type PageItem<Paths, Ops, P extends string> =
  PagingOf<Ops, P> extends { readonly items: infer K extends string }
    ? NonNullable<PageBody<Paths, P>> extends infer B
      ? K extends keyof B
        ? ElementOf<NonNullable<B[K]>>
        : unknown
      : unknown
    : unknown;

type Parameters_<Paths, P> = GetOperation<Paths, P> extends { parameters: infer X } ? X : never;

export type PagePathParams<Paths, P> = Parameters_<Paths, P> extends { path?: infer T } ? T : never;
export type PageQueryParams<Paths, P> = Parameters_<Paths, P> extends { query?: infer T } ? T : never;

export interface PageRequestInit<PathParams = Record<string, unknown>, Query = Record<string, unknown>> {
  params?: {
    path?: PathParams;
    /** The original query: kept on every page; paging only sets offset and limit. */
    query?: [Query] extends [never] ? Record<string, unknown> : Partial<NonNullable<Query>>;
  };
  signal?: AbortSignal;
}

export type PaginateInit<Paths, P> = PageRequestInit<
  [PagePathParams<Paths, P>] extends [never] ? Record<string, unknown> : NonNullable<PagePathParams<Paths, P>>,
  PageQueryParams<Paths, P>
>;

/**
 * What to do with a listing the server truncated (see TruncatedListingError): `"error"` (default)
 * throws once the items that did arrive were yielded; `"accept"` ends the listing there; a
 * function is called with the error and the listing ends there (to log it and carry on).
 */
export type OnTruncated = "error" | "accept" | ((error: TruncatedListingError) => void);

export interface PaginateOptions {
  /**
   * Further pages kept in flight while the current one is consumed (default 4, at most 32), used
   * once the server reports a total and for as long as that total is not contradicted; 0 reads
   * one page at a time. The client's own `maxConcurrentRequests` (default 10) still bounds what
   * is sent: the default keeps one listing at 5 requests, so it never fills the client alone.
   */
  readAhead?: number;
  /** Items per request; default the caller's `limit` query value, else the spec's maxLimit, else 100. */
  pageSize?: number;
  /** A listing the server truncated: `"error"` (default), `"accept"`, or a callback (see OnTruncated). */
  onTruncated?: OnTruncated;
  /**
   * Resume a listing from the `continuation` of a page it yielded (byPage()): the next request
   * starts where that page ended, with the query stored in it. `init`'s query, when given, must be
   * the same one. Throws ConfigurationError for a continuation of another path or query.
   */
  resumeFrom?: PageContinuation;
}

/**
 * Where a listing stands after a page: JSON-safe (store it with JSON.stringify, pass it back as
 * `resumeFrom`). It holds the path template, the next offset, the page size and the caller's own
 * query and path parameters; never a header, token or server text. `lastPage` is a hash of the page
 * just read (no item data), so a server repeating that page after the resume is still detected.
 */
export interface PageContinuation {
  readonly v: 1;
  readonly path: string;
  /** Offset of the next page. */
  readonly offset: number;
  /** Items per request (the server's own page size, when it returned less than asked). */
  readonly pageSize: number;
  /** The caller's original query, without offset and limit. */
  readonly query?: Record<string, unknown>;
  readonly pathParams?: Record<string, unknown>;
  /** Highest total the server reported so far. */
  readonly total?: number;
  readonly lastPage?: string;
}

export interface ToArrayOptions {
  /**
   * Required: the most items to hold in memory. A listing with more items rejects with
   * ListingTooLargeError (nothing is cut silently); a missing or invalid limit rejects with
   * ConfigurationError before any request.
   */
  limit: number;
}

/**
 * What paginate() returns: an async iterator of items (as before), plus `byPage()` and
 * `toArray({ limit })`. Each of those two starts a listing of its own (same path, init and
 * options), independent of the items iterated from this object.
 */
export interface PagedIterator<Item> extends AsyncIterableIterator<Item> {
  /** The listing page by page; each page carries its items and a `continuation` to resume after it. */
  byPage(): AsyncIterableIterator<Page<Item>>;
  /** Every item in one array; rejects with ListingTooLargeError when there are more than `limit`. */
  toArray(options: ToArrayOptions): Promise<Item[]>;
}

/**
 * What paginate needs from a client: a GET that resolves `{ data, response }` on 2xx and throws
 * on anything else (CORE's wrapped openapi-fetch client, or any compatible one).
 */
export interface PagingClient {
  // `any` parameters: a typed openapi-fetch GET (path literals, per-path init) must be assignable.
  // eslint-disable-next-line @typescript-eslint/no-explicit-any
  GET(path: any, init?: any): Promise<{ data?: unknown; response?: Response }>;
}

export interface Page<Item> {
  items: Item[];
  /** Offset of the first item of this page within the whole list. */
  offset: number;
  /** Latest total the server reported, when the envelope has one. */
  total: number | undefined;
  /** Where to resume after this page (PaginateOptions.resumeFrom); undefined on the last page. */
  continuation: PageContinuation | undefined;
}
