// The typed clients (gen2, gen1, pcloud): each call builds its request with openapi-fetch's URL,
// header and body helpers (its types give the paths, parameters and results), sends it through the
// client's pipeline under one AbortSignal (caller's abort, time limit, close), and resolves
// `{ data, response }` on 2xx or throws a typed error. JSON is parsed here, so HTML, truncated JSON
// and text endpoints never surface as a raw SyntaxError.
import {
  createFinalURL,
  createQuerySerializer,
  defaultBodySerializer,
  mergeHeaders,
  type BodySerializer,
  type FetchResponse,
  type MaybeOptionalInit,
  type QuerySerializer,
  type QuerySerializerOptions,
} from "openapi-fetch";
import { RequestAbortedError } from "../errors/aborted.js";
import { createHttpError } from "../errors/from-response.js";
import { urlText } from "../logging/url-text.js";
import { InvalidResponseError } from "../errors/invalid-response.js";
import { CLIENT_REDACTION, sealError } from "../errors/seal.js";
import { TransportClosedError } from "../errors/transport-closed.js";
import { serializePath } from "../paths/path-serializer.js";
import { bodyOf, type CallRecord, type Send } from "../pipeline/call.js";
import type { HttpRequest } from "../transport/http-request.js";
import { classifyBody } from "./body-kind.js";
import { callSignal } from "./call-signal.js";
import { lookupOperation, type OperationTable } from "./operation.js";
import type { OperationCheck } from "./operation-availability.js";
import { mergeRetry, type RetryOptions, type RetryOverrides } from "./retry-policy.js";
import { checkMilliseconds } from "./time-limit.js";

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
  pipeline: Send;
  operations: OperationTable | undefined;
  timeoutMs: number;
  retry: Readonly<RetryOptions>;
  redact: (text: string) => string;
  /** The client's close(): refuses new calls and ends the pending ones. */
  closing: AbortSignal;
  /** Refuses (throws) an operation that does not exist on the client's deployment, before anything is sent. */
  checkOperation?: OperationCheck | undefined;
}

type ParseAs = "json" | "text" | "blob" | "arrayBuffer" | "stream";

interface LooseInit extends CallOptions {
  params?: { path?: Record<string, unknown>; query?: Record<string, unknown>; header?: Record<string, unknown> };
  headers?: ConstructorParameters<typeof Headers>[0] | Record<string, unknown>;
  body?: unknown;
  bodySerializer?: BodySerializer<unknown>;
  querySerializer?: QuerySerializer<unknown> | QuerySerializerOptions;
  parseAs?: ParseAs;
  /** Another base URL for this call (openapi-fetch's option). */
  baseUrl?: string;
  [key: string]: unknown;
}

function parseJsonBody(text: string, response: Response, method: string): unknown {
  if (text.length === 0) return undefined;
  const contentType = response.headers.get("content-type");
  const body = classifyBody(text, contentType);
  if (body.kind === "json") return body.value;
  const urlPath = urlText(response.url);
  if (body.kind === "html") {
    throw new InvalidResponseError(
      `${method} ${urlPath} answered ${response.status}, but the server returned an HTML page, not JSON ` +
        "(often a sign-in page or an IIS error page)",
      { status: response.status, method, urlPath, contentType },
    );
  }
  // Text endpoints that are not JSON-quoted: hand the text over as it is.
  if (contentType && /^text\/plain/i.test(contentType)) return text;
  throw new InvalidResponseError(
    `${method} ${urlPath} answered ${response.status}, but the body is not valid JSON ` +
      `(${text.length} characters; it may be truncated)`,
    { status: response.status, method, urlPath, contentType },
  );
}

const defaultQuerySerializer = createQuerySerializer();

/** The request body as bytes or text, so every attempt can send it again; and the Content-Type it implies. */
async function serializeBody(body: unknown, serializer: BodySerializer<unknown>, headers: Headers): Promise<{ body: string | Uint8Array; contentType: string | undefined }> {
  // openapi-fetch's default serializer reads the headers (a form Content-Type); custom ones may ignore them.
  const serialized = (serializer as (body: unknown, headers: Headers) => unknown)(body, headers);
  if (typeof serialized === "string") return { body: serialized, contentType: "application/json" };
  if (serialized instanceof URLSearchParams) return { body: serialized.toString(), contentType: "application/x-www-form-urlencoded;charset=UTF-8" };
  // FormData, Blob, buffers: encoded as fetch would, with the Content-Type (multipart boundary) it implies.
  const encoded = new Response(serialized as ConstructorParameters<typeof Response>[0]);
  return { body: new Uint8Array(await encoded.arrayBuffer()), contentType: encoded.headers.get("content-type") ?? undefined };
}

/** The call's query serializer: a function as it is, openapi-fetch's options object turned into one. */
function querySerializerOf(given: unknown): (query: Record<string, unknown>) => string {
  if (typeof given === "function") return given as (query: Record<string, unknown>) => string;
  if (given && typeof given === "object") return createQuerySerializer(given);
  return defaultQuerySerializer;
}

async function buildRequest(baseUrl: string, method: string, path: string, init: LooseInit): Promise<HttpRequest> {
  const params = init.params ?? {};
  const url = createFinalURL(path, {
    baseUrl,
    params,
    querySerializer: querySerializerOf(init.querySerializer),
    pathSerializer: serializePath,
  });
  const given = mergeHeaders(init.headers as never, params.header as never);
  if (init.body === undefined) return { method, url, headers: given, body: null };
  const { body, contentType } = await serializeBody(init.body, init.bodySerializer ?? defaultBodySerializer, given);
  // The caller's own Content-Type wins, as in openapi-fetch.
  const headers = contentType === undefined ? given : mergeHeaders({ "Content-Type": contentType }, given);
  return { method, url, headers, body };
}

const utf8 = new TextDecoder();

/** An HTML page where the document promised other text: a sign-in or error page, never the data. */
function refuseHtml(response: Response, method: string): void {
  const contentType = response.headers.get("content-type");
  if (!contentType || !/^\s*text\/html/i.test(contentType)) return;
  const urlPath = urlText(response.url);
  throw new InvalidResponseError(
    `${method} ${urlPath} answered ${response.status}, but the server returned an HTML page, not the text the operation ` +
      "returns (often a sign-in page or an IIS error page)",
    { status: response.status, method, urlPath, contentType },
  );
}

/**
 * The success data as `parseAs` asks; for JSON, `undefined` when there is no body. `documentText`: text because
 * the document says so (not the caller), so an HTML page is refused as it is for JSON.
 */
async function successData(response: Response, record: CallRecord, method: string, parseAs: ParseAs, documentText = false): Promise<unknown> {
  const length = response.headers.get("content-length");
  if (response.status === 204 || method === "HEAD" || (length === "0" && !response.headers.get("transfer-encoding")?.includes("chunked"))) {
    return undefined;
  }
  if (parseAs === "stream") return response.body;
  const bytes = await bodyOf(record, response);
  if (parseAs === "arrayBuffer") return bytes;
  if (parseAs === "blob") return new Blob([bytes], { type: response.headers.get("content-type") ?? "" });
  if (documentText) refuseHtml(response, method);
  const text = utf8.decode(bytes);
  return parseAs === "text" ? text : parseJsonBody(text, response, method);
}

export function createTypedClient<Paths extends {}>(options: TypedClientOptions): TypedClient<Paths> {
  const { pipeline, operations } = options;

  async function call(method: string, path: string, init: LooseInit = {}): Promise<CallResult<unknown>> {
    const operation = lookupOperation(operations, method, path);
    // A text body (a password as octet-stream) through JSON.parse turns "123456" into a number: the document
    // says which bodies are text; the caller's own parseAs wins.
    const documentText = init.parseAs === undefined && operation?.successText === true;
    const { timeoutMs = options.timeoutMs, retry, signal: caller, parseAs = documentText ? "text" : "json" } = init;
    const what = `${method} ${path}`;
    if (caller?.aborted) throw new RequestAbortedError(what, caller.reason);
    if (options.closing.aborted) throw new TransportClosedError();
    checkMilliseconds("timeoutMs", timeoutMs);
    const { signal, dispose } = callSignal({ what, timeoutMs, caller, closing: options.closing });
    const record: CallRecord = { attempts: 0, afterRelogon: false, retryAfterMs: undefined, body: undefined };
    try {
      options.checkOperation?.(method, path, operation);
      const request = await buildRequest(init.baseUrl?.replace(/\/+$/, "") ?? options.baseUrl, method, path, init);
      const response = await pipeline({
        request,
        signal,
        pathTemplate: path,
        operation,
        retry: mergeRetry(options.retry, retry),
        readBody: parseAs !== "stream",
        record,
      });
      if (response.ok) return { data: await successData(response, record, method, parseAs, documentText), response };
      const errorText = parseAs === "stream" ? await response.text() : utf8.decode(await bodyOf(record, response));
      throw createHttpError(response.status, errorText, response.headers.get("content-type"), {
        method,
        url: response.url || request.url,
        pathTemplate: path,
        operationId: operation?.operationId,
        minVersion: operation?.minVersion,
        attempts: record.attempts,
        retryAfterMs: record.retryAfterMs,
        afterRelogon: record.afterRelogon,
        redact: options.redact,
      });
    } catch (error) {
      // Whatever failed after an abort or timeout (a send, a wait, a body read), report the abort.
      if (signal.aborted) throw sealError(signal.reason, options.redact);
      // Every text field redacted, whichever layer built the error and whatever it quotes; others wrapped.
      throw sealError(error, options.redact);
    } finally {
      dispose();
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
