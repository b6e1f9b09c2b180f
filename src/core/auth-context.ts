// Builds the AuthContext strategies use: logon-side requests share the client's cookies (so a
// load balancer keeps the session on one node) and TLS settings, but skip hooks, Authorization
// injection and retries, and each has its own time limit.
import type { AuthContext, AuthRequest } from "../auth/types.js";
import type { ResolvedDeployment } from "../deployment.js";
import { createHttpError } from "../errors/from-response.js";
import type { Logger } from "../logging/logger.js";
import type { SecretRegistry } from "../logging/secret-registry.js";
import { exchange, type Exchange } from "./send.js";

export function createAuthContext(deps: {
  deployment: ResolvedDeployment;
  exchange: Exchange;
  secrets: SecretRegistry;
  logger: Logger;
  timeoutMs: number;
  /** Ends every request of this context at once (logons, when the client closes). */
  stop?: AbortSignal;
}): AuthContext {
  const RequestClass = deps.exchange.transport.Request;
  return {
    deployment: deps.deployment,
    logger: deps.logger,
    secret: (value) => deps.secrets.add(value),
    send(url: string, request: AuthRequest): Promise<Response> {
      const timeout = Number.isFinite(deps.timeoutMs) && deps.timeoutMs > 0 ? AbortSignal.timeout(deps.timeoutMs) : undefined;
      const signal = timeout && deps.stop ? AbortSignal.any([timeout, deps.stop]) : (timeout ?? deps.stop);
      const build = () =>
        new RequestClass(url, {
          method: request.method,
          headers: request.headers,
          body: request.body,
          redirect: "manual",
        });
      return exchange(deps.exchange, build(), build, signal);
    },
    async fail(response, url, method, bodyText) {
      const text = bodyText ?? (await response.text().catch(() => ""));
      return createHttpError(response.status, text, response.headers.get("content-type"), {
        method,
        url,
        duringLogon: true,
        redact: (t) => deps.secrets.redact(t),
      });
    },
  };
}
