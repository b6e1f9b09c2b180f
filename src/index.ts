// Public API of the package.
export { createCyberArkClient, describeOperation } from "./client.js";
export type {
  ApiPaginate,
  ApiPaths,
  BundledApi,
  ClientApi,
  ClientApiTable,
  CyberArkClient,
  CyberArkClientOptions,
  Gen2Paginate,
  PcloudPaginate,
} from "./client.js";
// The bundled generation's types, so schema types can be named without reaching into generated/.
export type {
  Gen1Components,
  Gen1Paths,
  Gen2Components,
  Gen2Paths,
  PcloudComponents,
  PcloudPaths,
  Gen1OperationKey,
  Gen2OperationKey,
  PcloudOperationKey,
} from "../generated/index.js";
export type { ApiBase, TlsOptions } from "./client.js";
export { DEFAULT_TIMEOUT_MS } from "./client.js";

export { resolveDeployment } from "./deployment.js";
export { discoverPrivilegeCloud, DEFAULT_DISCOVERY_URL } from "./discovery/platform-discovery.js";
export type { DiscoveredPrivilegeCloud, PlatformDiscoveryOptions } from "./discovery/platform-discovery.js";
export type { Deployment, DeploymentOverrides, DeploymentType, PrivilegeCloudDeployment, ResolvedDeployment, SelfHostedDeployment } from "./deployment.js";

export * from "./auth/index.js";

export type { CallOptions, CallResult, TypedClient, TypedMethod } from "./core/typed-client.js";
export type { Hooks, RequestInfo, RetryInfo } from "./core/hooks.js";
export { DEFAULT_RETRY } from "./core/retry-policy.js";
export { DEFAULT_FLOW_CONTROL, type FlowControlOptions } from "./pipeline/flow-control.js";
export type { RetryOptions, RetryOverrides } from "./core/retry-policy.js";
export type { OperationInfo } from "./core/operation.js";
export type { Logger, LogMeta } from "./logging/logger.js";
export { LOG_LEVELS, type LogLevel } from "./logging/log-level.js";
export type { OnTruncated, Page, PageContinuation, PagedIterator, PaginateInit, PaginateOptions, ToArrayOptions } from "./paging/types.js";
export { DEFAULT_READ_AHEAD } from "./paging/paginate.js";

export { CyberArkError, type CyberArkErrorCode } from "./errors/base.js";
export { CyberArkHttpError, type ErrorBodyKind } from "./errors/http-error.js";
export {
  AuthenticationError,
  BadRequestError,
  ConflictError,
  ForbiddenError,
  LogonFailedError,
  NotFoundError,
  NotImplementedError,
  RateLimitError,
  ServerError,
} from "./errors/status-errors.js";
export { ConfigurationError } from "./errors/configuration.js";
export { NetworkError } from "./errors/network.js";
export { TransportClosedError } from "./errors/transport-closed.js";
export { TimeoutError } from "./errors/timeout.js";
export { RequestAbortedError } from "./errors/aborted.js";
export { UnsafeRedirectError } from "./errors/unsafe-redirect.js";
export { InvalidResponseError } from "./errors/invalid-response.js";
export { InvalidPathParameterError } from "./errors/invalid-path-parameter.js";
export { ResponseTooLargeError } from "./errors/response-too-large.js";
export { UnsafeNextLinkError } from "./errors/unsafe-next-link.js";
export { UnexpectedError } from "./errors/unexpected.js";
export { UnsupportedOperationError } from "./errors/unsupported-operation.js";
export { MalformedPageError } from "./paging/malformed-page-error.js";
export { TruncatedListingError, type TruncationReason } from "./paging/truncated-listing-error.js";
export { ListingTooLargeError } from "./paging/listing-too-large-error.js";
