// createCyberArkClient: one client for one deployment, with typed Gen 2, Gen 1 and (Privilege
// Cloud only) /api clients generated from the Swagger documents, and a typed paginate().
import { api as bundledApi } from "../generated/index.js";
import type { Deployment, PrivilegeCloudDeployment, SelfHostedDeployment } from "./deployment.js";
import {
  createClientCore,
  type ApiBase,
  type ClientCore,
  type CyberArkClientOptions as CoreClientOptions,
} from "./core/client-core.js";
import { lookupOperation, type OperationInfo, type OperationTable } from "./core/operation.js";
import { ConfigurationError } from "./errors/configuration.js";
import type { TypedClient } from "./core/typed-client.js";
import { bindPaginate } from "./paging/paginate.js";
import type { PagedOperationEntry, PageItem, PagedPath, PaginateInit, PaginateOptions, PagingClient } from "./paging/types.js";

/** One operations table: rows keyed "METHOD /path", as the generator writes them. */
export type ClientApiTable = { readonly [key: string]: OperationInfo & PagedOperationEntry };

/**
 * The tables and (type-only) path types a client is built from: the `api` value that
 * generated/index.ts exports, from this package's generation or from one run in your project.
 */
export interface ClientApi {
  readonly gen2: ClientApiTable;
  readonly gen1: ClientApiTable;
  readonly pcloud: ClientApiTable;
  /** Type-only, never read at run time: the path types (openapi-typescript `paths`) of each base. */
  readonly __paths?: { readonly gen2: {}; readonly gen1: {}; readonly pcloud: {} };
}

/** The api bundled with the package (generated/ of this repository). */
export type BundledApi = typeof bundledApi;

/** Path types of one base of an api; `{}` (no paths) when the api carries none. */
export type ApiPaths<A extends ClientApi, B extends ApiBase> = A extends { readonly __paths?: infer P }
  ? NonNullable<P> extends { readonly [K in B]: infer T extends {} }
    ? T
    : {}
  : {};

/** Iterates the items of a list operation of the given path types and table. */
export type ApiPaginate<Paths extends {}, Ops> = <P extends PagedPath<Ops> & string>(
  path: P,
  init?: PaginateInit<Paths, P>,
  options?: PaginateOptions,
) => AsyncIterableIterator<PageItem<Paths, Ops, P>>;

export type Gen2Operations = BundledApi["gen2"];
export type PcloudOperations = BundledApi["pcloud"];

/** Iterates the items of a Gen 2 list operation, e.g. paginate("/Accounts", { params: { query: { search: "x" } } }). */
export type Gen2Paginate<A extends ClientApi = BundledApi> = ApiPaginate<ApiPaths<A, "gen2">, A["gen2"]>;

export type PcloudPaginate<A extends ClientApi = BundledApi> = ApiPaginate<ApiPaths<A, "pcloud">, A["pcloud"]>;

type IsPrivilegeCloud<D extends Deployment> = D extends PrivilegeCloudDeployment
  ? true
  : D extends SelfHostedDeployment
    ? false
    : boolean;

type Gen2Of<A extends ClientApi> = ApiPaths<A, "gen2">;
type Gen1Of<A extends ClientApi> = ApiPaths<A, "gen1">;
type PcloudOf<A extends ClientApi> = ApiPaths<A, "pcloud">;

export interface CyberArkClient<D extends Deployment = Deployment, A extends ClientApi = BundledApi>
  extends Omit<ClientCore<Gen2Of<A>, Gen1Of<A>, PcloudOf<A>>, "pcloud"> {
  /** Gen 2 API, base `<root>/PasswordVault/API`: paths like "/Accounts", "/Safes/{safeUrlId}/Members". */
  readonly gen2: TypedClient<Gen2Of<A>>;
  /** Gen 1 API, base `<root>/PasswordVault/WebServices`: paths like "/PIMServices.svc/Applications". */
  readonly gen1: TypedClient<Gen1Of<A>>;
  /** Privilege Cloud services, base `https://<subdomain>.privilegecloud.cyberark.cloud/api` (Privilege Cloud only). */
  readonly pcloud: IsPrivilegeCloud<D> extends true
    ? TypedClient<PcloudOf<A>>
    : IsPrivilegeCloud<D> extends false
      ? undefined
      : TypedClient<PcloudOf<A>> | undefined;
  /** Items of a Gen 2 list operation, page by page, memory staying flat. */
  readonly paginate: Gen2Paginate<A> & {
    /** Items of a Privilege Cloud /api list operation (Privilege Cloud only). */
    readonly pcloud: PcloudPaginate<A>;
  };
}

export interface CyberArkClientOptions<D extends Deployment = Deployment, A extends ClientApi = BundledApi> extends CoreClientOptions<D> {
  /**
   * Operation tables and path types to use instead of the bundled ones: the `api` export of a
   * generated/index.ts, e.g. one written for your tenant by `npx cyberark-pam-client generate`.
   */
  api?: A;
}

/** A client typed and driven by `options.api` (e.g. your own generation's `api`). */
export function createCyberArkClient<D extends Deployment, A extends ClientApi>(
  options: CyberArkClientOptions<D, A> & { api: A },
): CyberArkClient<D, A>;
// Last, so that ReturnType<typeof createCyberArkClient> stays the bundled client type.
/** A client typed and driven by the bundled generated API. */
export function createCyberArkClient<D extends Deployment>(options: CyberArkClientOptions<D>): CyberArkClient<D>;
export function createCyberArkClient<D extends Deployment, A extends ClientApi>(
  options: CyberArkClientOptions<D, A>,
): CyberArkClient<D, A> {
  // Checked here too: the unpacking below would otherwise fail first with a bare TypeError.
  if (!options || typeof options !== "object") throw new ConfigurationError("createCyberArkClient needs an options object");
  const { api = bundledApi, ...coreOptions } = options;
  const core = createClientCore<{}, {}, {}>(coreOptions, { gen2: api.gen2, gen1: api.gen1, pcloud: api.pcloud });
  // Types are bound by the return cast; at run time paging only needs the tables.
  const gen2Paginate = bindPaginate<{}, ClientApiTable>(core.gen2 as unknown as PagingClient, api.gen2);
  const pcloudPaginate: ApiPaginate<{}, ClientApiTable> = (path, init, paginateOptions) => {
    if (!core.pcloud) throw new TypeError("paginate.pcloud is only available for Privilege Cloud deployments");
    return bindPaginate<{}, ClientApiTable>(core.pcloud as unknown as PagingClient, api.pcloud)(path, init, paginateOptions);
  };
  const paginate = Object.assign(gen2Paginate, { pcloud: pcloudPaginate });
  return { ...core, paginate } as unknown as CyberArkClient<D, A>;
}

/** The generated table row of an operation, without a client (e.g. to check minVersion up front). */
export function describeOperation(base: ApiBase, method: string, path: string): OperationInfo | undefined {
  return lookupOperation(bundledApi[base] as OperationTable, method.toUpperCase(), path);
}
