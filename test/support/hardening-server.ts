// A bare HTTP server on 127.0.0.1 for the hardening suite: it records every request exactly as it
// arrived (raw URL, headers, body) and lets each test swap the handler, so one server serves many
// generated inputs. Open sockets are destroyed on close so stalled responses never hang a run.
import { createServer, type IncomingMessage, type ServerResponse } from "node:http";
import type { AddressInfo, Socket } from "node:net";

export interface SeenRequest {
  method: string;
  /** The request target exactly as sent (path and query, still percent-encoded). */
  rawUrl: string;
  headers: IncomingMessage["headers"];
  body: Buffer;
}

export type Handler = (req: IncomingMessage, res: ServerResponse, body: Buffer) => void | Promise<void>;

export interface HardeningServer {
  /** "http://127.0.0.1:<port>" */
  readonly url: string;
  readonly requests: SeenRequest[];
  handler: Handler;
  /** Connections accepted so far. */
  readonly connections: number;
  close(): Promise<void>;
}

export async function startServer(handler: Handler): Promise<HardeningServer> {
  const requests: SeenRequest[] = [];
  const sockets = new Set<Socket>();
  let connections = 0;
  const state = { handler };
  const server = createServer((req, res) => {
    const chunks: Buffer[] = [];
    req.on("data", (c: Buffer) => chunks.push(c));
    req.on("error", () => undefined);
    req.on("end", () => {
      const body = Buffer.concat(chunks);
      requests.push({ method: req.method ?? "", rawUrl: req.url ?? "", headers: req.headers, body });
      Promise.resolve(state.handler(req, res, body)).catch(() => {
        if (!res.headersSent) res.writeHead(599);
        res.end();
      });
    });
  });
  server.keepAliveTimeout = 30_000;
  server.on("connection", (s: Socket) => {
    connections++;
    sockets.add(s);
    s.on("close", () => sockets.delete(s));
  });
  await new Promise<void>((resolve) => server.listen(0, "127.0.0.1", resolve));
  const port = (server.address() as AddressInfo).port;
  return {
    url: `http://127.0.0.1:${port}`,
    requests,
    get handler() {
      return state.handler;
    },
    set handler(h: Handler) {
      state.handler = h;
    },
    get connections() {
      return connections;
    },
    async close() {
      for (const s of sockets) s.destroy();
      await new Promise<void>((resolve) => server.close(() => resolve()));
    },
  };
}

/** Sends a JSON body with the given status. */
export function sendJson(res: ServerResponse, status: number, value: unknown, headers: Record<string, string> = {}): void {
  const text = JSON.stringify(value);
  res.writeHead(status, { "content-type": "application/json; charset=utf-8", "content-length": String(Buffer.byteLength(text)), ...headers });
  res.end(text);
}
