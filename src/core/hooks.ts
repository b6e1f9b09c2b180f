// Caller hooks around API requests (not around logon requests, which carry credentials).
// `beforeRequest` runs before the client adds Authorization and cookies, so hooks never see them.

export interface RequestInfo {
  method: string;
  url: string;
  /** Path template of the typed call, e.g. "/Accounts/{id}". */
  pathTemplate: string | undefined;
  operationId: string | undefined;
  /** 1 for the first send, 2 for the first retry or replay, ... */
  attempt: number;
}

export interface RetryInfo extends RequestInfo {
  reason: "rate-limited" | "server-error" | "network-error" | "session-renewed";
  /** Wait before the next attempt. */
  delayMs: number;
  /** Status that caused the retry (absent for network errors). */
  status?: number;
}

export interface Hooks {
  /** May add or change headers (e.g. a correlation id). Runs for every attempt. */
  beforeRequest?: Array<(request: Request, info: RequestInfo) => void | Promise<void>>;
  /** May observe the response or return a replacement. Runs once per final response. */
  afterResponse?: Array<(response: Response, info: RequestInfo) => void | Response | Promise<void | Response>>;
  /** Runs before each retry or replay (after 401 + fresh logon), before the wait. */
  beforeRetry?: Array<(info: RetryInfo) => void | Promise<void>>;
}
