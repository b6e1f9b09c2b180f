// The client's pipeline for API calls, outermost step first:
//   observeCall (afterResponse hooks, response log) → retry (the attempts, the retry quota)
//   → concurrency limit → rate limit (adaptive, learnt from 429s)
//   → beforeRequestHooks → session (Authorization, 401 renewal) → logAttempt (request log)
//   → exchange (cookies, redirects) → transport.
// Each step is one file with its own tests; the call (call.ts) carries all state from step to step.
import type { Hooks } from "../core/hooks.js";
import type { SessionManager } from "../core/session.js";
import type { Logger } from "../logging/logger.js";
import type { SecretRegistry } from "../logging/secret-registry.js";
import { AdaptiveRate } from "./adaptive-rate.js";
import { pipe, type Send } from "./call.js";
import { concurrencyStep } from "./concurrency-step.js";
import type { ExchangeSend } from "./exchange.js";
import type { FlowControlOptions } from "./flow-control.js";
import type { Transport } from "../transport/transport.js";
import { beforeRequestHooks, logAttempt, observeCall, retryObserver } from "./observation-step.js";
import { rateLimitStep } from "./rate-limit-step.js";
import { RetryQuota } from "./retry-quota.js";
import { retryStep } from "./retry-step.js";
import { sessionStep } from "./session-step.js";

export interface PipelineOptions {
  exchange: ExchangeSend;
  /** The transport's body read (a cut body becomes a NetworkError of the attempt). */
  read: Transport["read"];
  session: SessionManager;
  tokenOrigins: ReadonlySet<string>;
  canRenew: boolean;
  hooks: Hooks | undefined;
  logger: Logger;
  logRequests: boolean;
  /** Log each retry and replay (info). */
  logRetries?: boolean | undefined;
  secrets: SecretRegistry;
  flowControl: Readonly<FlowControlOptions>;
}

export function createPipeline(options: PipelineOptions): Send {
  const observation = { hooks: options.hooks, logger: options.logger, logRequests: options.logRequests, logRetries: options.logRetries, secrets: options.secrets };
  const beforeRetry = retryObserver(observation);
  const { maxConcurrentRequests, adaptiveRate, retryQuota } = options.flowControl;
  return pipe(
    [
      observeCall(observation),
      retryStep({ beforeRetry, quota: new RetryQuota(retryQuota) }),
      concurrencyStep(maxConcurrentRequests),
      // Inside the concurrency limit: a call that got a place takes its turn at the learnt rate, so
      // calls queued before a 429 do not all leave after it.
      ...(adaptiveRate ? [rateLimitStep(new AdaptiveRate())] : []),
      beforeRequestHooks(observation),
      sessionStep({ session: options.session, tokenOrigins: options.tokenOrigins, canRenew: options.canRenew }),
      logAttempt(observation),
    ],
    async (call) => {
      const response = await options.exchange(call.request, { signal: call.signal });
      if (call.readBody && response.body !== null) {
        call.record.body = { response, bytes: await options.read(response, call.request, { signal: call.signal }) };
      }
      return response;
    },
  );
}
