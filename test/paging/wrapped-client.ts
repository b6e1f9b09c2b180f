// A stand-in for CORE's wrapped client: openapi-fetch over the real transport (through the
// fetch adapter of test/transport/fetch-adapter.ts, the request's signal included), with a GET
// that throws on non-2xx, plus small hand-written path types and an operations table shaped
// like the generated one.
import createClient, { type Client } from "openapi-fetch";
import { createTransport, type Transport } from "../../src/transport/transport.js";
import { createLogger, SecretRegistry } from "../../src/logging/logger.js";
import { serializePath } from "../../src/paths/path-serializer.js";
import { fetchOverTransport } from "../transport/fetch-adapter.js";

export interface Account {
  id: string;
  name: string;
}

export interface LiveSession {
  id: string;
  name: string;
}

type Json<T> = { content: { "application/json": T } };

export interface TestPaths {
  "/Accounts": {
    get: {
      parameters: { query?: { search?: string; filter?: string; savedFilter?: string; offset?: number; limit?: number } };
      responses: { 200: Json<{ value?: Account[]; count?: number; nextLink?: string }> };
    };
  };
  "/Safes/{safeUrlId}/Members/": {
    get: {
      parameters: { path: { safeUrlId: string }; query?: { offset?: number; limit?: number; filter?: string } };
      responses: { 200: Json<{ value?: { memberName: string }[]; count?: number; nextLink?: string }> };
    };
  };
  "/LiveSessions": {
    get: {
      parameters: { query?: { Offset?: number; Limit?: number; Search?: string; Safe?: string } };
      responses: { 200: Json<{ LiveSessions?: LiveSession[]; Total?: number }> };
    };
  };
  "/Users": {
    get: {
      parameters: { query?: { search?: string } };
      responses: { 200: Json<{ Users?: { id: number; username: string }[]; Total?: number }> };
    };
  };
  "/Accounts/{id}": {
    get: { parameters: { path: { id: string } }; responses: { 200: Json<Account> } };
  };
}

export const testOperations = {
  "GET /Accounts": {
    operationId: "Accounts_List",
    method: "GET",
    path: "/Accounts",
    paging: { style: "nextLink", items: "value", total: "count", offsetParam: "offset", limitParam: "limit", maxLimit: 1000 },
  },
  "GET /Safes/{safeUrlId}/Members/": {
    operationId: "SafeMembers_List",
    method: "GET",
    path: "/Safes/{safeUrlId}/Members/",
    paging: { style: "nextLink", items: "value", total: "count", offsetParam: "offset", limitParam: "limit" },
  },
  "GET /LiveSessions": {
    operationId: "LiveSessions_List",
    method: "GET",
    path: "/LiveSessions",
    paging: { style: "offset", items: "LiveSessions", total: "Total", offsetParam: "Offset", limitParam: "Limit" },
  },
  "GET /Users": {
    operationId: "Users_List",
    method: "GET",
    path: "/Users",
    paging: { style: "unpaged", items: "Users", total: "Total" },
  },
  "GET /Accounts/{id}": { operationId: "Accounts_Get", method: "GET", path: "/Accounts/{id}" },
} as const;

export class TestHttpError extends Error {
  constructor(readonly status: number) {
    super(`HTTP ${status}`);
  }
}

export interface WrappedTestClient {
  client: Pick<Client<TestPaths>, "GET">;
  transport: Transport;
  close(): Promise<void>;
}

export function createWrappedTestClient(baseUrl: string, onPage?: (data: object) => void): WrappedTestClient {
  const transport = createTransport({ proxy: false }, createLogger(undefined, new SecretRegistry()));
  const typed = createClient<TestPaths>({ baseUrl, fetch: fetchOverTransport(transport), pathSerializer: serializePath });
  // The wrapper forwards any path; the typed signature is restored on the returned GET.
  const raw = typed as unknown as { GET(path: string, init: unknown): Promise<{ data?: unknown; response: Response }> };
  const GET = (async (path: string, init: unknown) => {
    const result = await raw.GET(path, init);
    if (!result.response.ok) throw new TestHttpError(result.response.status);
    if (onPage && result.data && typeof result.data === "object") onPage(result.data);
    return result;
  }) as unknown as Client<TestPaths>["GET"];
  return { client: { GET }, transport, close: () => transport.close() };
}
