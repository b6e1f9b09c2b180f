// Assembles one client from its parts: deployment roots, transport, cookie jar, session, pipeline
// and one typed wrapper per API base. Generic over the path types so src/client.ts can bind the
// generated ones. Nothing here is process-wide: two clients share no tokens, cookies or settings.
import type { AuthContext, AuthStrategy } from "../auth/types.js";
import { resolveDeployment, type Deployment, type ResolvedDeployment } from "../deployment.js";
import { CyberArkError } from "../errors/base.js";
import { ConfigurationError } from "../errors/configuration.js";
import { describeNetworkFailure, NetworkError } from "../errors/network.js";
import { TimeoutError } from "../errors/timeout.js";
import { sealError } from "../errors/seal.js";
import { createLogger, type Logger } from "../logging/logger.js";
import { redactText } from "../logging/redact.js";
import { SecretRegistry } from "../logging/secret-registry.js";
import { serializePath } from "../paths/path-serializer.js";
import { bodilessRequestClass } from "../transport/bodiless-request.js";
import type { DispatcherTlsOptions } from "../transport/dispatcher.js";
import { createTransport, type Transport } from "../transport/transport.js";
import { createAuthContext } from "./auth-context.js";
import { CookieJar } from "./cookie-jar.js";
import type { Hooks } from "./hooks.js";
import { lookupOperation, type OperationInfo, type OperationTable } from "./operation.js";
import { createPipeline } from "./pipeline.js";
import { DEFAULT_RETRY, mergeRetry, type RetryOverrides } from "./retry-policy.js";
import { SessionManager, type Session } from "./session.js";
import { createTypedClient, type TypedClient } from "./typed-client.js";
import { DispatchPacer } from "./dispatch-pacer.js";
import { Cancellation } from "./cancellation.js";
import { checkMilliseconds } from "./time-limit.js";
import { logonWithRetries } from "./logon-retry.js";
import { TransportClosedError } from "../errors/transport-closed.js";

export const DEFAULT_TIMEOUT_MS = 60_000;
/** Logon retries after a passing failure (fewer when the client's retry limit is lower). */
const LOGON_RETRIES = 2;
/** The logoff that close() sends waits at most this long: closing must not hang on a slow server. */
const LOGOFF_ON_CLOSE_MS = 5_000;

/** The `tls` option: trust, client certificate (PKI logon) and, for labs only, skipping verification. */
export type TlsOptions = DispatcherTlsOptions;

export interface CyberArkClientOptions<D extends Deployment = Deployment> {
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
  /** Receives redacted log events. */
  logger?: Partial<Logger>;
  hooks?: Hooks;
  /** Largest accepted response body in bytes (default 50 MiB). */
  maxResponseBytes?: number;
}

export type ApiBase = "gen2" | "gen1" | "pcloud";

export interface ClientTables {
  gen2: OperationTable;
  gen1: OperationTable;
  pcloud: OperationTable;
}

export interface ClientCore<Gen2 extends {}, Gen1 extends {}, Pcloud extends {}> {
  readonly gen2: TypedClient<Gen2>;
  readonly gen1: TypedClient<Gen1>;
  readonly pcloud: TypedClient<Pcloud> | undefined;
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

function isTimeoutLike(error: unknown): boolean {
  return error instanceof Error && (error.name === "TimeoutError" || error.name === "AbortError");
}

/** Every logon or logoff failure as a CyberArkError (timeouts and sockets get their own), its text redacted. */
function logonError(error: unknown, timeoutMs: number, strategy: string, secrets: SecretRegistry): CyberArkError {
  const redact = (text: string) => redactText(secrets.redact(text));
  if (error instanceof CyberArkError) return sealError(error, redact);
  if (isTimeoutLike(error)) return new TimeoutError(timeoutMs, `logon (${strategy})`);
  if (error instanceof TypeError && (error as { cause?: unknown }).cause !== undefined) {
    return new NetworkError(redact(`logon (${strategy}) got no response: ${describeNetworkFailure(error)}`), {
      method: "POST",
      urlPath: "(logon)",
    });
  }
  return sealError(error, redact);
}

/** What Headers.set refuses, with a TypeError that quotes the whole value: CR, LF, NUL, beyond U+00FF. */
const NOT_A_HEADER_VALUE = /[\r\n\0]|[^\u0000-\u00ff]/;

export function createClientCore<Gen2 extends {}, Gen1 extends {}, Pcloud extends {}>(
  options: CyberArkClientOptions,
  tables: ClientTables,
): ClientCore<Gen2, Gen1, Pcloud> {
  if (!options || typeof options !== "object") throw new ConfigurationError("createCyberArkClient needs an options object");
  const strategy = options.auth;
  if (!strategy || typeof strategy.logon !== "function") {
    throw new ConfigurationError("options.auth must be an auth strategy, e.g. vaultLogon({ username, password })");
  }
  const timeoutMs = options.timeoutMs ?? DEFAULT_TIMEOUT_MS;
  checkMilliseconds("timeoutMs", timeoutMs);
  const deployment = resolveDeployment(options.deployment);

  const secrets = new SecretRegistry();
  const logger = createLogger(options.logger, secrets);
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
  const exchange = { transport, cookies };
  // close() ends calls (through each call's cancellation) and logons (through their requests' signal).
  const closing = new Cancellation();
  const stopLogons = new AbortController();
  const authExchange = { ...exchange, pinCookies: true };
  const authContext: AuthContext = createAuthContext({ deployment, exchange: authExchange, secrets, logger, timeoutMs, stop: stopLogons.signal });
  // The logoff close() sends: not stopped by the close itself, but bounded.
  const closeContext: AuthContext = createAuthContext({ deployment, exchange: authExchange, secrets, logger, timeoutMs: Math.min(timeoutMs || LOGOFF_ON_CLOSE_MS, LOGOFF_ON_CLOSE_MS) });
  const retry = mergeRetry(DEFAULT_RETRY, options.retry);

  const logonTry = async (): Promise<Session> => {
    try {
      return await strategy.logon(authContext);
    } catch (error) {
      throw logonError(error, timeoutMs, strategy.name, secrets);
    }
  };
  const logonOnce = async (): Promise<Session> => {
    if (closing.aborted) throw new TransportClosedError();
    // This logon's secrets replace those of the one before the last (see secret-registry.ts).
    secrets.nextGeneration();
    logger.info("logging on", { method: strategy.name });
    try {
      const session = await logonWithRetries(logonTry, {
        retries: Math.min(retry.limit, LOGON_RETRIES),
        baseDelayMs: retry.baseDelayMs,
        maxDelayMs: retry.maxDelayMs,
        mayRetry: () => !closing.aborted && strategy.mayRetryLogon?.() !== false,
        cancel: closing,
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
      if (closing.aborted) throw new TransportClosedError();
      logger.warn("logon failed", { method: strategy.name, error });
      throw error;
    }
  };
  const session = new SessionManager(logonOnce);
  const pipeline = createPipeline({
    exchange,
    session,
    tokenOrigins: deployment.tokenOrigins,
    canRenew: strategy.canRenew !== false,
    hooks: options.hooks,
    logger,
    logRequests: options.logger !== undefined,
    secrets,
    pacer: new DispatchPacer(),
  });
  const redact = (text: string) => redactText(secrets.redact(text));
  // Typed calls build their requests with this: a real Request only when a beforeRequest hook
  // will see it (or the request is not a plain bodiless one), a cheaper stand-in otherwise.
  const hooks = options.hooks;
  const RequestClass = bodilessRequestClass(transport.Request, () => !hooks?.beforeRequest?.length);
  const typed = <P extends {}>(baseUrl: string, operations: OperationTable) =>
    createTypedClient<P>({ baseUrl, pipeline, Request: RequestClass, pathSerializer: serializePath, operations, timeoutMs, retry, redact, closing });

  const logoffSession = async (current: Session | undefined, context: AuthContext): Promise<void> => {
    cookies.clear();
    secrets.sessionEnded();
    if (!current || !strategy.logoff) return;
    logger.info("logging off", { method: strategy.name });
    try {
      await strategy.logoff(context, current);
    } catch (error) {
      throw logonError(error, timeoutMs, strategy.name, secrets);
    }
  };
  const logoff = async (): Promise<void> => {
    if (closing.aborted) throw new TransportClosedError();
    await session.settled();
    await logoffSession(session.clear(), authContext);
  };
  let closed: Promise<void> | undefined;
  const close = (): Promise<void> => {
    closed ??= (async () => {
      // From here: no new call, no new logon; waiting calls and a logon under way end now.
      closing.abort(new TransportClosedError());
      stopLogons.abort(new TransportClosedError());
      try {
        await logoffSession(session.clear(), closeContext);
      } catch (error) {
        logger.warn("logoff failed while closing the client", { error });
      } finally {
        await transport.close();
      }
    })();
    return closed;
  };

  return {
    gen2: typed<Gen2>(deployment.gen2Base, tables.gen2),
    gen1: typed<Gen1>(deployment.gen1Base, tables.gen1),
    pcloud: deployment.pcloudBase === undefined ? undefined : typed<Pcloud>(deployment.pcloudBase, tables.pcloud),
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
    operation: (base, method, path) => lookupOperation(tables[base], method.toUpperCase(), path),
  };
}
