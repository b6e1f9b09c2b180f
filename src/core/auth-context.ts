// Builds the AuthContext strategies use: logon-side requests share the client's cookies (so a
// load balancer keeps the session on one node) and TLS settings, but skip hooks, Authorization
// injection and retries, and each has its own time limit. Their failures without an answer (no
// connection, the time limit) say which logon it was and which host it tried: a logon often goes to
// another host than the calls (Identity for a platform token), and "ECONNREFUSED" alone names none.
import type { AuthContext, AuthRequest } from "../auth/types.js";
import type { ResolvedDeployment } from "../deployment.js";
import { createHttpError } from "../errors/from-response.js";
import { NetworkError } from "../errors/network.js";
import type { Logger } from "../logging/logger.js";
import type { SecretRegistry } from "../logging/secret-registry.js";
import { urlText } from "../logging/url-text.js";
import type { ExchangeSend } from "../pipeline/exchange.js";
import { copyResponse } from "../transport/response-copy.js";
import type { Transport } from "../transport/transport.js";
import { callSignal } from "./call-signal.js";

export function createAuthContext(deps: {
  deployment: ResolvedDeployment;
  /** The client's exchange, keeping the cookies logon answers set. */
  exchange: ExchangeSend;
  /** The transport's body read. */
  read: Transport["read"];
  secrets: SecretRegistry;
  logger: Logger;
  timeoutMs: number;
  /** Names the strategy in time-limit errors, e.g. "logon (cyberark)". */
  what: string;
  /** What the requests are for (default "logon"): a refused logoff is an ordinary HTTP error, never a refused logon. */
  phase?: "logon" | "logoff";
  /** Ends every request of this context at once (logons, when the client closes). */
  stop?: AbortSignal;
}): AuthContext {
  return {
    deployment: deps.deployment,
    logger: deps.logger,
    secret: (value) => deps.secrets.add(value),
    async send(url: string, request: AuthRequest): Promise<Response> {
      const urlPath = urlText(url);
      const { signal, dispose } = callSignal({
        what: `${deps.what}: ${request.method} ${urlPath} to ${hostOf(url)}`,
        timeoutMs: deps.timeoutMs,
        closing: deps.stop,
      });
      const headers = new Headers(request.headers);
      let body: string | null = null;
      if (request.body instanceof URLSearchParams) {
        body = request.body.toString();
        if (!headers.has("content-type")) headers.set("content-type", "application/x-www-form-urlencoded;charset=UTF-8");
      } else if (request.body !== undefined) {
        body = request.body;
        if (!headers.has("content-type")) headers.set("content-type", "text/plain;charset=UTF-8");
      }
      try {
        // Read whole within the time limit: strategies then parse it without waiting on the network.
        const sent = { method: request.method, url, headers, body };
        const response = await deps.exchange(sent, { signal });
        return response.body === null ? response : copyResponse(response, await deps.read(response, sent, { signal }));
      } catch (error) {
        // The transport's NetworkError names the request and host; this says it was the logon (or logoff).
        if (error instanceof NetworkError && !signal.aborted) {
          throw new NetworkError(`${deps.what}: ${error.message}`, { method: error.method, urlPath: error.urlPath, cause: error.cause, retriable: error.retriable });
        }
        throw error;
      } finally {
        dispose();
      }
    },
    async fail(response, url, method, bodyText) {
      const text = bodyText ?? (await response.text().catch(() => ""));
      const logoff = deps.phase === "logoff";
      return createHttpError(response.status, text, response.headers.get("content-type"), {
        method,
        url,
        duringLogon: !logoff,
        duringLogoff: logoff,
        redact: (t) => deps.secrets.redact(t),
      });
    },
  };
}

/** "host" or "host:port" (URL drops a scheme's default port). */
function hostOf(url: string): string {
  try {
    return new URL(url).host;
  } catch {
    return "(invalid URL)";
  }
}
