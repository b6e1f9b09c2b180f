// createCyberArkClient: one client for one deployment. It assembles the parts (deployment roots,
// transport, cookie jar, session, pipeline) and one typed client per API base (Gen 2, Gen 1 and, on
// Privilege Cloud, /api), plus a typed paginate(). Nothing here is process-wide: two clients share
// no tokens, cookies, limits or TLS settings.
import { setMaxListeners } from "node:events";
import { api as bundledApi } from "../generated/index.js";
import type { AuthContext, AuthStrategy } from "./auth/types.js";
import { createAuthContext } from "./core/auth-context.js";
import { CookieJar } from "./core/cookie-jar.js";
import type { Hooks } from "./core/hooks.js";
import { logonWithRetries } from "./core/logon-retry.js";
import { lookupOperation, type OperationInfo, type OperationTable } from "./core/operation.js";
import { operationAvailability } from "./core/operation-availability.js";
import { DEFAULT_RETRY, mergeRetry, type RetryOverrides } from "./core/retry-policy.js";
import { SessionManager, type Session } from "./core/session.js";
import { checkMilliseconds } from "./core/time-limit.js";
import { createTypedClient, type TypedClient } from "./core/typed-client.js";
import { resolveDeployment, type Deployment, type PrivilegeCloudDeployment, type ResolvedDeployment, type SelfHostedDeployment } from "./deployment.js";
import { CyberArkError } from "./errors/base.js";
import { ConfigurationError } from "./errors/configuration.js";
import { sealError } from "./errors/seal.js";
import { TransportClosedError } from "./errors/transport-closed.js";
import { resolveLogLevel, type LogLevel } from "./logging/log-level.js";
import { createLogger, enabled, type Logger } from "./logging/logger.js";
import { redactText } from "./logging/redact.js";
import { SecretRegistry } from "./logging/secret-registry.js";
import { bindPaginate } from "./paging/paginate.js";
import type { PagedIterator, PageItem, PagedPath, PaginateInit, PaginateOptions, PagingClient } from "./paging/types.js";
import { flowControlOf, type FlowControlOptions } from "./pipeline/flow-control.js";
import { createExchange } from "./pipeline/exchange.js";
import { createPipeline } from "./pipeline/pipeline.js";
import type { DispatcherTlsOptions } from "./transport/dispatcher.js";
import { createTransport, type Transport } from "./transport/transport.js";

export const DEFAULT_TIMEOUT_MS = 60_000;
/** Logon retries after a passing failure (fewer when the client's retry limit is lower). */
const LOGON_RETRIES = 2;
/** The logoff that close() sends waits at most this long: closing must not hang on a slow server. */
const LOGOFF_ON_CLOSE_MS = 5_000;

/** The `tls` option: trust, client certificate (PKI logon) and, for labs only, skipping verification. */
export type TlsOptions = DispatcherTlsOptions;

export type ApiBase = "gen2" | "gen1" | "pcloud";
/** One operations table: rows keyed "METHOD /path", as the generator writes them. */
export type ClientApiTable = OperationTable;

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
) => PagedIterator<PageItem<Paths, Ops, P>>;

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

export interface CyberArkClient<D extends Deployment = Deployment, A extends ClientApi = BundledApi> {
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
  readonly deployment: ResolvedDeployment;
  /** Logs on now instead of at the first request. */
  logon(): Promise<void>;
  /** Ends the session on the server (when the auth method has a logoff) and forgets it; the next request logs on again. */
  logoff(): Promise<void>;
  /**
   * Refuses new calls at once, ends every pending or waiting call with TransportClosedError (a logon under way
   * included), logs off the session it has (errors are logged, not thrown) and releases connections.
   */
  close(): Promise<void>;
  /** Whether a session is held now, and when it expires where that is known. */
  sessionInfo(): { loggedOn: boolean; expiresAt: Date | undefined };
  [Symbol.asyncDispose](): Promise<void>;
  /** The generated table row for an operation, e.g. operation("gen2", "GET", "/Accounts"). */
  operation(base: ApiBase, method: string, path: string): OperationInfo | undefined;
}

export interface CyberArkClientOptions<D extends Deployment = Deployment, A extends ClientApi = BundledApi> {
  deployment: D;
  /** How to log on: vaultLogon(...), radiusLogon(...), platformToken(...), staticToken(...), ... */
  auth: AuthStrategy;
  tls?: TlsOptions;
  /** Proxy URL; undefined = HTTPS_PROXY/HTTP_PROXY/NO_PROXY from the environment; false = never. */
  proxy?: string | false;
  connectTimeoutMs?: number;
  /** Per-request time limit in ms (default 60 000; 0 = none). Also bounds each logon request. */
  timeoutMs?: number;
  /** Retry rules (see RetryOptions), or false to never retry. */
  retry?: RetryOverrides | false;
  /** Concurrency limit, adaptive rate and retry quota of this client (see DEFAULT_FLOW_CONTROL). */
  flowControl?: Partial<FlowControlOptions>;
  /** Receives redacted log events. */
  logger?: Partial<Logger>;
  /**
   * The least severe level passed to `logger`: "debug" (every request and response), "info" (logons,
   * retries; the default), "warn", "error" or "silent". Default: CYBERARK_LOG_LEVEL from the environment
   * (read when the client is created), else "info".
   */
  logLevel?: LogLevel;
  /**
   * Send operations that the operation tables mark as existing only on the other kind of deployment
   * (a self-hosted-only operation from a Privilege Cloud client, or the reverse), with one warning per
   * operation, instead of refusing them with UnsupportedOperationError. Default false.
   */
  allowOperationsOfOtherDeployment?: boolean;
  hooks?: Hooks;
  /** Largest accepted response body in bytes (default 50 MiB). */
  maxResponseBytes?: number;
  /**
   * Operation tables and path types to use instead of the bundled ones: the `api` export of a
   * generated/index.ts, e.g. one written for your tenant by `npx cyberark-pam-client generate`.
   */
  api?: A;
}

/** What Headers.set refuses, with a TypeError that quotes the whole value: CR, LF, NUL, beyond U+00FF. */
const NOT_A_HEADER_VALUE = /[\r\n\0]|[^\u0000-\u00ff]/;

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
  if (!options || typeof options !== "object") throw new ConfigurationError("createCyberArkClient needs an options object");
  const api: ClientApi = options.api ?? bundledApi;
  const strategy = options.auth;
  if (!strategy || typeof strategy.logon !== "function") {
    throw new ConfigurationError("options.auth must be an auth strategy, e.g. vaultLogon({ username, password })");
  }
  const timeoutMs = options.timeoutMs ?? DEFAULT_TIMEOUT_MS;
  checkMilliseconds("timeoutMs", timeoutMs);
  const flowControl = flowControlOf(options.flowControl);
  const deployment = resolveDeployment(options.deployment);
  const logLevel = resolveLogLevel(options.logLevel);
  const allowOtherDeployment = options.allowOperationsOfOtherDeployment ?? false;
  if (typeof allowOtherDeployment !== "boolean") throw new ConfigurationError("allowOperationsOfOtherDeployment must be true or false");

  const secrets = new SecretRegistry();
  const redact = (text: string) => redactText(secrets.redact(text));
  const logger = createLogger(options.logger, secrets, logLevel);
  let transport: Transport;
  try {
    transport = createTransport(
      { ...options.tls, proxy: options.proxy, connectTimeoutMs: options.connectTimeoutMs, maxResponseBytes: options.maxResponseBytes },
      logger,
    );
  } catch (error) {
    // The transport's own option checks (proxy URL, sizes, timeouts): messages that never echo a
    // proxy's credentials, reported like every other bad option.
    if (error instanceof TypeError || error instanceof RangeError) throw new ConfigurationError(error.message);
    throw error;
  }
  const cookies = new CookieJar();
  // close() ends calls (through each call's signal) and logons (through their requests' signal).
  const closing = new AbortController();
  // Every call in flight listens to it: any number is expected, not a leak.
  setMaxListeners(0, closing.signal);
  const authExchange = createExchange({ send: transport.send, cookies, pinCookies: true });
  const authContext: AuthContext = createAuthContext({
    deployment, exchange: authExchange, read: transport.read, secrets, logger, timeoutMs, what: `logon (${strategy.name})`, stop: closing.signal,
  });
  // logoff(): as a logon's requests, but its failures name the logoff.
  const logoffContext: AuthContext = createAuthContext({
    deployment, exchange: authExchange, read: transport.read, secrets, logger, timeoutMs, what: `logoff (${strategy.name})`, stop: closing.signal, phase: "logoff",
  });
  // The logoff close() sends: not stopped by the close itself, but bounded.
  const closeContext: AuthContext = createAuthContext({
    deployment, exchange: authExchange, read: transport.read, secrets, logger, timeoutMs: Math.min(timeoutMs || LOGOFF_ON_CLOSE_MS, LOGOFF_ON_CLOSE_MS), what: `logoff (${strategy.name})`, phase: "logoff",
  });
  const retry = mergeRetry(DEFAULT_RETRY, options.retry);

  const logonTry = async (): Promise<Session> => {
    try {
      return await strategy.logon(authContext);
    } catch (error) {
      throw sealError(error, redact);
    }
  };
  const logonOnce = async (): Promise<Session> => {
    if (closing.signal.aborted) throw new TransportClosedError();
    // This logon's secrets replace those of the one before the last (see secret-registry.ts).
    secrets.nextGeneration();
    logger.info("logging on", { method: strategy.name });
    try {
      const session = await logonWithRetries(logonTry, {
        retries: Math.min(retry.limit, LOGON_RETRIES),
        baseDelayMs: retry.baseDelayMs,
        maxDelayMs: retry.maxDelayMs,
        mayRetry: () => !closing.signal.aborted && strategy.mayRetryLogon?.() !== false,
        cancel: closing.signal,
      });
      secrets.add(session.token);
      if (NOT_A_HEADER_VALUE.test(session.authorization)) {
        throw new ConfigurationError(
          `the ${strategy.name} logon gave a session token that cannot be sent in an HTTP header (it holds CR, LF, NUL or a character above U+00FF)`,
        );
      }
      logger.info("logged on", { method: strategy.name, expiresAt: session.expiresAt });
      return session;
    } catch (error) {
      if (closing.signal.aborted) throw new TransportClosedError();
      logger.warn("logon failed", { method: strategy.name, error });
      throw error;
    }
  };
  const session = new SessionManager(logonOnce);
  const pipeline = createPipeline({
    exchange: createExchange({ send: transport.send, cookies }),
    read: transport.read,
    session,
    tokenOrigins: deployment.tokenOrigins,
    canRenew: strategy.canRenew !== false,
    hooks: options.hooks,
    logger,
    logRequests: enabled(logger, "debug"),
    logRetries: enabled(logger, "info"),
    secrets,
    flowControl,
  });
  const checkOperation = operationAvailability({ deployment: deployment.type, allowOtherDeployment, logger });
  const typed = <P extends {}>(baseUrl: string, operations: OperationTable) =>
    createTypedClient<P>({ baseUrl, pipeline, operations, timeoutMs, retry, redact, closing: closing.signal, checkOperation });

  const logoffSession = async (current: Session | undefined, context: AuthContext): Promise<void> => {
    cookies.clear();
    secrets.sessionEnded();
    if (!current || !strategy.logoff) return;
    logger.info("logging off", { method: strategy.name });
    try {
      await strategy.logoff(context, current);
    } catch (error) {
      throw sealError(error, redact);
    }
  };
  const logoff = async (): Promise<void> => {
    if (closing.signal.aborted) throw new TransportClosedError();
    await session.settled();
    await logoffSession(session.clear(), logoffContext);
  };
  let closed: Promise<void> | undefined;
  const close = (): Promise<void> => {
    closed ??= (async () => {
      // From here: no new call, no new logon; waiting calls and a logon under way end now.
      closing.abort(new TransportClosedError());
      try {
        await logoffSession(session.clear(), closeContext);
      } catch (error) {
        // Error, not warn: close() swallows it, and the session may stay open on the vault until it times out.
        logger.error("logoff failed while closing the client", { error });
      } finally {
        await transport.close();
      }
    })();
    return closed;
  };

  const gen2 = typed<{}>(deployment.gen2Base, api.gen2);
  const pcloud = deployment.pcloudBase === undefined ? undefined : typed<{}>(deployment.pcloudBase, api.pcloud);
  // Types are bound by the return cast; at run time paging only needs the tables.
  const gen2Paginate = bindPaginate<{}, ClientApiTable>(gen2 as unknown as PagingClient, api.gen2);
  const pcloudPaginate: ApiPaginate<{}, ClientApiTable> = (path, init, paginateOptions) => {
    if (!pcloud) throw new ConfigurationError("paginate.pcloud is only available for Privilege Cloud deployments");
    return bindPaginate<{}, ClientApiTable>(pcloud as unknown as PagingClient, api.pcloud)(path, init, paginateOptions);
  };
  const client: CyberArkClient<Deployment, ClientApi> = {
    gen2,
    gen1: typed<{}>(deployment.gen1Base, api.gen1),
    pcloud,
    paginate: Object.assign(gen2Paginate, { pcloud: pcloudPaginate }),
    deployment,
    async logon() {
      await session.acquire();
    },
    logoff,
    close,
    [Symbol.asyncDispose]: close,
    sessionInfo() {
      const active = session.current();
      const expiresAt = active?.session.expiresAt;
      return { loggedOn: active !== undefined, expiresAt: expiresAt === undefined ? undefined : new Date(expiresAt) };
    },
    operation: (base, method, path) => lookupOperation(api[base], method.toUpperCase(), path),
  };
  return client as unknown as CyberArkClient<D, A>;
}

/** The generated table row of an operation, without a client (e.g. to check minVersion up front). */
export function describeOperation(base: ApiBase, method: string, path: string): OperationInfo | undefined {
  return lookupOperation(bundledApi[base] as OperationTable, method.toUpperCase(), path);
}
