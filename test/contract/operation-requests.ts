// Turns every operation of an OpenAPI 3 document into the smallest request its schema accepts:
// path parameters, required query and header parameters, and a body with every required property.
// Also notes what the success answer looks like so the call can ask for the right parse mode.
import { deref, sampleValue, type Document, type Schema } from "./sample-values.js";

export type HttpMethod = "GET" | "PUT" | "POST" | "DELETE" | "PATCH" | "HEAD" | "OPTIONS";
const METHODS: HttpMethod[] = ["GET", "PUT", "POST", "DELETE", "PATCH", "HEAD", "OPTIONS"];

interface Parameter {
  name: string;
  in: "path" | "query" | "header" | "cookie";
  required?: boolean;
  schema?: Schema;
}
interface MediaType {
  schema?: Schema;
}
interface RequestBody {
  required?: boolean;
  content?: Record<string, MediaType>;
}
interface ResponseObject {
  content?: Record<string, MediaType>;
}
interface Operation {
  operationId?: string;
  tags?: string[];
  parameters?: Array<Parameter | { $ref: string }>;
  requestBody?: RequestBody | { $ref: string };
  responses?: Record<string, ResponseObject | { $ref: string }>;
}

export type ParseAs = "json" | "text" | "blob" | "stream";

export interface OperationRequest {
  /** "METHOD /path" as in the generated operation tables. */
  key: string;
  method: HttpMethod;
  path: string;
  operationId: string | undefined;
  tags: string[];
  params: { path: Record<string, unknown>; query: Record<string, unknown>; header: Record<string, string> };
  body: unknown;
  /** Media type of the body sent (undefined when the operation takes none). */
  bodyType: string | undefined;
  bodySchema: Schema | undefined;
  /** Status codes the operation documents, as written ("200", "404", "default"). */
  documentedCodes: string[];
  /** Media types each documented response offers (empty when it has no body). */
  responseTypes: Record<string, string[]>;
  /**
   * "code media/types" of responses no server can send as documented: a JSON object schema under
   * binary media types only (Prism answers them with its own 500).
   */
  unservable: string[];
  /** The 2xx Prism answers by default (the lowest), and how to read its body. */
  successCode: string | undefined;
  accept: string | undefined;
  parseAs: ParseAs;
  /** True when the success answer documents no body. */
  emptySuccess: boolean;
}

export function isJsonType(mediaType: string): boolean {
  return /^application\/(?:[\w.+-]+\+)?json\b/i.test(mediaType) || /^text\/json\b/i.test(mediaType);
}

/** Every operation of the document, each with a request built from its schema. */
export function buildOperationRequests(doc: Document): OperationRequest[] {
  const out: OperationRequest[] = [];
  for (const [path, rawItem] of Object.entries(doc.paths ?? {})) {
    const item = rawItem as Record<string, unknown>;
    const shared = (item["parameters"] as Operation["parameters"]) ?? [];
    for (const method of METHODS) {
      const op = item[method.toLowerCase()] as Operation | undefined;
      if (op) out.push(buildRequest(doc, method, path, op, shared));
    }
  }
  return out;
}

function buildRequest(doc: Document, method: HttpMethod, path: string, op: Operation, shared: NonNullable<Operation["parameters"]>): OperationRequest {
  const key = `${method} ${path}`;
  // Operation parameters override path-item parameters with the same name and location.
  const byKey = new Map<string, Parameter>();
  for (const raw of [...shared, ...(op.parameters ?? [])]) {
    const p = deref<Parameter>(doc, raw);
    byKey.set(`${p.in}:${p.name}`, p);
  }
  const params: OperationRequest["params"] = { path: {}, query: {}, header: {} };
  for (const p of byKey.values()) {
    if (p.in === "cookie" || (!p.required && p.in !== "path")) continue;
    const value = sampleValue(doc, p.schema ?? { type: "string" }, `${key} ${p.in} ${p.name}`);
    if (p.in === "header") params.header[p.name] = String(value);
    else params[p.in][p.name] = value;
  }

  let body: unknown;
  let bodyType: string | undefined;
  let bodySchema: Schema | undefined;
  if (op.requestBody) {
    const rb = deref<RequestBody>(doc, op.requestBody);
    const types = Object.keys(rb.content ?? {});
    bodyType = types.find(isJsonType) ?? types[0];
    if (bodyType) {
      bodySchema = rb.content?.[bodyType]?.schema ?? {};
      body = sampleValue(doc, bodySchema, `${key} body`);
    }
  }

  const documentedCodes = Object.keys(op.responses ?? {});
  const responseTypes: Record<string, string[]> = {};
  const unservable: string[] = [];
  for (const code of documentedCodes) {
    const content = deref<ResponseObject>(doc, op.responses![code]!).content ?? {};
    responseTypes[code] = Object.keys(content);
    // A code is servable when at least one of its media types can carry its schema.
    const carried = Object.entries(content).map(([type, media]) => {
      if (isJsonType(type) || /^text\//i.test(type) || !media.schema) return true;
      const schema = deref<Schema>(doc, media.schema);
      return !(schema.type === "object" || schema.properties || schema.type === "array");
    });
    if (carried.length > 0 && !carried.includes(true)) unservable.push(`${code} ${Object.keys(content).join(", ")}`);
  }
  const successCode = documentedCodes.filter((c) => /^2\d\d$/.test(c)).sort()[0];
  let accept: string | undefined;
  let parseAs: ParseAs = "json";
  let emptySuccess = true;
  if (successCode) {
    const res = deref<ResponseObject>(doc, op.responses![successCode]!);
    const types = Object.keys(res.content ?? {});
    emptySuccess = types.length === 0;
    accept = types.find(isJsonType) ?? types[0];
    if (accept && !isJsonType(accept)) parseAs = /^text\//i.test(accept) ? "text" : "blob";
  }

  return {
    key,
    method,
    path,
    operationId: op.operationId,
    tags: op.tags ?? [],
    params,
    body,
    bodyType,
    bodySchema,
    documentedCodes,
    responseTypes,
    unservable,
    successCode,
    accept,
    parseAs,
    emptySuccess,
  };
}
