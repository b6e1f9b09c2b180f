// `npm run contract -- --upstream <url>`: Prism in proxy mode in front of a real tenant, reporting every
// answer of the server (and every request) that breaks the embedded spec. Useful when a tenant's API
// differs from the spec: run your automation against the printed URL and read the report.
import { spawn } from "node:child_process";
import { mkdtempSync, rmSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { parseArgs } from "node:util";
import { exitCodeOf, type CommandInvocation } from "./lib/command-invocation.js";
import { prepareMockDocument } from "./mock/tenant-document.js";
import { startContractFront, type ContractFront, type ViolationReport } from "./mock/violation-front.js";
import { launchPrism, type PrismProcess } from "./mock/prism.js";

const helpText = (invocation: CommandInvocation): string => `Usage: ${invocation.command} --upstream <tenant URL> [options]

Starts Prism as a validating proxy in front of <tenant URL> (the origin, e.g. https://pvwa.example.com or
https://mycompany.privilegecloud.cyberark.cloud) and prints the URL to point your client at instead.
Every request and every answer is checked against the spec; violations are printed as they happen and
summarised on exit. Exit code 1 when anything broke the spec.

Options:
  --upstream <url>  the real server (required)
  --spec <file>     check against this document instead of the embedded spec (mounted under its basePath)
  --port <n>        port for the proxy (default: a free port)
  --pass-through    hand the server's answer to the caller even when it breaks the spec
                    (default: Prism replaces it with a 500 "VIOLATIONS" problem, so automation notices)
  --run <command>   run <command> with CYBERARK_CONTRACT_URL set to the proxy URL, then report and exit
  --help            show this text

A private CA for the upstream: set NODE_EXTRA_CA_CERTS=<ca.pem> in the environment.
`;

const REPO_INVOCATION: CommandInvocation = { command: "npm run contract --" };

async function contractCommand(argv: readonly string[], invocation: CommandInvocation): Promise<number> {
  const { values } = parseArgs({
    args: [...argv],
    options: {
      upstream: { type: "string" },
      spec: { type: "string" },
      port: { type: "string" },
      "pass-through": { type: "boolean", default: false },
      run: { type: "string" },
      help: { type: "boolean", default: false },
    },
    strict: true,
  });
  if (values.help) {
    process.stdout.write(helpText(invocation));
    return 0;
  }
  if (!values.upstream) throw new Error(`--upstream <url> is required\n\n${helpText(invocation)}`);
  const upstream = checkUpstream(values.upstream);
  const port = values.port === undefined ? 0 : Number(values.port);
  if (!Number.isInteger(port) || port < 0 || port > 65535) throw new Error(`--port must be a port number, got "${values.port}"`);

  const workDir = mkdtempSync(join(tmpdir(), "cyberark-contract-"));
  let prism: PrismProcess | undefined;
  let front: ContractFront | undefined;
  let finishing: Promise<number> | undefined;
  // Memoised: a signal and the end of main may both ask to finish; the report is printed once.
  const finish = (commandCode?: number): Promise<number> =>
    (finishing ??= (async () => {
      await front?.close();
      await prism?.stop();
      rmSync(workDir, { recursive: true, force: true });
      if (!front) return 1;
      const summary = front.summary();
      process.stdout.write(`\n${summary.text}\n`);
      if (commandCode !== undefined && commandCode !== 0) return commandCode;
      return summary.broken > 0 ? 1 : 0;
    })());
  for (const signal of ["SIGINT", "SIGTERM", "SIGHUP"] as const) {
    process.once(signal, () => void finish().then((code) => process.exit(code)));
  }

  try {
    const prepared = prepareMockDocument(workDir, values.spec);
    // Kept before it is ready so a Ctrl-C during start-up still stops it.
    prism = launchPrism({ document: prepared.document, mode: "proxy", upstream, errors: !values["pass-through"] });
    const prismUrl = await prism.ready;
    front = await startContractFront({ prismUrl, port, onViolation: (v) => process.stdout.write(`${describe(v)}\n`) });
    process.stdout.write(
      [
        `Contract proxy listening on ${front.url} -> ${upstream}`,
        `Point the client at ${front.url} instead of the tenant, with allowInsecureHttp: true:`,
        `  self-hosted:      deployment: { type: "self-hosted", url: "${front.url}", ... }`,
        `  Privilege Cloud:  deployment: { type: "privilege-cloud", ..., overrides: { pvwaRoot: "${front.url}", pcloudRoot: "${front.url}" } }`,
        `Checking against ${values.spec ?? "the embedded spec"}.`,
        values.run ? `Running: ${values.run}` : "Press Ctrl-C to stop and print the report.",
        "",
      ].join("\n"),
    );
    if (values.run) {
      const child = spawn(values.run, { shell: true, stdio: "inherit", env: { ...process.env, CYBERARK_CONTRACT_URL: front.url } });
      const code = await new Promise<number>((resolve) => child.once("exit", (c, s) => resolve(c ?? (s ? 1 : 0))));
      return finish(code);
    }
    const { signal } = await prism.exited;
    // Ctrl-C in a terminal signals Prism too; only an exit nobody asked for is reported.
    if (!finishing && signal !== "SIGINT") process.stderr.write(`Prism stopped unexpectedly (${signal ?? "exit"}).\n${prism.output()}\n`);
    return finish();
  } catch (err) {
    if (!finishing) process.stderr.write(`${err instanceof Error ? err.message : String(err)}\n`);
    const code = await finish();
    return code === 0 ? 1 : code;
  }
}

function checkUpstream(text: string): string {
  let url: URL;
  try {
    url = new URL(text);
  } catch {
    throw new Error(`--upstream must be an absolute http(s) URL, got "${text}"`);
  }
  if (url.protocol !== "https:" && url.protocol !== "http:") throw new Error(`--upstream must use http or https, got ${url.protocol}`);
  if (url.username || url.password) throw new Error("--upstream must not contain credentials");
  return `${url.origin}${url.pathname.replace(/\/+$/, "")}`;
}

function describe(v: ViolationReport): string {
  const who =
    v.severity === "warning"
      ? "note"
      : v.side === "response"
        ? "server answer broke the spec"
        : "request broke the spec (not forwarded)";
  const details = v.violations.map((x) => `    ${String(x.severity).toLowerCase()}: ${x.location.join(".")}: ${x.message}`);
  return [`${v.severity === "warning" ? "⚠" : "✖"} ${who}: ${v.method} ${v.path} -> ${v.status}`, ...details].join("\n");
}

export function runContract(argv: readonly string[], invocation: CommandInvocation = REPO_INVOCATION): Promise<number> {
  return exitCodeOf(() => contractCommand(argv, invocation));
}
