// The heart of the client: a fetch-compatible function that openapi-fetch calls for every typed
// request. Per attempt it:
//   1. waits for the session (one shared logon for all concurrent callers),
//   2. runs beforeRequest hooks, then sets Authorization only for the deployment's own origins,
//   3. sends through `exchange` (cookies, manual redirects, cross-origin refusal),
//   4. on 401 logs on again once and replays the request with its body,
//   5. on 429 / 5xx / network errors asks the retry policy and waits (abortable),
// and returns the final response; turning non-2xx into typed errors is the caller's job.
// Requests with a body are cloned per attempt (the original is never sent, so it can be cloned
// again); bodiless requests are simply sent again, which keeps the common GET path cheap.
import { CyberArkError } from "../errors/base.js";
import { parseErrorBody, redactedUrlPath } from "../errors/from-response.js";
import { describeNetworkFailure, NetworkError } from "../errors/network.js";
import type { Logger } from "../logging/logger.js";
import type { SecretRegistry } from "../logging/secret-registry.js";
import type { Hooks, RequestInfo, RetryInfo } from "./hooks.js";
import type { OperationInfo } from "./operation.js";
import { mayRetryServerError, planRetry, type RetryOptions, type RetryState } from "./retry-policy.js";
import { copyResponse } from "../transport/response-copy.js";
import { exchange, originOf, type Exchange } from "./send.js";
import type { ActiveSession, SessionManager } from "./session.js";
import { sleep, untilAborted } from "./wait.js";
import type { DispatchPacer } from "./dispatch-pacer.js";
import type { Cancellation } from "./cancellation.js";

/** Per-call state shared by the typed wrapper and the pipeline. */
export interface CallContext {
  pathTemplate: string | undefined;
  operation: OperationInfo | undefined;
  retry: Readonly<RetryOptions>;
  /** Fires on caller abort or timeout; its reason is the error to throw. */
  cancel: Cancellation | undefined;
  /** Filled in by the pipeline, read when building an error. */
  attempts: number;
  afterRelogon: boolean;
  retryAfterMs: number | undefined;
}

export interface PipelineDeps {
  exchange: Exchange;
  session: SessionManager;
  /** Origins the session's Authorization header may go to. */
  tokenOrigins: ReadonlySet<string>;
  /** False for a fixed token: a 401 cannot be cured by logging on again. */
  canRenew: boolean;
  hooks: Hooks | undefined;
  logger: Logger;
  /** Emit per-request debug events (only when the caller gave a logger). */
  logRequests: boolean;
  secrets: SecretRegistry;
  /** Spreads bursts of sends over event-loop turns, so a thousand calls do not block the loop. */
  pacer: DispatchPacer;
}

export type Pipeline = (request: Request, ctx: CallContext) => Promise<Response>;

export function newCallContext(pathTemplate: string | undefined, operation: OperationInfo | undefined, retry: Readonly<RetryOptions>, cancel: Cancellation | undefined): CallContext {
  return { pathTemplate, operation, retry, cancel, attempts: 0, afterRelogon: false, retryAfterMs: undefined };
}

function rethrowIfAborted(cancel: Cancellation | undefined): void {
  if (cancel?.aborted) throw cancel.reason;
}

const SMALL_BODY = 64 * 1024;

/**
 * Drops a response the caller will not see. A small body is read to its end rather than cancelled:
 * cancelling closes the connection, and the retry or replay that follows would pay for a new one.
 */
function discard(response: Response): void {
  if (response.body === null) return;
  const length = Number(response.headers.get("content-length") ?? Number.NaN);
  if (length <= SMALL_BODY) void response.arrayBuffer().catch(() => undefined);
  else void response.body.cancel().catch(() => undefined);
}

export function createPipeline(deps: PipelineDeps): Pipeline {
  const { hooks, logger, session } = deps;
  // Rebuilt responses use the transport's class, so callers get one kind of Response throughout.
  const ResponseClass = deps.exchange.transport.Response;

  const info = (request: Request, ctx: CallContext): RequestInfo => ({
    method: request.method,
    url: request.url,
    pathTemplate: ctx.pathTemplate,
    operationId: ctx.operation?.operationId,
    attempt: ctx.attempts,
  });

  // Retries can come in floods (a thousand 401s when a session ends): nothing is built for
  // loggers or hooks the caller did not give.
  const retryObserved = deps.logRequests || (hooks?.beforeRetry?.length ?? 0) > 0;

  async function beforeRetry(request: Request, ctx: CallContext, reason: RetryInfo["reason"], delayMs: number, status?: number): Promise<void> {
    if (deps.logRequests) {
      logger.warn(`retrying ${request.method} ${redactedUrlPath(request.url)}: ${reason}`, { delayMs, status, attempt: ctx.attempts });
    }
    if (hooks?.beforeRetry) {
      const retryInfo: RetryInfo = { ...info(request, ctx), reason, delayMs };
      if (status !== undefined) retryInfo.status = status;
      for (const hook of hooks.beforeRetry) await hook(retryInfo);
    }
  }

  function finish(request: Request, response: Response, ctx: CallContext, startedAt: number): Response | Promise<Response> {
    if (!deps.logRequests && !hooks?.afterResponse) return response;
    return observed(request, response, ctx, startedAt);
  }

  async function observed(request: Request, response: Response, ctx: CallContext, startedAt: number): Promise<Response> {
    if (deps.logRequests) {
      logger.debug("response", {
        method: request.method,
        url: redactedUrlPath(request.url),
        status: response.status,
        attempts: ctx.attempts,
        durationMs: Date.now() - startedAt,
      });
    }
    if (hooks?.afterResponse) {
      // Hooks are caller code that may log what they get: they see header values with known
      // secrets (a server echoing the token in WWW-Authenticate...) replaced.
      response = withRedactedHeaders(response, deps.secrets, ResponseClass);
      for (const hook of hooks.afterResponse) {
        const replaced = await hook(response, info(request, ctx));
        if (replaced) response = replaced;
      }
    }
    return response;
  }

  function networkError(error: unknown, request: Request): NetworkError {
    const urlPath = redactedUrlPath(request.url);
    return new NetworkError(
      deps.secrets.redact(`${request.method} ${urlPath} got no response from ${originOf(request.url)}: ${describeNetworkFailure(error)}`),
      { method: request.method, urlPath },
    );
  }

  return async function send(request: Request, ctx: CallContext): Promise<Response> {
    const startedAt = Date.now();
    const hasBody = request.body !== null;
    const authorize = deps.tokenOrigins.has(originOf(request.url));
    let active: ActiveSession | undefined;
    // Set when the wait for a logon already included the pacer's admission.
    let admitted = false;
    if (authorize) {
      active = session.current();
      if (active === undefined) {
        active = await untilAborted(deps.pacer.admitAfter(session.acquire()), ctx.cancel);
        admitted = true;
      }
    }
    let renewed = false;
    let state: RetryState | undefined;
    const replayBody = hasBody ? () => request.clone() : undefined;

    for (;;) {
      if (admitted) admitted = false;
      else {
        const turn = deps.pacer.admit();
        if (turn !== undefined) await untilAborted(turn, ctx.cancel);
      }
      ctx.attempts++;
      const outgoing = hasBody ? request.clone() : request;
      // A bodiless request is sent again as the same object: drop what the last attempt added.
      if (ctx.attempts > 1 && !hasBody) {
        outgoing.headers.delete("authorization");
        outgoing.headers.delete("cookie");
      }
      if (hooks?.beforeRequest) for (const hook of hooks.beforeRequest) await hook(outgoing, info(outgoing, ctx));
      // A token known to be stale never leaves (see session.ts): wait for the logon that replaces it.
      // Through the pacer, like any wait for a logon: a thousand held calls must not all resume in one turn.
      while (active && !session.usable(active)) active = await untilAborted(deps.pacer.admitAfter(session.acquire()), ctx.cancel);
      if (active) outgoing.headers.set("authorization", active.session.authorization);
      if (deps.logRequests) logger.debug("request", { method: outgoing.method, url: redactedUrlPath(outgoing.url), attempt: ctx.attempts });

      let response: Response;
      const answered = active ? session.sending(active) : undefined;
      try {
        response = await exchange(deps.exchange, outgoing, replayBody, ctx.cancel);
      } catch (error) {
        answered?.();
        rethrowIfAborted(ctx.cancel);
        // Our own refusals (unsafe redirect, oversized body) and a closed client are final.
        if (error instanceof CyberArkError) throw error;
        state ??= retryState(request, ctx, startedAt);
        const plan = planRetry(ctx.retry, state, { type: "network-error" });
        if (!plan.retry) throw networkError(error, outgoing);
        state.otherRetries++;
        if (retryObserved) await beforeRetry(outgoing, ctx, plan.reason, plan.delayMs);
        await sleep(plan.delayMs, ctx.cancel);
        continue;
      }

      answered?.();
      const status = response.status;
      if (status < 400) return finish(outgoing, response, ctx, startedAt);

      if (status === 401 && active && deps.canRenew && !renewed) {
        // Once per request: a second 401 goes back to the caller as an AuthenticationError.
        renewed = true;
        discard(response);
        if (retryObserved) await beforeRetry(outgoing, ctx, "session-renewed", 0, 401);
        active = await untilAborted(deps.pacer.admitAfter(session.renew(active.generation)), ctx.cancel);
        admitted = true;
        ctx.afterRelogon = true;
        continue;
      }

      if (status === 429 || status >= 500) {
        state ??= retryState(request, ctx, startedAt);
        let errorCode: string | undefined;
        if (status === 500) {
          if (!mayRetryServerError(ctx.retry, state)) return finish(outgoing, response, ctx, startedAt);
          // Only here is the body read before the caller sees it: its ErrorCode decides.
          const text = await response.text();
          errorCode = parseErrorBody(text, response.headers.get("content-type")).errorCode;
          response = copyResponse(response, text, ResponseClass);
        }
        const plan = planRetry(ctx.retry, state, { type: "status", status, retryAfter: response.headers.get("retry-after"), errorCode });
        if (!plan.retry) {
          ctx.retryAfterMs = plan.retryAfterMs;
          return finish(outgoing, response, ctx, startedAt);
        }
        if (plan.reason === "rate-limited") state.rateLimitRetries++;
        else state.otherRetries++;
        discard(response);
        if (retryObserved) await beforeRetry(outgoing, ctx, plan.reason, plan.delayMs, status);
        await sleep(plan.delayMs, ctx.cancel);
        continue;
      }
      return finish(outgoing, response, ctx, startedAt);
    }
  };
}

function withRedactedHeaders(response: Response, secrets: SecretRegistry, ResponseClass: typeof Response): Response {
  const entries = [...response.headers];
  // Usually nothing to hide: then the response itself, not a copy.
  if (!entries.some(([, value]) => secrets.redact(value) !== value)) return response;
  const redacted = entries.map(([name, value]): [string, string] => [name, secrets.redact(value)]);
  return copyResponse(response, response.body, ResponseClass, redacted);
}


function retryState(request: Request, ctx: CallContext, startedAt: number): RetryState {
  return {
    method: request.method,
    secretChange: ctx.operation?.secretChange === true,
    notIdempotent: ctx.operation?.idempotent === false,
    startedAt,
    rateLimitRetries: 0,
    otherRetries: 0,
  };
}
