// Parent-side handle on a benchmark server running in its own child process.
import { fileURLToPath } from "node:url";
import { forkTs } from "../lib/child.js";
import type { ServeArgs, ServerSpec } from "./serve.js";

const SERVE = fileURLToPath(new URL("./serve.ts", import.meta.url));

export interface ServerProcess {
  /** e.g. "http://127.0.0.1:41234" (no trailing slash). */
  root: string;
  stats<T extends Record<string, number>>(): Promise<T>;
  reset(): Promise<void>;
  close(): Promise<void>;
}

export async function startServerProcess(spec: ServerSpec, maxLifetimeMs: number): Promise<ServerProcess> {
  const args: ServeArgs = { spec, maxLifetimeMs };
  const child = await forkTs(SERVE, { label: `${spec.kind} server`, args: [JSON.stringify(args)], timeoutMs: maxLifetimeMs + 5_000 });
  try {
    const { port } = await child.announced<{ port: number }>("listening");
    return {
      root: `http://127.0.0.1:${port}`,
      stats: <T extends Record<string, number>>() => child.call<T>("stats"),
      reset: () => child.call<void>("reset"),
      close: () => child.close(),
    };
  } catch (error) {
    await child.close();
    throw error;
  }
}
