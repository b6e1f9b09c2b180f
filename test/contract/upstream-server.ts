// A stand-in for a real tenant behind the contract proxy: answers fixed bodies per "METHOD path" on
// 127.0.0.1 and remembers what it was asked.
import { createServer, type Server } from "node:http";
import type { AddressInfo } from "node:net";

export interface CannedAnswer {
  status: number;
  body?: unknown;
}

export interface UpstreamServer {
  url: string;
  /** "METHOD /path" of every request received, in order. */
  received: string[];
  close(): Promise<void>;
}

export async function startUpstream(answers: Record<string, CannedAnswer>): Promise<UpstreamServer> {
  const received: string[] = [];
  const server: Server = createServer((req, res) => {
    const key = `${req.method} ${(req.url ?? "/").split("?")[0]}`;
    received.push(key);
    req.resume();
    const answer = answers[key];
    if (!answer) {
      res.writeHead(404, { "content-type": "application/json" });
      res.end(JSON.stringify({ ErrorCode: "TEST404", ErrorMessage: `no canned answer for ${key}` }));
      return;
    }
    if (answer.body === undefined) {
      res.writeHead(answer.status);
      res.end();
      return;
    }
    res.writeHead(answer.status, { "content-type": "application/json" });
    res.end(JSON.stringify(answer.body));
  });
  await new Promise<void>((resolve) => server.listen(0, "127.0.0.1", () => resolve()));
  const { port } = server.address() as AddressInfo;
  return {
    url: `http://127.0.0.1:${port}`,
    received,
    close: () =>
      new Promise<void>((resolve) => {
        server.close(() => resolve());
        server.closeAllConnections();
      }),
  };
}
