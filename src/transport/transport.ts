// One HTTP transport per client: undici's fetch over a private dispatcher (TLS, proxy, pool), every
// response body size-limited, every failure a typed error. Cancellation is the standard one: the
// call's AbortSignal goes to fetch, which ends the request on the wire before or during the body.
import { fetch as undiciFetch, type RequestInit as UndiciRequestInit } from "undici";
import { CyberArkError } from "../errors/base.js";
import { networkError } from "../errors/network.js";
import { TransportClosedError } from "../errors/transport-closed.js";
import type { Logger } from "../logging/logger.js";
import { limitResponseBody, type LimitableResponse } from "./body-limit.js";
import { createDispatcher, parseProxyUrl, type DispatcherTlsOptions } from "./dispatcher.js";
import type { HttpRequest } from "./http-request.js";

export interface TransportOptions extends DispatcherTlsOptions {
  /** undefined = HTTPS_PROXY/HTTP_PROXY/NO_PROXY from the environment, false = never, string = this proxy. */
  proxy?: string | false;
  connectTimeoutMs?: number;
  /** Largest accepted response body; default 50 MiB. */
  maxResponseBytes?: number;
}

export interface SendOptions {
  /** Ends the request, and the reading of its body; the send then rejects with the signal's reason. */
  signal?: AbortSignal | undefined;
}

export interface Transport {
  /**
   * Sends one request (redirects are returned, not followed); rejects only with CyberArkErrors or the
   * signal's reason. Responses are undici's Response class (the fetch API, as Node's global one).
   */
  send(request: HttpRequest, options?: SendOptions): Promise<Response>;
  /**
   * Reads the whole body of a response `send` gave for `request`, failing as `send` does: a connection
   * cut mid-body is a NetworkError (which a retry can repeat), a stop of the signal its reason.
   */
  read(response: Response, request: HttpRequest, options?: SendOptions): Promise<ArrayBuffer>;
  close(): Promise<void>;
}

export const DEFAULT_MAX_RESPONSE_BYTES = 50 * 1024 * 1024;
export const DEFAULT_CONNECT_TIMEOUT_MS = 10_000;

function positiveInteger(name: string, value: number | undefined, fallback: number): number {
  if (value === undefined) return fallback;
  if (!Number.isFinite(value) || value <= 0) {
    throw new RangeError(`The transport option ${name} must be a positive number, got ${String(value)}`);
  }
  return Math.floor(value);
}

export { TransportClosedError };

export function createTransport(options: TransportOptions, logger: Logger): Transport {
  const maxResponseBytes = positiveInteger("maxResponseBytes", options.maxResponseBytes, DEFAULT_MAX_RESPONSE_BYTES);
  const connectTimeoutMs = positiveInteger("connectTimeoutMs", options.connectTimeoutMs, DEFAULT_CONNECT_TIMEOUT_MS);
  if (typeof options.proxy === "string") parseProxyUrl(options.proxy);

  const dispatcher = createDispatcher({ ...options, connectTimeoutMs });
  const insecure = options.insecureSkipVerify === true;
  let warnedInsecure = false;
  let closed = false;

  async function send(request: HttpRequest, sendOptions: SendOptions = {}): Promise<Response> {
    const { signal } = sendOptions;
    if (closed) throw new TransportClosedError();
    if (signal?.aborted) throw signal.reason;
    if (insecure && !warnedInsecure) {
      warnedInsecure = true;
      logger.warn(
        "TLS certificate verification is disabled (insecureSkipVerify): the server's identity is not checked. " +
          "Use the `ca` option instead outside of throwaway labs.",
      );
    }
    const init: UndiciRequestInit = {
      method: request.method,
      headers: request.headers as unknown as UndiciRequestInit["headers"],
      body: request.body,
      redirect: "manual",
      dispatcher,
    };
    if (signal) init.signal = signal;
    try {
      const answer = await undiciFetch(request.url, init);
      return limitResponseBody(answer as unknown as LimitableResponse, maxResponseBytes, request.method) as unknown as Response;
    } catch (error) {
      throw failure(error, request, signal);
    }
  }

  async function read(response: Response, request: HttpRequest, readOptions: SendOptions = {}): Promise<ArrayBuffer> {
    try {
      return await response.arrayBuffer();
    } catch (error) {
      throw failure(error, request, readOptions.signal);
    }
  }

  /** What a failed send or read becomes. */
  function failure(error: unknown, request: HttpRequest, signal: AbortSignal | undefined): unknown {
    // Like a fetch given the signal: the reason itself (a TimeoutError, RequestAbortedError...).
    if (signal?.aborted) return signal.reason;
    // Our own refusals (a body over the limit, an impossible status) are final as they are.
    if (error instanceof CyberArkError) return error;
    if (closed) return new TransportClosedError();
    return networkError(request.method, request.url, error);
  }

  return {
    send,
    read,
    async close(): Promise<void> {
      if (closed) return;
      closed = true;
      // destroy (not close): in-flight requests fail now instead of keeping the process alive.
      await dispatcher.destroy();
    },
  };
}
