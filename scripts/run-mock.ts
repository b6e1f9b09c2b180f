// `npm run mock`: a Prism mock of a CyberArk tenant for contract-testing automation.
// Serves the embedded (generated) documents under their real base paths, or a document of your own
// with `--spec`, prints the URL to give the client, and stops Prism when you press Ctrl-C.
import { parseArgs } from "node:util";
import { exitCodeOf, type CommandInvocation } from "./lib/command-invocation.js";
import { REFUSED_PREFIX } from "./mock/credentials.js";
import { BASE_PATHS } from "./mock/documents.js";
import { PLATFORM_TOKEN_PATH } from "./mock/platform-token.js";
import { startMock, type RunningMock } from "./mock/start-mock.js";

const helpText = (invocation: CommandInvocation): string => `Usage: ${invocation.command} [options]

Starts a Prism mock of the CyberArk APIs on 127.0.0.1 and prints the URL to point the client at.

Options:
  --spec <file>   serve this OpenAPI 3 / Swagger 2.0 document instead of the embedded one
                  (its paths are mounted under its basePath / first server path)
  --port <n>      port to listen on (default: a free port)
  --dynamic       realistic random bodies instead of static examples
  --seed <s>      with --dynamic: the same seed and the same requests in the same order give the
                  same bodies on every run
  --quiet         do not echo Prism's request log
  --help          show this text

Logons answer a fresh token for any password, and refuse (403 PASWS013E, or 401 invalid_client for
${PLATFORM_TOKEN_PATH}) a password or client secret that is empty or starts with "${REFUSED_PREFIX}".
`;

const REPO_INVOCATION: CommandInvocation = { command: "npm run mock --" };

async function mockCommand(argv: readonly string[], invocation: CommandInvocation): Promise<number> {
  const { values } = parseArgs({
    args: [...argv],
    options: {
      spec: { type: "string" },
      port: { type: "string" },
      dynamic: { type: "boolean", default: false },
      seed: { type: "string" },
      quiet: { type: "boolean", default: false },
      help: { type: "boolean", default: false },
    },
    strict: true,
  });
  if (values.help) {
    process.stdout.write(helpText(invocation));
    return 0;
  }
  const port = values.port === undefined ? 0 : Number(values.port);
  if (!Number.isInteger(port) || port < 0 || port > 65535) throw new Error(`--port must be a port number, got "${values.port}"`);
  if (values.seed !== undefined && !values.dynamic) throw new Error("--seed only applies with --dynamic");

  const starting = new AbortController();
  let mock: RunningMock | undefined;
  let ready = false;
  let stopping: Promise<never> | undefined;
  // Memoised: Ctrl-C reaches both this process and Prism; whoever comes first cleans up once.
  const shutdown = (code: number): Promise<never> =>
    (stopping ??= (async () => {
      starting.abort();
      await mock?.close();
      process.exit(code);
    })());
  for (const signal of ["SIGINT", "SIGTERM", "SIGHUP"] as const) {
    process.once(signal, () => {
      if (ready) process.stdout.write("\nStopping the mock.\n");
      void shutdown(0);
    });
  }

  try {
    mock = await startMock({
      port,
      dynamic: values.dynamic,
      signal: starting.signal,
      ...(values.spec !== undefined ? { spec: values.spec } : {}),
      ...(values.seed !== undefined ? { seed: values.seed } : {}),
      // The route listing Prism prints while starting is long; echo only what happens afterwards.
      onLine: (line) => {
        if (ready && !values.quiet) process.stdout.write(`${line}\n`);
      },
    });
    ready = true;
    process.stdout.write(banner(mock.url, mock.basePath, values));
    const { code, signal } = await mock.exited;
    // Ctrl-C in a terminal signals Prism too; only an exit nobody asked for is an error.
    const asked = stopping !== undefined || signal === "SIGINT";
    if (!asked) process.stderr.write(`Prism stopped unexpectedly (exit code ${code ?? "none"}).\n${mock.output()}\n`);
    return await shutdown(asked ? 0 : 1);
  } catch (err) {
    if (!stopping) process.stderr.write(`${err instanceof Error ? err.message : String(err)}\n`);
    return await shutdown(1);
  }
}

function banner(url: string, basePath: string | undefined, values: { dynamic: boolean; seed?: string | undefined }): string {
  const lines = [`Prism mock listening on ${url}`];
  if (basePath === undefined) {
    lines.push(
      `  Gen 2 API:        ${url}${BASE_PATHS.gen2}`,
      `  Gen 1 API:        ${url}${BASE_PATHS.gen1}`,
      `  Privilege Cloud:  ${url}${BASE_PATHS.pcloud}`,
      `  Identity token:   ${url}${PLATFORM_TOKEN_PATH}`,
      "",
      "Point the client at the mock's root, for example:",
      `  createCyberArkClient({ deployment: { type: "self-hosted", url: "${url}", allowInsecureHttp: true },`,
      `                         auth: vaultLogon({ username: "automation", password: "any-password" }) })`,
      `  Privilege Cloud, logging on as a service user:`,
      `  createCyberArkClient({ deployment: { type: "privilege-cloud", subdomain: "mock", allowInsecureHttp: true,`,
      `                           overrides: { pvwaRoot: "${url}", pcloudRoot: "${url}", identityUrl: "${url}" } },`,
      `                         auth: platformToken({ clientId: "svc-automation@mock", clientSecret: "any-secret" }) })`,
      `Any password or client secret logs on, except an empty one or one starting with "${REFUSED_PREFIX}"`,
      `(e.g. "${REFUSED_PREFIX}-password"): refused like a tenant refuses it (403 PASWS013E; 401 invalid_client).`,
      "Prism checks only that an Authorization header is present, so staticToken({ token: \"any-token\" }) works too.",
    );
  } else {
    lines.push(`  Document base:    ${url}${basePath}`, `  Identity token:   ${url}${PLATFORM_TOKEN_PATH}`);
  }
  lines.push(
    "A request that breaks the spec gets 400 or 422 with an `sl-violations` header. Add `Prefer: code=404`",
    "(or example=<name>, dynamic=true) to a request to choose the answer.",
  );
  if (values.dynamic) {
    lines.push(
      values.seed === undefined
        ? "Bodies are generated at random (--seed <s> repeats them)."
        : `Bodies are generated from seed "${values.seed}": the same requests in the same order give the same bodies.`,
    );
  }
  lines.push("Press Ctrl-C to stop.", "");
  return lines.join("\n");
}

export function runMock(argv: readonly string[], invocation: CommandInvocation = REPO_INVOCATION): Promise<number> {
  return exitCodeOf(() => mockCommand(argv, invocation));
}
