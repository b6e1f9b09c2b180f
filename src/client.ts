// createCyberArkClient: one client for one deployment, with typed Gen 2, Gen 1 and (Privilege
// Cloud only) /api clients generated from the Swagger documents, and a typed paginate().
import {
  gen1Operations,
  gen2Operations,
  pcloudOperations,
  type Gen1Paths,
  type Gen2Paths,
  type PcloudPaths,
} from "../generated/index.js";
import type { Deployment, PrivilegeCloudDeployment, SelfHostedDeployment } from "./deployment.js";
import { createClientCore, type ApiBase, type ClientCore, type CyberArkClientOptions } from "./core/client-core.js";
import type { OperationInfo } from "./core/operation.js";
import type { TypedClient } from "./core/typed-client.js";
import { bindPaginate } from "./paging/paginate.js";
import type { PageItem, PagedPath, PaginateInit, PaginateOptions, PagingClient } from "./paging/types.js";

export type Gen2Operations = typeof gen2Operations;
export type PcloudOperations = typeof pcloudOperations;

/** Iterates the items of a Gen 2 list operation, e.g. paginate("/Accounts", { params: { query: { search: "x" } } }). */
export type Gen2Paginate = <P extends PagedPath<Gen2Operations> & string>(
  path: P,
  init?: PaginateInit<Gen2Paths, P>,
  options?: PaginateOptions,
) => AsyncIterableIterator<PageItem<Gen2Paths, Gen2Operations, P>>;

export type PcloudPaginate = <P extends PagedPath<PcloudOperations> & string>(
  path: P,
  init?: PaginateInit<PcloudPaths, P>,
  options?: PaginateOptions,
) => AsyncIterableIterator<PageItem<PcloudPaths, PcloudOperations, P>>;

type IsPrivilegeCloud<D extends Deployment> = D extends PrivilegeCloudDeployment
  ? true
  : D extends SelfHostedDeployment
    ? false
    : boolean;

export interface CyberArkClient<D extends Deployment = Deployment> extends Omit<ClientCore<Gen2Paths, Gen1Paths, PcloudPaths>, "pcloud"> {
  /** Gen 2 API, base `<root>/PasswordVault/API`: paths like "/Accounts", "/Safes/{safeUrlId}/Members". */
  readonly gen2: TypedClient<Gen2Paths>;
  /** Gen 1 API, base `<root>/PasswordVault/WebServices`: paths like "/PIMServices.svc/Applications". */
  readonly gen1: TypedClient<Gen1Paths>;
  /** Privilege Cloud services, base `https://<subdomain>.privilegecloud.cyberark.cloud/api` (Privilege Cloud only). */
  readonly pcloud: IsPrivilegeCloud<D> extends true ? TypedClient<PcloudPaths> : IsPrivilegeCloud<D> extends false ? undefined : TypedClient<PcloudPaths> | undefined;
  /** Items of a Gen 2 list operation, page by page, memory staying flat. */
  readonly paginate: Gen2Paginate & {
    /** Items of a Privilege Cloud /api list operation (Privilege Cloud only). */
    readonly pcloud: PcloudPaginate;
  };
}

export type { CyberArkClientOptions };

export function createCyberArkClient<D extends Deployment>(options: CyberArkClientOptions<D>): CyberArkClient<D> {
  const core = createClientCore<Gen2Paths, Gen1Paths, PcloudPaths>(options, {
    gen2: gen2Operations,
    gen1: gen1Operations,
    pcloud: pcloudOperations,
  });
  const gen2Paginate = bindPaginate<Gen2Paths, Gen2Operations>(core.gen2 as unknown as PagingClient, gen2Operations);
  const pcloudPaginate: PcloudPaginate = (path, init, paginateOptions) => {
    if (!core.pcloud) throw new TypeError("paginate.pcloud is only available for Privilege Cloud deployments");
    return bindPaginate<PcloudPaths, PcloudOperations>(core.pcloud as unknown as PagingClient, pcloudOperations)(path, init, paginateOptions);
  };
  const paginate = Object.assign(gen2Paginate as Gen2Paginate, { pcloud: pcloudPaginate });
  return { ...core, paginate } as unknown as CyberArkClient<D>;
}

/** The generated table row of an operation, without a client (e.g. to check minVersion up front). */
export function describeOperation(base: ApiBase, method: string, path: string): OperationInfo | undefined {
  const table = (base === "gen2" ? gen2Operations : base === "gen1" ? gen1Operations : pcloudOperations) as Readonly<Record<string, OperationInfo>>;
  return table[`${method.toUpperCase()} ${path}`];
}
