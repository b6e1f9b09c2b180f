// A programmable fake PVWA / Privilege Cloud / Identity tenant on 127.0.0.1 for client tests.
// Routes are handlers; every request is logged (method, path, headers, body); helpers add the
// usual vault behaviour: logon issuing tokens and cookies, token checks, expiring sessions.
import { createServer as createHttpServer, type IncomingMessage, type Server, type ServerResponse } from "node:http";
import { createServer as createHttpsServer } from "node:https";
import type { AddressInfo } from "node:net";
import { randomBytes } from "node:crypto";

export interface RecordedRequest {
  method: string;
  /** Path and query as received. */
  path: string;
  pathname: string;
  query: URLSearchParams;
  headers: Record<string, string | string[] | undefined>;
  body: string;
  /** Parsed JSON body, when the body is JSON. */
  json: unknown;
  /** Parsed form body, when form-encoded. */
  form: URLSearchParams | undefined;
  /** Subject CN of the TLS client certificate, when one was presented. */
  clientCertSubject: string | undefined;
}

export interface FakeResponse {
  status?: number;
  headers?: Record<string, string | string[]>;
  /** Serialised as JSON with content-type application/json. */
  json?: unknown;
  /** Sent as is (content-type from headers, default text/plain). */
  text?: string;
  /** Wait before answering. */
  delayMs?: number;
  /** Drop the connection without an answer (network error). */
  destroy?: boolean;
  /** Send the status, headers (a Content-Length for the whole body) and half the body, then drop the connection. */
  cutBody?: boolean;
}

export type Handler = (req: RecordedRequest) => FakeResponse | Promise<FakeResponse>;

interface Route {
  method: string;
  match: (pathname: string) => boolean;
  handler: Handler;
}

export interface FakeTenantOptions {
  tls?: { cert: string; key: string; ca?: string; requestCert?: boolean };
}

export interface VaultLogonSetup {
  username: string;
  password: string;
  /** Logon method path segment. Default "CyberArk". */
  method?: string;
  /** Cookies the logon sets (load-balancer affinity); default one `LBNODE=node-1`. */
  cookies?: string[];
  /** Delay of each logon answer. */
  delayMs?: number;
}

export interface FakeTenant {
  readonly url: string;
  readonly origin: string;
  readonly requests: RecordedRequest[];
  /** Valid tokens (vault or platform). */
  readonly tokens: Set<string>;
  route(method: string, path: string | RegExp, handler: Handler): void;
  /** Routes requiring a valid Authorization header (raw token, or "Bearer <token>" when bearer). */
  authed(method: string, path: string | RegExp, handler: Handler, options?: { bearer?: boolean }): void;
  /** Adds Gen 2 vault logon for one user; returns the logon count getter. */
  vaultLogon(setup: VaultLogonSetup): { readonly count: number };
  /** Adds POST /oauth2/platformtoken. */
  platformToken(setup: {
    clientId: string;
    clientSecret: string;
    expiresIn?: number;
    delayMs?: number;
    /** Tenant whose API accepts the issued tokens (an Identity tenant issues for the Privilege Cloud API). */
    validAt?: FakeTenant;
  }): { readonly count: number };
  issueToken(): string;
  /** Invalidates every token issued so far (simulates idle timeout). */
  expireSessions(): void;
  requestsTo(method: string, pathname: string | RegExp): RecordedRequest[];
  clear(): void;
  close(): Promise<void>;
}

function matcher(path: string | RegExp): (pathname: string) => boolean {
  if (typeof path !== "string") return (p) => path.test(p);
  const lower = path.toLowerCase();
  return (p) => p.toLowerCase() === lower;
}

function readBody(req: IncomingMessage): Promise<string> {
  return new Promise((resolve, reject) => {
    const chunks: Buffer[] = [];
    req.on("data", (c: Buffer) => chunks.push(c));
    req.on("end", () => resolve(Buffer.concat(chunks).toString("utf8")));
    req.on("error", reject);
  });
}

export function authorizationOf(req: RecordedRequest): string | undefined {
  const value = req.headers["authorization"];
  return Array.isArray(value) ? value[0] : value;
}

export async function startFakeTenant(options: FakeTenantOptions = {}): Promise<FakeTenant> {
  const routes: Route[] = [];
  const requests: RecordedRequest[] = [];
  const tokens = new Set<string>();
  const sockets = new Set<import("node:net").Socket>();

  async function handle(req: IncomingMessage, res: ServerResponse): Promise<void> {
    const body = await readBody(req);
    const url = new URL(req.url ?? "/", "http://fake");
    const contentType = String(req.headers["content-type"] ?? "");
    let json: unknown;
    if (/json/i.test(contentType) && body) {
      try {
        json = JSON.parse(body);
      } catch {
        json = undefined;
      }
    }
    const socket = req.socket as import("node:tls").TLSSocket;
    const peer = typeof socket.getPeerCertificate === "function" ? socket.getPeerCertificate() : undefined;
    const recorded: RecordedRequest = {
      method: req.method ?? "GET",
      path: req.url ?? "/",
      pathname: url.pathname,
      query: url.searchParams,
      headers: req.headers,
      body,
      json,
      form: /x-www-form-urlencoded/i.test(contentType) ? new URLSearchParams(body) : undefined,
      clientCertSubject: peer && peer.subject ? String(peer.subject.CN) : undefined,
    };
    requests.push(recorded);
    const route = [...routes].reverse().find((r) => (r.method === "*" || r.method === recorded.method) && r.match(url.pathname));
    const reply: FakeResponse = route
      ? await route.handler(recorded)
      : { status: 404, headers: { "content-type": "text/html" }, text: "<html><body>404 - File or directory not found.</body></html>" };
    if (reply.delayMs) await new Promise((r) => setTimeout(r, reply.delayMs));
    if (reply.destroy) {
      req.socket.destroy();
      return;
    }
    const headers: Record<string, string | string[]> = { ...reply.headers };
    let payload = "";
    if (reply.json !== undefined) {
      payload = JSON.stringify(reply.json);
      headers["content-type"] ??= "application/json; charset=utf-8";
    } else if (reply.text !== undefined) {
      payload = reply.text;
      headers["content-type"] ??= "text/plain; charset=utf-8";
    }
    if (reply.cutBody) {
      headers["content-length"] = String(Buffer.byteLength(payload));
      res.writeHead(reply.status ?? 200, headers);
      res.write(payload.slice(0, Math.floor(payload.length / 2)), () => req.socket.destroy());
      return;
    }
    res.writeHead(reply.status ?? 200, headers);
    res.end(payload);
  }

  const listener = (req: IncomingMessage, res: ServerResponse) => {
    handle(req, res).catch((error: unknown) => {
      res.writeHead(599, { "content-type": "text/plain" });
      res.end(`fake tenant handler failed: ${String(error)}`);
    });
  };
  const server: Server = options.tls
    ? createHttpsServer(
        { cert: options.tls.cert, key: options.tls.key, ca: options.tls.ca, requestCert: options.tls.requestCert ?? false, rejectUnauthorized: false },
        listener,
      )
    : createHttpServer(listener);
  server.on("connection", (s) => {
    sockets.add(s);
    s.on("close", () => sockets.delete(s));
  });
  await new Promise<void>((resolve) => server.listen(0, "127.0.0.1", resolve));
  const { port } = server.address() as AddressInfo;
  const origin = `${options.tls ? "https" : "http"}://127.0.0.1:${port}`;

  const tenant: FakeTenant = {
    url: origin,
    origin,
    requests,
    tokens,
    route(method, path, handler) {
      routes.push({ method: method.toUpperCase(), match: matcher(path), handler });
    },
    authed(method, path, handler, authOptions) {
      tenant.route(method, path, (req) => {
        const header = authorizationOf(req) ?? "";
        const token = authOptions?.bearer ? header.replace(/^Bearer /, "") : header;
        const schemeOk = authOptions?.bearer ? header.startsWith("Bearer ") : !header.startsWith("Bearer ");
        if (!schemeOk || !tokens.has(token)) {
          return { status: 401, json: { ErrorCode: "PASWS006E", ErrorMessage: "No session token or the session has expired." } };
        }
        return handler(req);
      });
    },
    vaultLogon(setup) {
      let count = 0;
      tenant.route("POST", `/PasswordVault/API/auth/${setup.method ?? "CyberArk"}/Logon`, (req) => {
        count++;
        const body = req.json as { username?: string; password?: string } | undefined;
        if (body?.username !== setup.username || body?.password !== setup.password) {
          return {
            status: 403,
            json: { ErrorCode: "PASWS013E", ErrorMessage: `Authentication failure for User [${body?.username ?? ""}].` },
            delayMs: setup.delayMs,
          };
        }
        return {
          json: tenant.issueToken(),
          headers: { "set-cookie": setup.cookies ?? ["LBNODE=node-1; Path=/; HttpOnly"] },
          delayMs: setup.delayMs,
        };
      });
      return {
        get count() {
          return count;
        },
      };
    },
    platformToken(setup) {
      let count = 0;
      tenant.route("POST", "/oauth2/platformtoken", (req) => {
        count++;
        const form = req.form;
        if (form?.get("grant_type") !== "client_credentials" || form.get("client_id") !== setup.clientId || form.get("client_secret") !== setup.clientSecret) {
          return { status: 401, json: { error: "invalid_client", error_description: "Client authentication failed" }, delayMs: setup.delayMs };
        }
        return {
          json: { access_token: (setup.validAt ?? tenant).issueToken(), token_type: "Bearer", expires_in: setup.expiresIn ?? 3600 },
          delayMs: setup.delayMs,
        };
      });
      return {
        get count() {
          return count;
        },
      };
    },
    issueToken() {
      const token = randomBytes(24).toString("base64url");
      tokens.add(token);
      return token;
    },
    expireSessions() {
      tokens.clear();
    },
    requestsTo(method, pathname) {
      const match = matcher(pathname);
      return requests.filter((r) => r.method === method.toUpperCase() && match(r.pathname));
    },
    clear() {
      requests.length = 0;
    },
    close() {
      for (const s of sockets) s.destroy();
      return new Promise<void>((resolve) => server.close(() => resolve()));
    },
  };
  return tenant;
}
