// The mock as one plain function: Prism serving the tenant document (or `spec`), behind the front
// whose rules make it answer like a tenant where automation depends on it. `npm run mock` and the
// contract tests both start it through here.
import { mkdtempSync, rmSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { startFront, type Front } from "./front.js";
import { endLists } from "./list-front.js";
import { vaultLogons } from "./logon.js";
import { platformTokens } from "./platform-token.js";
import { launchPrism, type PrismProcess } from "./prism.js";
import { prepareMockDocument } from "./tenant-document.js";

export interface MockOptions {
  /** Port of the mock (default: a free one). It listens on 127.0.0.1 only. */
  port?: number;
  /** An OpenAPI 3 / Swagger 2.0 file to serve instead of the embedded tenant document. */
  spec?: string;
  /** Generated bodies instead of the spec's examples. */
  dynamic?: boolean;
  /** With `dynamic`: the same seed and the same requests in the same order give the same bodies. */
  seed?: string;
  /** Every line Prism logs (its request log), colour codes removed. */
  onLine?: (line: string) => void;
  /** Aborting during start-up stops Prism and rejects; after start-up use `close()`. */
  signal?: AbortSignal;
  /** How long Prism may take to start (the whole tenant document takes tens of seconds). */
  startTimeoutMs?: number;
}

export interface RunningMock {
  /** Root URL to point the client at (`http://127.0.0.1:<port>`). */
  url: string;
  /** Where `spec`'s paths are mounted below `url`; undefined for the tenant document (all bases mounted). */
  basePath: string | undefined;
  /** The document Prism serves (deleted by `close()`). */
  document: string;
  /** Resolves when Prism exits, asked to or not. */
  exited: Promise<{ code: number | null; signal: NodeJS.Signals | null }>;
  /** Prism's last lines, to explain an exit nobody asked for. */
  output(): string;
  /** Stops the front and Prism and removes the working files; safe to call more than once. */
  close(): Promise<void>;
}

/** Front rules, in order: the Identity route is answered before Prism, logons before lists. */
export const TENANT_RULES = [platformTokens, vaultLogons, endLists] as const;

export async function startMock(options: MockOptions = {}): Promise<RunningMock> {
  const port = options.port ?? 0;
  if (!Number.isInteger(port) || port < 0 || port > 65535) throw new Error(`port must be a port number, got ${String(options.port)}`);
  // Prism ignores a seed without --dynamic; saying so beats bodies that silently never vary.
  if (options.seed !== undefined && !options.dynamic) throw new Error("seed only applies with dynamic (--dynamic --seed <s>)");
  options.signal?.throwIfAborted();

  const workDir = mkdtempSync(join(tmpdir(), "cyberark-mock-"));
  let prism: PrismProcess | undefined;
  let front: Front | undefined;
  let closing: Promise<void> | undefined;
  const close = (): Promise<void> =>
    (closing ??= (async () => {
      await front?.close();
      await prism?.stop();
      rmSync(workDir, { recursive: true, force: true });
    })());
  const onAbort = (): void => void close();
  options.signal?.addEventListener("abort", onAbort, { once: true });

  try {
    const prepared = prepareMockDocument(workDir, options.spec);
    prism = launchPrism({
      document: prepared.document,
      dynamic: options.dynamic ?? false,
      ...(options.seed !== undefined ? { seed: options.seed } : {}),
      ...(options.startTimeoutMs !== undefined ? { startTimeoutMs: options.startTimeoutMs } : {}),
      ...(options.onLine ? { onLine: options.onLine } : {}),
    });
    const upstreamUrl = await prism.ready;
    front = await startFront({ upstreamUrl, rules: TENANT_RULES, port });
    options.signal?.throwIfAborted();
    options.signal?.removeEventListener("abort", onAbort);
    const running = prism;
    return {
      url: front.url,
      basePath: prepared.basePath,
      document: prepared.document,
      exited: running.exited,
      output: () => running.output(),
      close,
    };
  } catch (err) {
    options.signal?.removeEventListener("abort", onAbort);
    await close();
    throw err;
  }
}
