// Type-level plumbing for paginate(): which paths of an operations table are pageable, and
// what one item of a page is (the element type of the 200 JSON body's `[paging.items]`).

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

export interface PaginateOptions {
  /** Further pages kept in flight while the current one is consumed (default 0). */
  readAhead?: number;
  /** Items per request; default the caller's `limit` query value, else the spec's maxLimit, else 100. */
  pageSize?: number;
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
  /** Total the server reported on this page, when the envelope has one. */
  total: number | undefined;
}
