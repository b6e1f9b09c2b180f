// The loop over a call's attempts. Retries by the rules of core/retry-policy.ts: 429 for any method,
// 5xx and network errors for the retry methods when no credential changes and the client's retry
// quota allows, each after an abortable wait; and the one replay after a 401 that the session step
// renewed the session for. The final
// response, retried or not, goes back to the caller; turning it into an error is the typed client's job.
import { parseErrorBody } from "../errors/from-response.js";
import { NetworkError } from "../errors/network.js";
import { mayRetryServerError, planRetry, type RetryState } from "../core/retry-policy.js";
import { sleep } from "../core/wait.js";
import { bodyOf, type Call, type Step } from "./call.js";
import { discard } from "./discard.js";
import type { RetryObserver } from "./observation-step.js";
import type { RetryQuota } from "./retry-quota.js";

export interface RetryStepOptions {
  beforeRetry: RetryObserver;
  /** The client's retry quota, spent by retries after 5xx and network errors. */
  quota: RetryQuota;
}

export function retryStep({ beforeRetry, quota }: RetryStepOptions): Step {
  return (next) => async (call: Call) => {
    const state: RetryState = {
      method: call.request.method,
      secretChange: call.operation?.secretChange === true,
      startedAt: Date.now(),
      rateLimitRetries: 0,
      otherRetries: 0,
    };
    for (;;) {
      call.record.attempts++;
      const renewedBefore = call.record.afterRelogon;
      let response: Response;
      try {
        response = await next(call);
      } catch (error) {
        // Only a request that got no answer is sent again; our own refusals and aborts are final.
        if (!(error instanceof NetworkError) || !error.retriable || call.signal.aborted) throw error;
        const plan = planRetry(call.retry, state, { type: "network-error" });
        if (!plan.retry || !quota.take()) throw error;
        state.otherRetries++;
        await beforeRetry(call, plan.reason, plan.delayMs);
        await sleep(plan.delayMs, call.signal);
        continue;
      }

      const status = response.status;
      if (status === 401 && call.record.afterRelogon && !renewedBefore) {
        // The session step logged on again for this very 401: send once more, whatever the retry rules.
        discard(response);
        await beforeRetry(call, "session-renewed", 0, 401);
        continue;
      }
      if (status !== 429 && status < 500) {
        if (status < 400) quota.succeeded(state.otherRetries);
        return response;
      }
      let errorCode: string | undefined;
      if (status === 500) {
        if (!mayRetryServerError(call.retry, state)) return response;
        // CyberArk answers many logical errors with 500: the body's ErrorCode decides.
        const bytes = await bodyOf(call.record, response);
        errorCode = parseErrorBody(new TextDecoder().decode(bytes), response.headers.get("content-type")).errorCode;
        // Kept for the typed client, which builds the caller's error from the same body.
        call.record.body = { response, bytes };
      }
      const plan = planRetry(call.retry, state, { type: "status", status, retryAfter: response.headers.get("retry-after"), errorCode });
      if (!plan.retry) {
        call.record.retryAfterMs = plan.retryAfterMs;
        return response;
      }
      if (plan.reason === "rate-limited") state.rateLimitRetries++;
      else if (quota.take()) state.otherRetries++;
      else return response;
      discard(response);
      await beforeRetry(call, plan.reason, plan.delayMs, status);
      await sleep(plan.delayMs, call.signal);
    }
  };
}
