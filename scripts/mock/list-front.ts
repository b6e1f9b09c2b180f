// In front of Prism's mock: Prism answers every list from the spec's example, the same page for any
// offset, with a nextLink and a `count` of -2147483648, so a listing never ends (and a client that
// checks its pages reports it as truncated). A tenant's lists end: this front forwards every exchange
// unchanged except list answers, which it ends after their first page (no nextLink, the total equal
// to the items on it).
import { createServer, request, type IncomingHttpHeaders, type Server } from "node:http";
import type { AddressInfo } from "node:net";

export interface ListFront {
  url: string;
  close(): Promise<void>;
}

/** Keys of a list envelope's total (Gen 2 `count`, offset envelopes `Total`/`total`). */
const TOTAL_KEYS = ["count", "Total", "total"];

/** The body with its list ended, or undefined when it is no list envelope. */
export function endList(body: unknown): Record<string, unknown> | undefined {
  if (typeof body !== "object" || body === null || Array.isArray(body)) return undefined;
  const envelope = body as Record<string, unknown>;
  const items = Object.values(envelope).find(Array.isArray);
  if (items === undefined) return undefined;
  const hasTotal = TOTAL_KEYS.some((key) => typeof envelope[key] === "number");
  if (!("nextLink" in envelope) && !hasTotal) return undefined;
  const ended: Record<string, unknown> = {};
  for (const [key, value] of Object.entries(envelope)) {
    if (key === "nextLink") continue;
    ended[key] = TOTAL_KEYS.includes(key) && typeof value === "number" ? items.length : value;
  }
  return ended;
}

export async function startListFront(options: { upstreamUrl: string; host?: string; port?: number }): Promise<ListFront> {
  const target = new URL(options.upstreamUrl);
  const server: Server = createServer((req, res) => {
    const upstream = request({ host: target.hostname, port: target.port, method: req.method, path: req.url, headers: req.headers }, (answer) => {
      const chunks: Buffer[] = [];
      answer.on("data", (chunk: Buffer) => chunks.push(chunk));
      answer.on("end", () => {
        let body = Buffer.concat(chunks);
        const headers: IncomingHttpHeaders = { ...answer.headers };
        const status = answer.statusCode ?? 502;
        if (req.method === "GET" && status >= 200 && status < 300 && /json/i.test(String(headers["content-type"] ?? ""))) {
          let ended: Record<string, unknown> | undefined;
          try {
            ended = endList(JSON.parse(body.toString("utf8")));
          } catch {
            ended = undefined;
          }
          if (ended !== undefined) {
            body = Buffer.from(JSON.stringify(ended));
            delete headers["transfer-encoding"];
            headers["content-length"] = String(body.length);
          }
        }
        res.writeHead(status, headers);
        res.end(body);
      });
    });
    upstream.on("error", (err) => {
      res.writeHead(502, { "content-type": "text/plain" });
      res.end(`mock front: Prism did not answer: ${err.message}`);
    });
    req.pipe(upstream);
  });
  await new Promise<void>((resolve) => server.listen(options.port ?? 0, options.host ?? "127.0.0.1", resolve));
  const address = server.address() as AddressInfo;
  return {
    url: `http://${address.address}:${address.port}`,
    close: () =>
      new Promise<void>((resolve) => {
        server.closeAllConnections();
        server.close(() => resolve());
      }),
  };
}
