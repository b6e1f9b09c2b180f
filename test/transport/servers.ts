// Test servers for the transport suite: an HTTPS server on 127.0.0.1 that records what it
// saw (paths, client certificates, sockets) and a CONNECT proxy that counts tunnels.
import { createServer as createHttpServer, type IncomingMessage, type Server, type ServerResponse } from "node:http";
import { createServer as createHttpsServer, type ServerOptions } from "node:https";
import { connect, type AddressInfo, type Socket } from "node:net";
import type { TLSSocket } from "node:tls";

export interface Recorded {
  url: string;
  method: string;
  headers: IncomingMessage["headers"];
  clientCertCN: string | undefined;
  socketId: number;
}

export interface TestServer {
  url: string;
  port: number;
  requests: Recorded[];
  sockets: number;
  close(): Promise<void>;
}

type Handler = (req: IncomingMessage, res: ServerResponse) => void;

const defaultHandler: Handler = (req, res) => {
  res.setHeader("content-type", "application/json");
  res.end(JSON.stringify({ ok: true, url: req.url }));
};

async function listen(server: Server, scheme: "http" | "https", handler: Handler): Promise<TestServer> {
  const requests: Recorded[] = [];
  const openSockets = new Set<Socket>();
  let sockets = 0;
  const socketIds = new WeakMap<Socket, number>();
  const onSocket = (socket: Socket): void => {
    sockets++;
    socketIds.set(socket, sockets);
    openSockets.add(socket);
    socket.on("close", () => openSockets.delete(socket));
  };
  server.on(scheme === "https" ? "secureConnection" : "connection", onSocket);
  server.on("request", (req: IncomingMessage, res: ServerResponse) => {
    const tlsSocket = req.socket as TLSSocket;
    const peer = typeof tlsSocket.getPeerCertificate === "function" ? tlsSocket.getPeerCertificate() : undefined;
    requests.push({
      url: req.url ?? "",
      method: req.method ?? "",
      headers: req.headers,
      clientCertCN: peer && typeof peer.subject?.CN === "string" ? peer.subject.CN : undefined,
      socketId: socketIds.get(req.socket) ?? -1,
    });
    handler(req, res);
  });
  await new Promise<void>((resolve) => server.listen(0, "127.0.0.1", resolve));
  const port = (server.address() as AddressInfo).port;
  const result: TestServer = {
    url: `${scheme}://127.0.0.1:${port}`,
    port,
    requests,
    get sockets() {
      return sockets;
    },
    close: async () => {
      for (const s of openSockets) s.destroy();
      await new Promise<void>((resolve) => server.close(() => resolve()));
    },
  };
  return result;
}

export function startHttpsServer(tls: ServerOptions, handler: Handler = defaultHandler): Promise<TestServer> {
  return listen(createHttpsServer(tls), "https", handler);
}

export function startHttpServer(handler: Handler = defaultHandler): Promise<TestServer> {
  return listen(createHttpServer(), "http", handler);
}

export interface TestProxy {
  url: string;
  /** host:port of every CONNECT tunnel opened through the proxy. */
  connects: string[];
  /** Proxy-Authorization headers received (for credential tests). */
  proxyAuthorizations: Array<string | undefined>;
  close(): Promise<void>;
}

/** A minimal forward proxy: CONNECT tunnels only (undici tunnels both http and https). */
export async function startConnectProxy(): Promise<TestProxy> {
  const connects: string[] = [];
  const proxyAuthorizations: Array<string | undefined> = [];
  const sockets = new Set<Socket>();
  const server = createHttpServer((_req, res) => {
    res.statusCode = 405;
    res.end("CONNECT only");
  });
  server.on("connection", (s: Socket) => {
    sockets.add(s);
    s.on("close", () => sockets.delete(s));
  });
  server.on("connect", (req: IncomingMessage, clientSocket: Socket, head: Buffer) => {
    const target = req.url ?? "";
    connects.push(target);
    proxyAuthorizations.push(req.headers["proxy-authorization"]);
    const [host, port] = target.split(":");
    const upstream = connect(Number(port), host ?? "127.0.0.1", () => {
      clientSocket.write("HTTP/1.1 200 Connection Established\r\n\r\n");
      if (head.length > 0) upstream.write(head);
      upstream.pipe(clientSocket);
      clientSocket.pipe(upstream);
    });
    sockets.add(upstream);
    upstream.on("close", () => sockets.delete(upstream));
    upstream.on("error", () => clientSocket.destroy());
    clientSocket.on("error", () => upstream.destroy());
  });
  await new Promise<void>((resolve) => server.listen(0, "127.0.0.1", resolve));
  const port = (server.address() as AddressInfo).port;
  return {
    url: `http://127.0.0.1:${port}`,
    connects,
    proxyAuthorizations,
    close: async () => {
      for (const s of sockets) s.destroy();
      await new Promise<void>((resolve) => server.close(() => resolve()));
    },
  };
}
