// `npm run mock`: a Prism mock of a CyberArk tenant for contract-testing automation.
// Serves the embedded (generated) documents under their real base paths, or a document of your own
// with `--spec`, prints the URL to give the client, and stops Prism when you press Ctrl-C.
import { mkdtempSync, rmSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { parseArgs } from "node:util";
import { BASE_PATHS } from "./mock/documents.js";
import { prepareMockDocument } from "./mock/tenant-document.js";
import { startListFront, type ListFront } from "./mock/list-front.js";
import { launchPrism, type PrismProcess } from "./mock/prism.js";

const HELP = `Usage: npm run mock [-- options]

Starts a Prism mock of the CyberArk APIs on 127.0.0.1 and prints the URL to point the client at.

Options:
  --spec <file>   serve this OpenAPI 3 / Swagger 2.0 document instead of the embedded one
                  (its paths are mounted under its basePath / first server path)
  --port <n>      port to listen on (default: a free port)
  --dynamic       realistic random bodies instead of static examples (add --seed <s> to repeat them)
  --seed <s>      seed for --dynamic
  --quiet         do not echo Prism's request log
  --help          show this text
`;

async function main(): Promise<number> {
  const { values } = parseArgs({
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
    process.stdout.write(HELP);
    return 0;
  }
  const port = values.port === undefined ? 0 : Number(values.port);
  if (!Number.isInteger(port) || port < 0 || port > 65535) throw new Error(`--port must be a port number, got "${values.port}"`);

  const workDir = mkdtempSync(join(tmpdir(), "cyberark-mock-"));
  let prism: PrismProcess | undefined;
  let front: ListFront | undefined;
  let ready = false;
  let stopping: Promise<never> | undefined;
  // Memoised: Ctrl-C reaches both this process and Prism; whoever comes first cleans up once.
  const shutdown = (code: number): Promise<never> =>
    (stopping ??= (async () => {
      await front?.close();
      await prism?.stop();
      rmSync(workDir, { recursive: true, force: true });
      process.exit(code);
    })());
  for (const signal of ["SIGINT", "SIGTERM", "SIGHUP"] as const) {
    process.once(signal, () => {
      if (ready) process.stdout.write("\nStopping the mock.\n");
      void shutdown(0);
    });
  }

  try {
    const prepared = prepareMockDocument(workDir, values.spec);
    // Kept before it is ready so a Ctrl-C during start-up still stops it.
    const started = launchPrism({
      document: prepared.document,
      dynamic: values.dynamic,
      ...(values.seed !== undefined ? { seed: values.seed } : {}),
      // The route listing Prism prints while starting is long; echo only what happens afterwards.
      onLine: (line) => {
        if (ready && !values.quiet) process.stdout.write(`${line}\n`);
      },
    });
    prism = started;
    // Prism's lists never end (the same example page for every offset): the front ends them.
    front = await startListFront({ upstreamUrl: await started.ready, port });
    const url = front.url;
    ready = true;
    process.stdout.write(banner(url, prepared.basePath));
    const { code, signal } = await started.exited;
    // Ctrl-C in a terminal signals Prism too; only an exit nobody asked for is an error.
    const asked = stopping !== undefined || signal === "SIGINT";
    if (!asked) process.stderr.write(`Prism stopped unexpectedly (exit code ${code ?? "none"}).\n${started.output()}\n`);
    return await shutdown(asked ? 0 : 1);
  } catch (err) {
    if (!stopping) process.stderr.write(`${err instanceof Error ? err.message : String(err)}\n`);
    return await shutdown(1);
  }
}

function banner(url: string, basePath: string | undefined): string {
  const lines = [`Prism mock listening on ${url}`];
  if (basePath === undefined) {
    lines.push(
      `  Gen 2 API:        ${url}${BASE_PATHS.gen2}`,
      `  Gen 1 API:        ${url}${BASE_PATHS.gen1}`,
      `  Privilege Cloud:  ${url}${BASE_PATHS.pcloud}`,
      "",
      "Point the client at the mock's root, for example:",
      `  createCyberArkClient({ deployment: { type: "self-hosted", url: "${url}", allowInsecureHttp: true },`,
      `                         auth: staticToken({ token: "any-token" }) })`,
      `  (Privilege Cloud: deployment: { type: "privilege-cloud", subdomain: "mock", allowInsecureHttp: true,`,
      `                    overrides: { pvwaRoot: "${url}", pcloudRoot: "${url}" } })`,
      "Prism checks only that an Authorization header is present. A request that breaks the spec gets",
      "400 or 422 with an `sl-violations` header. Add `Prefer: code=404` (or example=<name>,",
      "dynamic=true) to a request to choose the answer.",
    );
  } else {
    lines.push(`  Document base:    ${url}${basePath}`);
  }
  lines.push("Press Ctrl-C to stop.", "");
  return lines.join("\n");
}

main().then(
  (code) => process.exit(code),
  (err: unknown) => {
    process.stderr.write(`${err instanceof Error ? err.message : String(err)}\n`);
    process.exit(1);
  },
);
