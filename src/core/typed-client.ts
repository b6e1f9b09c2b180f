// Wraps an openapi-fetch client so each call resolves `{ data, response }` on 2xx and throws a typed
// error otherwise. The wrapper also owns what spans the whole call: the per-request timeout and the
// caller's AbortSignal (both also interrupt retry waits), and JSON parsing, so HTML, truncated JSON
// and text endpoints never surface as a raw SyntaxError.
import createClient, { createQuerySerializer, type FetchResponse, type MaybeOptionalInit, type PathSerializer } from "openapi-fetch";
import { RequestAbortedError } from "../errors/aborted.js";
import { createHttpError, redactedUrlPath } from "../errors/from-response.js";
import { InvalidResponseError } from "../errors/invalid-response.js";
import { describeNetworkFailure, NetworkError } from "../errors/network.js";
import { CLIENT_REDACTION, sealError } from "../errors/seal.js";
import { TimeoutError } from "../errors/timeout.js";
import { Cancellation } from "./cancellation.js";
import { checkMilliseconds } from "./time-limit.js";
import { TransportClosedError } from "../errors/transport-closed.js";
import { lookupOperation, type OperationTable } from "./operation.js";
import { newCallContext, type Pipeline } from "./pipeline.js";
import { mergeRetry, type RetryOptions, type RetryOverrides } from "./retry-policy.js";

type HttpMethod = "get" | "put" | "post" | "delete" | "options" | "head" | "patch" | "trace";
type MediaType = `${string}/${string}`;

/** Paths of `Paths` that have `Method`. */
export type PathsWithMethod<Paths, Method extends HttpMethod> = {
  [P in keyof Paths]: Paths[P] extends { [K in Method]: unknown } ? P : never;
}[keyof Paths];

/** Options every typed call accepts besides openapi-fetch's params/body/headers. */
export interface CallOptions {
  /** Time limit for this call in ms (sending, waiting, retries, reading); overrides the client's timeoutMs. 0 = none. */
  timeoutMs?: number;
  /** Retry overrides for this call, or false to send it once. */
  retry?: RetryOverrides | false;
  signal?: AbortSignal;
}

type RequiredKeys<T> = { [K in keyof T]-?: {} extends Pick<T, K> ? never : K }[keyof T];
type InitArgs<Init> =
  RequiredKeys<Init> extends never ? [(Init & CallOptions & { [key: string]: unknown })?] : [Init & CallOptions & { [key: string]: unknown }];

/** Success data: the 2xx body type, `undefined` only for operations without a response body (204). */
export type SuccessData<D> = [NonNullable<D>] extends [never] ? undefined : NonNullable<D>;

export interface CallResult<Data> {
  data: Data;
  response: Response;
}

type OperationOf<Paths, Path extends keyof Paths, Method extends HttpMethod> = Method extends keyof Paths[Path]
  ? Paths[Path][Method] & Record<string | number, unknown>
  : never;

export type TypedMethod<Paths extends {}, Method extends HttpMethod> = <
  Path extends PathsWithMethod<Paths, Method>,
  Init extends MaybeOptionalInit<Paths[Path], Method & keyof Paths[Path]>,
>(
  url: Path,
  ...init: InitArgs<Init>
) => Promise<CallResult<SuccessData<FetchResponse<OperationOf<Paths, Path, Method>, Init, MediaType>["data"]>>>;

export interface TypedClient<Paths extends {}> {
  GET: TypedMethod<Paths, "get">;
  PUT: TypedMethod<Paths, "put">;
  POST: TypedMethod<Paths, "post">;
  DELETE: TypedMethod<Paths, "delete">;
  PATCH: TypedMethod<Paths, "patch">;
  HEAD: TypedMethod<Paths, "head">;
  OPTIONS: TypedMethod<Paths, "options">;
  /** The base URL every path of this client is relative to. */
  readonly baseUrl: string;
}

export interface TypedClientOptions {
  baseUrl: string;
  pipeline: Pipeline;
  Request: typeof Request;
  pathSerializer: PathSerializer;
  operations: OperationTable | undefined;
  timeoutMs: number;
  retry: Readonly<RetryOptions>;
  redact: (text: string) => string;
  /** The client's close(): refuses new calls and ends the pending ones. */
  closing: Cancellation;
}

interface LooseInit extends CallOptions {
  parseAs?: "json" | "text" | "blob" | "arrayBuffer" | "stream";
  [key: string]: unknown;
}

const MARKUP = /^\s*</;

function parseJsonBody(text: unknown, response: Response, method: string): unknown {
  if (typeof text !== "string" || text.length === 0) return undefined;
  let value: unknown;
  try {
    // The common case first; content type and markup are only looked at when parsing fails.
    value = JSON.parse(text);
  } catch {
    const contentType = response.headers.get("content-type");
    const urlPath = redactedUrlPath(response.url);
    if ((contentType && /html/i.test(contentType)) || MARKUP.test(text)) {
      throw new InvalidResponseError(
        `${method} ${urlPath} answered ${response.status}, but the server returned an HTML page, not JSON ` +
          "(often a sign-in page or an IIS error page)",
        { status: response.status, method, urlPath, contentType },
      );
    }
    // Text endpoints that are not JSON-quoted: hand the text over as it is.
    if (contentType && /^text\/plain/i.test(contentType)) return text;
    // The SyntaxError is not kept as cause: its message quotes the body, which may be a secret.
    throw new InvalidResponseError(
      `${method} ${urlPath} answered ${response.status}, but the body is not valid JSON ` +
        `(${text.length} characters; it may be truncated)`,
      { status: response.status, method, urlPath, contentType },
    );
  }
  return value;
}

export function createTypedClient<Paths extends {}>(options: TypedClientOptions): TypedClient<Paths> {
  const { pipeline, operations } = options;
  const raw = createClient<Record<string, never>>({
    baseUrl: options.baseUrl,
    Request: options.Request,
    pathSerializer: options.pathSerializer,
    // A function (not options) so openapi-fetch does not build a serializer on every call.
    querySerializer: createQuerySerializer(),
    redirect: "manual",
  });

  async function call(method: string, path: string, init: LooseInit | undefined): Promise<CallResult<unknown>> {
    const { timeoutMs = options.timeoutMs, retry, signal: callerSignal, parseAs, ...rest } = init ?? {};
    if (callerSignal?.aborted) throw new RequestAbortedError(`${method} ${path}`, callerSignal.reason);
    if (options.closing.aborted) throw new TransportClosedError();
    checkMilliseconds("timeoutMs", timeoutMs);
    const operation = lookupOperation(operations, method, path);
    // Not an AbortController: see cancellation.ts.
    const cancel = new Cancellation();
    const onClose = () => cancel.abort(new TransportClosedError());
    options.closing.addEventListener("abort", onClose);
    const timer =
      timeoutMs > 0 && Number.isFinite(timeoutMs)
        ? setTimeout(() => cancel.abort(new TimeoutError(timeoutMs, `${method} ${path}`)), timeoutMs)
        : undefined;
    const onCallerAbort = callerSignal
      ? () => cancel.abort(new RequestAbortedError(`${method} ${path}`, callerSignal.reason))
      : undefined;
    if (onCallerAbort) callerSignal!.addEventListener("abort", onCallerAbort, { once: true });
    const ctx = newCallContext(path, operation, mergeRetry(options.retry, retry), cancel);
    // openapi-fetch JSON-parses an error body, after which a JSON string and plain text look the
    // same; the error is built from the text as it arrived (read from a copy, on errors only).
    let errorText: Promise<string> | undefined;
    const send = async (request: Request): Promise<Response> => {
      const response = await pipeline(request, ctx);
      if (!response.ok) {
        errorText = response.clone().text();
        // If the body breaks, openapi-fetch's own read reports it; this copy must not go unhandled.
        errorText.catch(() => {});
      }
      return response;
    };
    try {
      const result = (await (raw.request as (m: string, p: string, i: unknown) => Promise<FetchResponse<never, unknown, MediaType>>)(
        method,
        path,
        { ...rest, parseAs: parseAs && parseAs !== "json" ? parseAs : "text", fetch: send },
      )) as { data?: unknown; error?: unknown; response: Response };
      const response = result.response;
      if (response.ok) {
        const data = parseAs && parseAs !== "json" ? result.data : parseJsonBody(result.data, response, method);
        return { data, response };
      }
      throw createHttpError(response.status, errorText ? await errorText : "", response.headers.get("content-type"), {
        method,
        url: response.url || `${options.baseUrl}${path}`,
        pathTemplate: path,
        operationId: operation?.operationId,
        minVersion: operation?.minVersion,
        attempts: ctx.attempts,
        retryAfterMs: ctx.retryAfterMs,
        afterRelogon: ctx.afterRelogon,
        redact: options.redact,
      });
    } catch (error) {
      // Whatever failed after an abort or timeout (fetch, body read, a wait), report the abort.
      if (cancel.aborted) throw cancel.reason;
      // The connection broke while the body was being read (undici: TypeError "terminated").
      if (error instanceof TypeError && (error.message === "terminated" || error.cause !== undefined)) {
        throw new NetworkError(options.redact(`${method} ${path}: ${describeNetworkFailure(error)}`), { method, urlPath: path });
      }
      // Every text field redacted, whichever layer built the error and whatever it quotes; others wrapped.
      throw sealError(error, options.redact);
    } finally {
      if (timer !== undefined) clearTimeout(timer);
      if (onCallerAbort) callerSignal!.removeEventListener("abort", onCallerAbort);
      options.closing.removeEventListener("abort", onClose);
    }
  }

  const method = (name: string) => (path: string, init?: LooseInit) => call(name, path, init);
  const client = {
    GET: method("GET"),
    PUT: method("PUT"),
    POST: method("POST"),
    DELETE: method("DELETE"),
    PATCH: method("PATCH"),
    HEAD: method("HEAD"),
    OPTIONS: method("OPTIONS"),
    baseUrl: options.baseUrl,
  };
  // Paging builds errors from page bodies after the call: it redacts them as this client does.
  Object.defineProperty(client, CLIENT_REDACTION, { value: options.redact });
  return client as unknown as TypedClient<Paths>;
}
