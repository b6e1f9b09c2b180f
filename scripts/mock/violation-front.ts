// A small HTTP front for a Prism proxy: forwards every exchange unchanged and records the contract
// violations Prism attaches (the `sl-violations` header, or the `validation` list of its 422/500
// problem answers). Prism's own log does not carry these details in proxy mode with `--errors`.
import { createServer, request, type IncomingMessage, type Server } from "node:http";
import type { AddressInfo } from "node:net";

export interface Violation {
  location: string[];
  severity: string;
  code?: string | number;
  message: string;
}

export interface ViolationReport {
  /** "response": the server's answer broke the spec; "request": the caller's request did (not forwarded). */
  side: "request" | "response";
  method: string;
  /** Path without the query string (query values may be sensitive). */
  path: string;
  status: number;
  /** "error" when any violation is an error; "warning" for notes such as a path the spec does not know. */
  severity: "error" | "warning";
  violations: Violation[];
}

export interface ContractFront {
  url: string;
  reports(): ViolationReport[];
  /** `broken` counts exchanges with an error-level violation; warnings are listed but do not count. */
  summary(): { checked: number; broken: number; warnings: number; text: string };
  close(): Promise<void>;
}

export async function startContractFront(options: {
  prismUrl: string;
  port?: number;
  onViolation?: (report: ViolationReport) => void;
}): Promise<ContractFront> {
  const target = new URL(options.prismUrl);
  const reports: ViolationReport[] = [];
  let checked = 0;

  const server: Server = createServer((req, res) => {
    checked++;
    const method = req.method ?? "GET";
    const path = (req.url ?? "/").split("?")[0] ?? "/";
    const upstream = request(
      { host: target.hostname, port: target.port, method, path: req.url, headers: req.headers },
      (answer) => {
        void inspect(answer).then((body) => {
          const report = toReport(method, path, answer, body);
          if (report) {
            reports.push(report);
            options.onViolation?.(report);
          }
          res.writeHead(answer.statusCode ?? 502, answer.headers);
          res.end(body);
        });
      },
    );
    upstream.on("error", (err) => {
      res.writeHead(502, { "content-type": "text/plain" });
      res.end(`contract proxy: Prism did not answer: ${err.message}`);
    });
    req.pipe(upstream);
  });
  await new Promise<void>((resolve, reject) => {
    server.once("error", reject);
    server.listen(options.port ?? 0, "127.0.0.1", () => resolve());
  });
  const { port } = server.address() as AddressInfo;

  return {
    url: `http://127.0.0.1:${port}`,
    reports: () => [...reports],
    summary: () => {
      const errors = reports.filter((r) => r.severity === "error");
      const responses = errors.filter((r) => r.side === "response").length;
      const warnings = reports.length - errors.length;
      return {
        checked,
        broken: errors.length,
        warnings,
        text:
          `contract: ${checked} exchange(s) checked, ${responses} server answer(s) broke the spec, ` +
          `${errors.length - responses} request(s) broke the spec${warnings ? `, ${warnings} warning(s)` : ""}`,
      };
    },
    close: () =>
      new Promise<void>((resolve) => {
        server.close(() => resolve());
        server.closeAllConnections();
      }),
  };
}

async function inspect(answer: IncomingMessage): Promise<Buffer> {
  const chunks: Buffer[] = [];
  for await (const chunk of answer) chunks.push(chunk as Buffer);
  return Buffer.concat(chunks);
}

function toReport(method: string, path: string, answer: IncomingMessage, body: Buffer): ViolationReport | undefined {
  const status = answer.statusCode ?? 0;
  let violations = parseViolations(answer.headers["sl-violations"]);
  if (String(answer.headers["content-type"] ?? "").includes("problem+json")) {
    try {
      const problem = JSON.parse(body.toString("utf8")) as { type?: string; detail?: string; validation?: Violation[] };
      if (violations.length === 0 && Array.isArray(problem.validation)) violations = problem.validation;
      // Prism answers a request without the spec's security header itself, without a validation list.
      if (violations.length === 0 && problem.type?.endsWith("#UNAUTHORIZED")) {
        violations = [{ location: ["request", "header"], severity: "Error", message: problem.detail ?? "security requirements not met" }];
      }
      // With --errors Prism refuses a path the spec does not have instead of forwarding it.
      if (violations.length === 0 && problem.type?.endsWith("#NO_PATH_MATCHED_ERROR")) {
        violations = [{ location: ["request", "path"], severity: "Error", message: problem.detail ?? "path not in the spec" }];
      }
    } catch {
      /* not Prism's problem document */
    }
  }
  if (violations.length === 0) return undefined;
  // Prism locates request problems under request/path/query/header/body and answer problems under response.
  const side = violations.some((v) => v.location[0] === "response") ? "response" : "request";
  const severity = violations.some((v) => String(v.severity).toLowerCase() === "error") ? "error" : "warning";
  return { side, method, path, status, severity, violations };
}

function parseViolations(header: string | string[] | undefined): Violation[] {
  const text = Array.isArray(header) ? header.join(",") : header;
  if (!text) return [];
  try {
    const parsed = JSON.parse(text) as unknown;
    return Array.isArray(parsed) ? (parsed as Violation[]) : [];
  } catch {
    return [{ location: [], severity: "Error", message: text }];
  }
}
