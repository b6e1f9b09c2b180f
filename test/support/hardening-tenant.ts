// A minimal PVWA stand-in for the fault and load areas: Gen 2 vault logon issuing numbered tokens,
// a token policy deciding which tokens the API still accepts, and a pluggable API handler.
import type { IncomingMessage, ServerResponse } from "node:http";
import { sendJson, startServer, type HardeningServer } from "./hardening-server.js";

export interface TenantState {
  /** Logons answered so far. */
  logons: number;
  /** API requests answered so far (logon and logoff excluded). */
  apiRequests: number;
  /** Tokens issued, in order ("tok-1", "tok-2", ...). */
  issued: string[];
}

export type ApiHandler = (req: IncomingMessage, res: ServerResponse, body: Buffer, state: TenantState) => void;

export interface Tenant {
  server: HardeningServer;
  state: TenantState;
  api: ApiHandler;
  /** False for a token the API must answer 401 to (checked before `api` runs). */
  accepts: (token: string, state: TenantState) => boolean;
  /** Delay before answering a logon, in ms. */
  logonDelayMs: number;
  reset(): void;
  close(): Promise<void>;
}

const LOGON = /\/auth\/[^/]+\/Logon$/i;
const LOGOFF = /\/Auth\/Logoff$/i;

export const TOKEN_PREFIX = "tok-hardening-";

export async function startTenant(api: ApiHandler = (_q, res) => sendJson(res, 200, { ok: true })): Promise<Tenant> {
  const state: TenantState = { logons: 0, apiRequests: 0, issued: [] };
  const tenant: Tenant = {
    server: undefined as unknown as HardeningServer,
    state,
    api,
    accepts: () => true,
    logonDelayMs: 0,
    reset() {
      state.logons = 0;
      state.apiRequests = 0;
      state.issued.length = 0;
      tenant.accepts = () => true;
      tenant.logonDelayMs = 0;
    },
    close: () => tenant.server.close(),
  };
  tenant.server = await startServer((req, res, body) => {
    const path = (req.url ?? "").split("?")[0] ?? "";
    if (LOGON.test(path)) {
      state.logons++;
      const token = `${TOKEN_PREFIX}${state.logons}`;
      state.issued.push(token);
      const answer = () => sendJson(res, 200, token);
      if (tenant.logonDelayMs > 0) setTimeout(answer, tenant.logonDelayMs);
      else answer();
      return;
    }
    if (LOGOFF.test(path)) {
      sendJson(res, 200, {});
      return;
    }
    state.apiRequests++;
    const token = String(req.headers.authorization ?? "");
    if (!tenant.accepts(token, state)) {
      sendJson(res, 401, { ErrorCode: "PASWS006E", ErrorMessage: "The session token is invalid or has expired" });
      return;
    }
    tenant.api(req, res, body, state);
  });
  return tenant;
}

/** Number of the token ("tok-hardening-7" -> 7), or 0 when it is not one of ours. */
export function tokenNumber(token: string): number {
  return token.startsWith(TOKEN_PREFIX) ? Number(token.slice(TOKEN_PREFIX.length)) || 0 : 0;
}
