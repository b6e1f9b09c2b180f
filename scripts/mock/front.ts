// The mock's HTTP front: one server on the mock's port that sits before Prism. Prism can only answer
// from the spec; a tenant also refuses bad passwords, issues tokens, ends its lists and serves the
// Identity token route. Rules hook into three points of an exchange: answer it without Prism (a route
// no spec describes), change the request Prism sees, and change the answer the caller gets.
// Request and answer bodies are buffered whole: rules need them, and API bodies are small.
import { createServer, request, type IncomingHttpHeaders, type Server } from "node:http";
import type { AddressInfo } from "node:net";

export interface FrontRequest {
  method: string;
  /** Path and query, as received. */
  url: string;
  headers: IncomingHttpHeaders;
  body: Buffer;
}

export interface FrontAnswer {
  status: number;
  headers: IncomingHttpHeaders;
  body: Buffer;
}

export interface FrontRule {
  /** Answers the request itself (Prism never sees it), or undefined to pass. */
  answer?(req: FrontRequest): FrontAnswer | undefined;
  /** The request as Prism should receive it. */
  forward?(req: FrontRequest): FrontRequest;
  /** Prism's answer as the caller should receive it; `req` is what the caller sent. */
  respond?(req: FrontRequest, answer: FrontAnswer): FrontAnswer;
}

export interface Front {
  url: string;
  close(): Promise<void>;
}

/** A JSON answer with a correct content-length, keeping `headers` (e.g. Prism's CORS headers). */
export function jsonAnswer(status: number, value: unknown, headers: IncomingHttpHeaders = {}): FrontAnswer {
  const body = Buffer.from(JSON.stringify(value));
  const kept = { ...headers };
  delete kept["transfer-encoding"];
  return { status, headers: { ...kept, "content-type": "application/json; charset=utf-8", "content-length": String(body.length) }, body };
}

/** The answer's JSON body, or undefined when it has none. */
export function parseJson(body: Buffer): unknown {
  try {
    return JSON.parse(body.toString("utf8")) as unknown;
  } catch {
    return undefined;
  }
}

export async function startFront(options: { upstreamUrl: string; rules: readonly FrontRule[]; host?: string; port?: number }): Promise<Front> {
  const target = new URL(options.upstreamUrl);
  const rules = options.rules;

  const server: Server = createServer((incoming, res) => {
    const chunks: Buffer[] = [];
    incoming.on("data", (chunk: Buffer) => chunks.push(chunk));
    incoming.on("end", () => {
      const received: FrontRequest = { method: incoming.method ?? "GET", url: incoming.url ?? "/", headers: incoming.headers, body: Buffer.concat(chunks) };
      const send = (answer: FrontAnswer): void => {
        res.writeHead(answer.status, answer.headers);
        res.end(answer.body);
      };
      const failed = (err: unknown): void => {
        res.writeHead(500, { "content-type": "text/plain" });
        res.end(`mock front: ${err instanceof Error ? err.message : String(err)}`);
      };
      let sent: FrontRequest;
      try {
        for (const rule of rules) {
          const own = rule.answer?.(received);
          if (own) return send(own);
        }
        sent = rules.reduce((req, rule) => rule.forward?.(req) ?? req, received);
      } catch (err) {
        return failed(err);
      }
      const headers = { ...sent.headers };
      // The body was read whole: say its length instead of relaying the caller's framing.
      delete headers["transfer-encoding"];
      if (sent.body.length > 0 || headers["content-length"] !== undefined) headers["content-length"] = String(sent.body.length);
      const upstream = request({ host: target.hostname, port: target.port, method: sent.method, path: sent.url, headers }, (answer) => {
        const parts: Buffer[] = [];
        answer.on("data", (chunk: Buffer) => parts.push(chunk));
        answer.on("end", () => {
          const prism: FrontAnswer = { status: answer.statusCode ?? 502, headers: { ...answer.headers }, body: Buffer.concat(parts) };
          try {
            send(rules.reduce((a, rule) => rule.respond?.(received, a) ?? a, prism));
          } catch (err) {
            failed(err);
          }
        });
      });
      upstream.on("error", (err) => {
        res.writeHead(502, { "content-type": "text/plain" });
        res.end(`mock front: Prism did not answer: ${err.message}`);
      });
      upstream.end(sent.body);
    });
  });
  await new Promise<void>((resolve, reject) => {
    server.once("error", reject);
    server.listen(options.port ?? 0, options.host ?? "127.0.0.1", () => resolve());
  });
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
