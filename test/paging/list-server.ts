// A CyberArk-like list server for paging tests. Items are generated on demand from their
// index, so 100,000 of them cost no memory; every request is recorded, and the number of
// requests in flight at once is tracked to prove read-ahead overlaps. Hooks make it misbehave as
// CyberArk servers do: nextLinks that loop or point back, counts that lie, offsets ignored past a
// cap, a MaxDisplayedRecords cap.
import { createServer, type IncomingMessage, type ServerResponse } from "node:http";
import type { AddressInfo, Socket } from "node:net";

/** What the server is answering, for the nextLink and count hooks. */
export interface ServedPage {
  /** 0-based index of the request. */
  index: number;
  /** Offset and limit as requested. */
  offset: number;
  limit: number;
  /** Positions actually served: items from..to-1. */
  from: number;
  to: number;
  /** Items the server will ever list (total, or maxDisplayedRecords when smaller). */
  visible: number;
}

export interface ListServerOptions {
  total: number;
  /** Largest page the server returns whatever the client asks (a capped server). */
  serverMaxLimit?: number;
  /** Delay before each response (or per 0-based request index), so concurrent requests overlap. */
  delayMs?: number | ((requestIndex: number) => number);
  /** Padding per item, to make accumulated pages visible in heap measurements. */
  padding?: number;
  /** Replace the nextLink of every page that has one (foreign-origin tests). */
  nextLinkOverride?: string;
  /** Omit the total from envelopes. */
  omitTotal?: boolean;
  /** Status to answer on the request with this 0-based index. */
  failOnRequest?: { index: number; status: number };
  /** Builds each page's nextLink (undefined: none), replacing the default `offset=<offset + served>`. */
  nextLink?: (page: ServedPage) => string | undefined;
  /** The count/Total each page reports, replacing `total` (undefined: omitted). */
  count?: (page: ServedPage) => number | undefined;
  /** Offsets above this are served as this one (a server ignoring the offset past it; 0: always). */
  offsetCap?: number;
  /** Items past this position are never served and the nextLink stops there; count stays `total` (PVWA's MaxDisplayedRecords). */
  maxDisplayedRecords?: number;
}

export interface RecordedRequest {
  authorization: string | undefined;
  path: string;
  query: URLSearchParams;
  raw: string;
}

export interface ListServer {
  url: string;
  origin: string;
  requests: RecordedRequest[];
  maxConcurrent: number;
  /** Requests whose connection closed before the response was sent (aborted by the client). */
  abortedRequests: number;
  options: ListServerOptions;
  close(): Promise<void>;
}

function item(i: number, padding: number): Record<string, unknown> {
  return { id: `${i}_1`, name: `item-${i}`, pad: padding ? "p".repeat(padding) : undefined };
}

function pageParams(q: URLSearchParams, offsetKey: string, limitKey: string): { offset: number; limit: number } {
  return { offset: Number(q.get(offsetKey) ?? "0"), limit: Number(q.get(limitKey) ?? "25") };
}

export async function startListServer(options: ListServerOptions): Promise<ListServer> {
  const state: ListServer = {
    url: "",
    origin: "",
    requests: [],
    maxConcurrent: 0,
    abortedRequests: 0,
    options,
    close: async () => {},
  };
  let inFlight = 0;
  const sockets = new Set<Socket>();

  const respond = (req: IncomingMessage, res: ServerResponse): void => {
    const url = new URL(req.url ?? "/", "http://placeholder");
    const index = state.requests.length;
    state.requests.push({ authorization: req.headers.authorization, path: url.pathname, query: url.searchParams, raw: req.url ?? "" });
    inFlight++;
    state.maxConcurrent = Math.max(state.maxConcurrent, inFlight);
    let finished = false;
    res.on("close", () => {
      inFlight--;
      if (!finished) state.abortedRequests++;
    });

    const send = (): void => {
      if (res.destroyed) return;
      finished = true;
      if (options.failOnRequest?.index === index) {
        res.statusCode = options.failOnRequest.status;
        res.setHeader("content-type", "application/json");
        res.end(JSON.stringify({ ErrorCode: "PASWS999E", ErrorMessage: "boom" }));
        return;
      }
      res.setHeader("content-type", "application/json");
      res.end(body(url, index));
    };
    const delay = typeof options.delayMs === "function" ? options.delayMs(index) : options.delayMs;
    if (delay) setTimeout(send, delay);
    else send();
  };

  const serve = (index: number, offset: number, limit: number): ServedPage => {
    const visible = Math.min(options.total, options.maxDisplayedRecords ?? Number.POSITIVE_INFINITY);
    const capped = options.serverMaxLimit ? Math.min(limit, options.serverMaxLimit) : limit;
    const effective = options.offsetCap === undefined ? offset : Math.min(offset, options.offsetCap);
    const from = Math.min(effective, visible);
    return { index, offset, limit, from, to: Math.min(visible, from + capped), visible };
  };

  const countOf = (page: ServedPage): number | undefined => {
    if (options.count) return options.count(page);
    return options.omitTotal ? undefined : options.total;
  };

  const items = (from: number, to: number): string => {
    const parts: string[] = [];
    for (let i = from; i < to; i++) parts.push(JSON.stringify(item(i, options.padding ?? 0)));
    return `[${parts.join(",")}]`;
  };

  const body = (url: URL, index: number): string => {
    const q = url.searchParams;
    // Routes match as on IIS: letter case and a trailing slash do not count.
    const canonical = ["/PasswordVault/API/Accounts", "/PasswordVault/API/LiveSessions", "/PasswordVault/API/Users", "/PasswordVault/API/bulkactions/accounts"];
    const given = url.pathname.replace(/\/+$/, "").toLowerCase();
    const route = /^\/PasswordVault\/API\/Safes\/[^/]+\/Members\/?$/i.test(url.pathname) ? "members" : (canonical.find((c) => c.toLowerCase() === given) ?? url.pathname);
    switch (route) {
      case "/PasswordVault/API/Accounts":
      case "members": {
        const { offset, limit } = pageParams(q, "offset", "limit");
        const page = serve(index, offset, limit);
        const count = countOf(page);
        const total = count === undefined ? "" : `,"count":${count}`;
        let link: string | undefined;
        if (options.nextLink) link = options.nextLink(page);
        else if (page.to < page.visible) link = options.nextLinkOverride ?? `api/Accounts?offset=${offset + (page.to - page.from)}&limit=${limit}`;
        const nextLink = link === undefined ? "" : `,"nextLink":${JSON.stringify(link)}`;
        return `{"value":${items(page.from, page.to)}${total}${nextLink}}`;
      }
      case "/PasswordVault/API/LiveSessions": {
        const { offset, limit } = pageParams(q, "Offset", "Limit");
        const page = serve(index, offset, limit);
        const count = countOf(page);
        const t = count === undefined ? "" : `,"Total":${count}`;
        return `{"LiveSessions":${items(page.from, page.to)}${t}}`;
      }
      case "/PasswordVault/API/Users": {
        // 14.x pages users with pageOffset/pageSize; an older server ignores both and sends every user.
        if (!q.has("pageOffset") && !q.has("pageSize")) return `{"Users":${items(0, options.total)},"Total":${options.total}}`;
        const { offset, limit } = pageParams(q, "pageOffset", "pageSize");
        const page = serve(index, offset, limit);
        return `{"Users":${items(page.from, page.to)},"Total":${options.total}}`;
      }
      case "/PasswordVault/API/bulkactions/accounts": {
        // Not paged: `limit` (default 10) caps the one answer, whose Total counts every job.
        const limit = Number(q.get("limit") ?? "10");
        const count = countOf(serve(index, 0, limit));
        const t = count === undefined ? "" : `,"Total":${count}`;
        return `{"BulkActions":${items(0, Math.min(limit, options.total))}${t}}`;
      }
      default:
        return `{"value":[]}`;
    }
  };

  const server = createServer(respond);
  server.on("connection", (s: Socket) => {
    sockets.add(s);
    s.on("close", () => sockets.delete(s));
  });
  await new Promise<void>((resolve) => server.listen(0, "127.0.0.1", resolve));
  const port = (server.address() as AddressInfo).port;
  state.origin = `http://127.0.0.1:${port}`;
  state.url = `${state.origin}/PasswordVault/API`;
  state.close = async () => {
    for (const s of sockets) s.destroy();
    await new Promise<void>((resolve) => server.close(() => resolve()));
  };
  return state;
}
