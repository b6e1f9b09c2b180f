// What every benchmark server exposes to the child process that hosts it.
import type { IncomingMessage, ServerResponse } from "node:http";

export interface BenchServer {
  handle(req: IncomingMessage, res: ServerResponse): void;
  /** Counters since the last reset, sent to the parent on request. */
  stats(): Record<string, number>;
  reset(): void;
}

export const API_BASE = "/PasswordVault/API";

export function sendJson(res: ServerResponse, status: number, body: Buffer, extraHeaders: Record<string, string> = {}): void {
  res.writeHead(status, { "content-type": "application/json; charset=utf-8", "content-length": body.length, ...extraHeaders });
  res.end(body);
}

const UNAUTHORIZED = Buffer.from(JSON.stringify({ ErrorCode: "PASWS006E", ErrorMessage: "Your session has expired. Please log on again." }));
const NOT_FOUND = Buffer.from(JSON.stringify({ ErrorCode: "PASWS019E", ErrorMessage: "Not found." }));

/** The servers check that a token was sent (any value), like a PVWA rejecting anonymous calls. */
export function requireToken(req: IncomingMessage, res: ServerResponse): boolean {
  if (req.headers.authorization) return true;
  sendJson(res, 401, UNAUTHORIZED);
  return false;
}

export function notFound(res: ServerResponse): void {
  sendJson(res, 404, NOT_FOUND);
}
