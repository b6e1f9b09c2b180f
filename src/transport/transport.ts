// One HTTP transport per client: undici's fetch over a private dispatcher (TLS, proxy, pool),
// with every response body size-limited. Both entry points accept undici or global Request
// objects, strings and URLs:
// - `send`, the client's own path, returns undici's Response objects as undici made them;
// - `fetch` returns global Responses, for openapi-fetch middleware, which checks results with
//   `instanceof Response` against the global class.
// `Request` is undici's class: a request built with it goes to undici's fetch as it is, whereas a
// global Request has to be rebuilt (a second Request, a header copy and an AbortSignal per call).
import { fetch as undiciFetch, Request as UndiciRequest, Response as UndiciResponse, type RequestInit as UndiciRequestInit } from "undici";
import type { Cancellation } from "../core/cancellation.js";
import { TransportClosedError } from "../errors/transport-closed.js";
import type { Logger } from "../logging/logger.js";
import { limitResponseBody, toGlobalResponse, type LimitableResponse } from "./body-limit.js";
import { BodilessRequest } from "./bodiless-request.js";
import { AbortableDispatcher, DispatchAbort } from "./dispatch-abort.js";
import { createDispatcher, parseProxyUrl, type DispatcherTlsOptions } from "./dispatcher.js";

export interface TransportOptions extends DispatcherTlsOptions {
  /** undefined = HTTPS_PROXY/HTTP_PROXY/NO_PROXY from the environment, false = never, string = this proxy. */
  proxy?: string | false;
  connectTimeoutMs?: number;
  /** Largest accepted response body; default 50 MiB. */
  maxResponseBytes?: number;
}

export interface Transport {
  /**
   * The client's own sends: responses are undici Response objects (no copy per call). `cancel`
   * ends the request like a fetch signal, before or during the body, through the dispatcher; the
   * send then rejects with its reason.
   */
  send: (input: Request | string | URL, init?: RequestInit, cancel?: Cancellation) => Promise<Response>;
  /** fetch-compatible, for openapi-fetch: responses are global Response objects. */
  fetch: (input: Request | string | URL, init?: RequestInit) => Promise<Response>;
  /** undici's Request class, typed as the global one it mirrors. */
  Request: typeof Request;
  /** undici's Response class (what `send` returns), for responses the client rebuilds. */
  Response: typeof Response;
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

  const dispatcher = new AbortableDispatcher(createDispatcher({ ...options, connectTimeoutMs }));
  const insecure = options.insecureSkipVerify === true;
  let warnedInsecure = false;
  let closed = false;

  async function send(input: Request | BodilessRequest | string | URL, init: RequestInit | undefined, cancel?: Cancellation): Promise<Response> {
    if (closed) throw new TransportClosedError();
    if (insecure && !warnedInsecure) {
      warnedInsecure = true;
      logger.warn(
        "TLS certificate verification is disabled (insecureSkipVerify): the server's identity is not checked. " +
          "Use the `ca` option instead outside of throwaway labs.",
      );
    }

    let target: string | URL | UndiciRequest;
    let requestInit: UndiciRequestInit;
    let method: string;
    if (input instanceof BodilessRequest) {
      // Its parts go to fetch, which builds the one Request of this call from them.
      target = input.url;
      requestInit = { method: input.method, headers: input.headers as unknown as UndiciRequestInit["headers"], redirect: input.redirect, ...(init as UndiciRequestInit | undefined), dispatcher };
      method = (init?.method ?? input.method).toUpperCase();
    } else if (input instanceof UndiciRequest) {
      target = input;
      requestInit = { ...(init as UndiciRequestInit | undefined), dispatcher };
      method = (init?.method ?? input.method).toUpperCase();
    } else if (typeof input === "string" || input instanceof URL) {
      target = input;
      requestInit = { ...(init as UndiciRequestInit | undefined), dispatcher };
      method = (init?.method ?? "GET").toUpperCase();
    } else {
      // A Request from another fetch implementation (Node's global one): rebuild it for undici.
      // The body is buffered so undici sends a Content-Length rather than a chunked upload.
      const foreign = input as Request;
      const body = foreign.body === null ? undefined : await foreign.arrayBuffer();
      target = foreign.url;
      requestInit = {
        method: foreign.method,
        headers: [...foreign.headers],
        body,
        signal: foreign.signal,
        redirect: foreign.redirect,
        ...(init as UndiciRequestInit | undefined),
        dispatcher,
      };
      method = (init?.method ?? foreign.method).toUpperCase();
    }

    const response = cancel === undefined ? await undiciFetch(target, requestInit) : await cancellableFetch(target, requestInit, cancel);
    return limitResponseBody(response as unknown as LimitableResponse, maxResponseBytes, method) as unknown as Response;
  }

  async function cancellableFetch(target: string | URL | UndiciRequest, requestInit: UndiciRequestInit, cancel: Cancellation) {
    if (cancel.aborted) throw cancel.reason;
    const handle = new DispatchAbort();
    const pending = dispatcher.withAbort(handle, () => undiciFetch(target, requestInit));
    const onAbort = (): void => handle.abort(cancel.reason);
    cancel.addEventListener("abort", onAbort);
    let settled: Promise<unknown> = pending;
    if (handle.attached) {
      // Listens until the whole exchange (body included) has ended.
      handle.onFinish = () => cancel.removeEventListener("abort", onAbort);
    } else {
      // Not hooked (a future undici dispatching later): the call still ends at once on abort,
      // though the request runs on until the server answers.
      settled = Promise.race([pending, new Promise<never>((_, reject) => cancel.addEventListener("abort", () => reject(cancel.reason)))]);
    }
    try {
      return (await settled) as Awaited<ReturnType<typeof undiciFetch>>;
    } catch (error) {
      // Like a fetch given the signal: the reason itself, not "fetch failed".
      if (cancel.aborted) throw cancel.reason;
      throw error;
    } finally {
      if (!handle.attached) cancel.removeEventListener("abort", onAbort);
    }
  }

  return {
    send,
    fetch: async (input, init) => toGlobalResponse((await send(input, init)) as unknown as LimitableResponse),
    Request: UndiciRequest as unknown as typeof Request,
    Response: UndiciResponse as unknown as typeof Response,
    async close(): Promise<void> {
      if (closed) return;
      closed = true;
      // destroy (not close): in-flight requests fail now instead of keeping the process alive.
      await dispatcher.destroy();
    },
  };
}
