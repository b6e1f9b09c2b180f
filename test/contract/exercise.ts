// Sends one operation's request through a typed client and reports whether Prism accepted it.
// Prism's verdict travels in response headers (`sl-violations`) and in the status (422, or the
// operation's own 400), which the typed client turns into errors; a client `afterResponse` hook
// records every response so the verdict is visible either way.
import type { OperationRequest } from "./operation-requests.js";
import type { Violation } from "../../scripts/mock/violation-front.js";

export interface RecordedExchange {
  method: string;
  url: string;
  status: number;
  violations: Violation[];
}

/** Collects every final response a client sees (install `hook` in the client's `hooks.afterResponse`). */
export class ResponseRecorder {
  private readonly seen: RecordedExchange[] = [];

  readonly hook = (response: Response, info: { method: string; url: string }): void => {
    this.seen.push({ method: info.method, url: info.url, status: response.status, violations: parseViolations(response.headers.get("sl-violations")) });
  };

  /** The exchanges recorded since the last call (calls are made one at a time). */
  take(): RecordedExchange[] {
    return this.seen.splice(0, this.seen.length);
  }
}

export function parseViolations(header: string | null): Violation[] {
  if (!header) return [];
  try {
    const parsed = JSON.parse(header) as unknown;
    return Array.isArray(parsed) ? (parsed as Violation[]) : [{ location: [], severity: "Error", message: header }];
  } catch {
    return [{ location: [], severity: "Error", message: header }];
  }
}

/** The loose shape every typed client method has at run time. */
export type LooseCall = (path: string, init?: Record<string, unknown>) => Promise<{ data: unknown; response: Response }>;
export type LooseClient = Record<OperationRequest["method"], LooseCall>;

export interface Outcome {
  /** Prism accepted the request and the client produced a result. */
  accepted: boolean;
  data?: unknown;
  response?: Response;
  error?: unknown;
  exchanges: RecordedExchange[];
  /** Why the operation does not count as exercised (empty when accepted). */
  problems: string[];
}

export interface Variation {
  body?: unknown;
  query?: Record<string, unknown>;
  headers?: Record<string, string>;
}

/** The init object for an openapi-fetch style call built from the operation's request. */
export function callInit(req: OperationRequest, variation: Variation = {}): Record<string, unknown> {
  const headers: Record<string, string> = { ...variation.headers };
  if (req.accept) headers["accept"] = req.accept;
  const init: Record<string, unknown> = {
    params: { path: req.params.path, query: variation.query ?? req.params.query, header: req.params.header },
    headers,
    parseAs: req.parseAs,
    retry: false,
  };
  const body = "body" in variation ? variation.body : req.body;
  if (req.bodyType !== undefined) {
    init["body"] = body;
    if (/x-www-form-urlencoded/i.test(req.bodyType)) {
      headers["content-type"] = req.bodyType;
      init["bodySerializer"] = (b: unknown) => new URLSearchParams(Object.entries(b as Record<string, unknown>).map(([k, v]): [string, string] => [k, String(v)])).toString();
    } else if (/multipart\/form-data/i.test(req.bodyType)) {
      init["bodySerializer"] = (b: unknown) => {
        const form = new FormData();
        for (const [k, v] of Object.entries(b as Record<string, unknown>)) form.append(k, typeof v === "string" ? v : JSON.stringify(v));
        return form;
      };
    } else if (!/json/i.test(req.bodyType)) {
      headers["content-type"] = req.bodyType;
      init["bodySerializer"] = (b: unknown) => (typeof b === "string" ? b : JSON.stringify(b));
    }
  }
  return init;
}

export async function exercise(client: LooseClient, recorder: ResponseRecorder, req: OperationRequest, variation?: Variation): Promise<Outcome> {
  recorder.take();
  let result: { data: unknown; response: Response } | undefined;
  let error: unknown;
  try {
    result = await client[req.method](req.path, callInit(req, variation));
  } catch (e) {
    error = e;
  }
  const exchanges = recorder.take();
  const problems: string[] = [];
  if (exchanges.length !== 1) problems.push(`expected exactly one response, saw ${exchanges.length}`);
  for (const x of exchanges) {
    if (x.violations.length > 0) problems.push(`Prism reported violations (${x.status}): ${describeViolations(x.violations)}`);
    if (x.status === 422) problems.push("Prism rejected the request (422)");
  }
  if (error !== undefined) problems.push(`the client threw ${(error as Error)?.name ?? "an error"}: ${(error as Error)?.message ?? String(error)}`);
  if (result) {
    const status = result.response.status;
    if (status < 200 || status > 299) problems.push(`status ${status} is not a success`);
    if (!req.emptySuccess && status !== 204 && result.data === undefined) problems.push("a documented response body was not parsed into data");
    if (req.parseAs === "blob" && !(result.data instanceof Blob)) problems.push("a binary response did not arrive as a Blob");
  }
  const outcome: Outcome = { accepted: problems.length === 0, exchanges, problems };
  if (result) {
    outcome.data = result.data;
    outcome.response = result.response;
  }
  if (error !== undefined) outcome.error = error;
  return outcome;
}

export function describeViolations(violations: Violation[]): string {
  return violations.map((v) => `${v.location.join(".")}: ${v.message}`).join("; ");
}
