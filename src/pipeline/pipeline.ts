// The client's pipeline for API calls, outermost step first:
//   observeCall (afterResponse hooks, response log) → retry (the attempts) → concurrency limit
//   → beforeRequestHooks → session (Authorization, 401 renewal) → logAttempt (request log)
//   → exchange (cookies, redirects) → transport.
// Each step is one file with its own tests; the call (call.ts) carries all state from step to step.
import type { Hooks } from "../core/hooks.js";
import type { SessionManager } from "../core/session.js";
import type { Logger } from "../logging/logger.js";
import type { SecretRegistry } from "../logging/secret-registry.js";
import { pipe, type Send } from "./call.js";
import { concurrencyStep } from "./concurrency-step.js";
import type { ExchangeSend } from "./exchange.js";
import { beforeRequestHooks, logAttempt, observeCall, retryObserver } from "./observation-step.js";
import { retryStep } from "./retry-step.js";
import { sessionStep } from "./session-step.js";

export interface PipelineOptions {
  exchange: ExchangeSend;
  session: SessionManager;
  tokenOrigins: ReadonlySet<string>;
  canRenew: boolean;
  hooks: Hooks | undefined;
  logger: Logger;
  logRequests: boolean;
  secrets: SecretRegistry;
  maxConcurrentRequests: number;
}

export function createPipeline(options: PipelineOptions): Send {
  const observation = { hooks: options.hooks, logger: options.logger, logRequests: options.logRequests, secrets: options.secrets };
  const beforeRetry = retryObserver(observation);
  return pipe(
    [
      observeCall(observation),
      retryStep({ beforeRetry }),
      concurrencyStep(options.maxConcurrentRequests),
      beforeRequestHooks(observation),
      sessionStep({ session: options.session, tokenOrigins: options.tokenOrigins, canRenew: options.canRenew }),
      logAttempt(observation),
    ],
    (call) => options.exchange(call.request, { signal: call.signal, readBody: call.readBody }),
  );
}
