// The generator's view of the transport suite's recording HTTPS server: a certificate from the test
// CA, and what each request asked for (path, host, Authorization).
import type { IncomingMessage, ServerResponse } from "node:http";
import type { TestPki } from "../support/certs.js";
import { startHttpsServer as startRecordingServer } from "../transport/servers.js";

export interface SeenRequest {
  path: string;
  host: string;
  authorization: string | undefined;
}

export interface TestServer {
  port: number;
  readonly seen: SeenRequest[];
  close(): Promise<void>;
}

export type Handler = (req: IncomingMessage, res: ServerResponse) => void;

export async function startHttpsServer(pki: TestPki, handler: Handler): Promise<TestServer> {
  const server = await startRecordingServer({ cert: pki.serverCert, key: pki.serverKey }, handler);
  return {
    port: server.port,
    get seen() {
      return server.requests.map((r) => ({ path: r.url, host: r.headers.host ?? "", authorization: r.headers.authorization }));
    },
    close: () => server.close(),
  };
}

export function sendJson(res: ServerResponse, status: number, body: string, type = "application/json"): void {
  res.writeHead(status, { "content-type": type, "content-length": Buffer.byteLength(body) });
  res.end(body);
}
