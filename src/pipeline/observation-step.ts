// Caller hooks and request logging, as three steps at their places in the pipeline:
// - observeCall wraps the whole call: afterResponse hooks and the response log see the final response;
// - beforeRequestHooks runs for every attempt (retries, the replay after a fresh logon), before the
//   session step adds Authorization and the exchange adds cookies, so hooks never see those;
// - logAttempt logs each request as it leaves, after the logon: the logger can then redact the
//   credentials, which the client only knows once the auth strategy has registered them.
// Retries report through a RetryObserver.
import type { Hooks, RequestInfo, RetryInfo } from "../core/hooks.js";
import { urlText } from "../logging/url-text.js";
import type { Logger } from "../logging/logger.js";
import type { SecretRegistry } from "../logging/secret-registry.js";
import { copyResponse } from "../transport/response-copy.js";
import type { Call, Step } from "./call.js";

export interface ObservationOptions {
  hooks: Hooks | undefined;
  logger: Logger;
  /** Emit per-request debug events (only when the client's logger passes debug). */
  logRequests: boolean;
  /** Emit an info event per retry or replay (only when the client's logger passes info). */
  logRetries?: boolean | undefined;
  secrets: SecretRegistry;
}

/** Told before each retry or replay, before its wait. */
export type RetryObserver = (call: Call, reason: RetryInfo["reason"], delayMs: number, status?: number) => Promise<void>;

function infoOf(call: Call): RequestInfo {
  return {
    method: call.request.method,
    url: call.request.url,
    pathTemplate: call.pathTemplate,
    operationId: call.operation?.operationId,
    attempt: call.record.attempts,
  };
}

export function retryObserver({ hooks, logger, logRetries }: ObservationOptions): RetryObserver {
  const retryHooks = hooks?.beforeRetry ?? [];
  return async (call, reason, delayMs, status) => {
    // Checked first: below the level, the message is not even built.
    if (logRetries) {
      logger.info(`retrying ${call.request.method} ${urlText(call.request.url)}: ${reason}`, { delayMs, status, attempt: call.record.attempts });
    }
    if (retryHooks.length === 0) return;
    const info: RetryInfo = { ...infoOf(call), reason, delayMs };
    if (status !== undefined) info.status = status;
    for (const hook of retryHooks) await hook(info);
  };
}

/** Per attempt: beforeRequest hooks, on a standard Request whose headers are then sent. */
export function beforeRequestHooks({ hooks }: ObservationOptions): Step {
  const before = hooks?.beforeRequest ?? [];
  // Nothing to observe: no step at all (one async frame less on every request).
  if (before.length === 0) return (next) => next;
  return (next) => async (call: Call) => {
    const { method, url, headers, body } = call.request;
    const request = new Request(url, { method, headers, body });
    // The constructor adds a Content-Type for a string body that has none: not ours to send.
    if (!headers.has("content-type")) request.headers.delete("content-type");
    for (const hook of before) await hook(request, infoOf(call));
    return next({ ...call, request: { ...call.request, headers: request.headers } });
  };
}

/** Per request sent: the debug log line. */
export function logAttempt({ logger, logRequests }: ObservationOptions): Step {
  if (!logRequests) return (next) => next;
  return (next) => (call: Call) => {
    logger.debug("request", { method: call.request.method, url: urlText(call.request.url), attempt: call.record.attempts });
    return next(call);
  };
}

/** Per call: the response log and afterResponse hooks, on the final response. */
export function observeCall({ hooks, logger, logRequests, secrets }: ObservationOptions): Step {
  const after = hooks?.afterResponse ?? [];
  if (after.length === 0 && !logRequests) return (next) => next;
  return (next) => async (call: Call) => {
    const startedAt = Date.now();
    let response = await next(call);
    if (logRequests) {
      logger.debug("response", {
        method: call.request.method,
        url: urlText(call.request.url),
        status: response.status,
        attempts: call.record.attempts,
        durationMs: Date.now() - startedAt,
      });
    }
    if (after.length > 0) {
      // Hooks get a body to read even when the pipeline already read it (see Call.readBody).
      const read = call.record.body;
      if (read !== undefined && read.response === response) response = copyResponse(response, read.bytes);
      // Hooks are caller code that may log what they get: header values holding known secrets (a
      // server echoing the token in WWW-Authenticate...) are replaced first.
      response = withRedactedHeaders(response, secrets);
      for (const hook of after) response = (await hook(response, infoOf(call))) ?? response;
    }
    return response;
  };
}

function withRedactedHeaders(response: Response, secrets: SecretRegistry): Response {
  const entries = [...response.headers];
  // Usually nothing to hide: then the response itself, not a copy.
  if (!entries.some(([, value]) => secrets.redact(value) !== value)) return response;
  const redacted = entries.map(([name, value]): [string, string] => [name, secrets.redact(value)]);
  return copyResponse(response, response.body, redacted);
}
