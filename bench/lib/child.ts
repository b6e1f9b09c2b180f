// Parent side of the benchmark's child processes (servers and measured clients). Each child runs
// one TypeScript entry bundled by esbuild into plain JavaScript (so no loader thread or on-the-fly
// compiling adds to its CPU time or RSS), talks over the IPC channel with numbered calls, and is
// killed if it outlives its time limit, so a hung benchmark can never keep the run alive.
import { fork, type ChildProcess } from "node:child_process";
import { mkdtempSync, rmSync } from "node:fs";
import { tmpdir } from "node:os";
import { basename, join } from "node:path";
import { build } from "esbuild";
import type { CallMessage, ReplyMessage } from "./ipc.js";

let bundleDir: string | undefined;
const bundles = new Map<string, Promise<string>>();

/** Bundles `entry` (once per run) into a temporary .mjs file that plain node can run. */
export function bundleEntry(entry: string): Promise<string> {
  let bundled = bundles.get(entry);
  if (!bundled) {
    if (!bundleDir) {
      const dir = mkdtempSync(join(tmpdir(), "cyberark-bench-children-"));
      bundleDir = dir;
      process.once("exit", () => rmSync(dir, { recursive: true, force: true }));
    }
    const outfile = join(bundleDir, `${bundles.size}-${basename(entry).replace(/\.ts$/, "")}.mjs`);
    bundled = build({
      entryPoints: [entry],
      outfile,
      bundle: true,
      platform: "node",
      format: "esm",
      target: "node20",
      // CommonJS dependencies (undici) call require() for Node built-ins.
      banner: { js: 'import { createRequire as __benchCreateRequire } from "node:module"; const require = __benchCreateRequire(import.meta.url);' },
      logLevel: "silent",
    }).then(() => outfile);
    bundles.set(entry, bundled);
  }
  return bundled;
}

export interface TsChild {
  readonly pid: number | undefined;
  /** Sends a call the child answers with a reply carrying the same id. */
  call<T>(type: string, payload?: unknown): Promise<T>;
  /** Resolves with the payload of the first announcement of this type (e.g. "listening"). */
  announced<T>(type: string): Promise<T>;
  /** Asks the child to end (disconnect), then kills it if it has not gone within `graceMs`. */
  close(graceMs?: number): Promise<void>;
}

export interface ForkOptions {
  label: string;
  args?: string[];
  /** Hard limit on the child's whole life. */
  timeoutMs: number;
  /** Extra node flags, e.g. --expose-gc. */
  nodeFlags?: string[];
}

/** Starts `script` (a .ts entry) in a child process. */
export async function forkTs(script: string, options: ForkOptions): Promise<TsChild> {
  const bundled = await bundleEntry(script);
  const child: ChildProcess = fork(bundled, options.args ?? [], {
    execArgv: options.nodeFlags ?? [],
    stdio: ["ignore", "inherit", "inherit", "ipc"],
    serialization: "advanced",
  });
  let nextId = 1;
  const pending = new Map<number, { resolve: (v: unknown) => void; reject: (e: Error) => void }>();
  const waiting = new Map<string, Array<(v: unknown) => void>>();
  const seen = new Map<string, unknown>();
  let failure: Error | undefined;

  const failAll = (error: Error): void => {
    failure ??= error;
    for (const p of pending.values()) p.reject(error);
    pending.clear();
  };

  const killer = setTimeout(() => {
    failAll(new Error(`${options.label}: still running after ${options.timeoutMs} ms, killed`));
    child.kill("SIGKILL");
  }, options.timeoutMs);
  killer.unref();

  const exited = new Promise<void>((resolve) => {
    child.once("exit", (code, signal) => {
      clearTimeout(killer);
      failAll(new Error(`${options.label}: exited (${signal ?? `code ${String(code)}`}) before answering`));
      resolve();
    });
  });
  child.once("error", (error) => failAll(new Error(`${options.label}: ${error.message}`)));

  child.on("message", (raw) => {
    const message = raw as ReplyMessage;
    if (message.id !== undefined) {
      const p = pending.get(message.id);
      if (!p) return;
      pending.delete(message.id);
      if (message.error !== undefined) p.reject(new Error(`${options.label}: ${message.error}`));
      else p.resolve(message.payload);
      return;
    }
    seen.set(message.type, message.payload);
    for (const resolve of waiting.get(message.type) ?? []) resolve(message.payload);
    waiting.delete(message.type);
  });

  return {
    pid: child.pid,
    call<T>(type: string, payload?: unknown): Promise<T> {
      if (failure) return Promise.reject(failure);
      const id = nextId++;
      return new Promise<T>((resolve, reject) => {
        pending.set(id, { resolve: resolve as (v: unknown) => void, reject });
        const message: CallMessage = { id, type, payload };
        child.send(message, (error) => {
          if (error) {
            pending.delete(id);
            reject(new Error(`${options.label}: ${error.message}`));
          }
        });
      });
    },
    announced<T>(type: string): Promise<T> {
      if (seen.has(type)) return Promise.resolve(seen.get(type) as T);
      if (failure) return Promise.reject(failure);
      return new Promise<T>((resolve, reject) => {
        const list = waiting.get(type) ?? [];
        list.push(resolve as (v: unknown) => void);
        waiting.set(type, list);
        void exited.then(() => reject(failure ?? new Error(`${options.label}: exited`)));
      });
    },
    async close(graceMs = 3_000): Promise<void> {
      if (child.exitCode !== null || child.signalCode !== null) return;
      if (child.connected) child.disconnect();
      const timer = setTimeout(() => child.kill("SIGKILL"), graceMs);
      await exited;
      clearTimeout(timer);
    },
  };
}

/** Runs one call in a fresh child and closes it: the usual shape of a measured variant. */
export async function runInChild<T>(script: string, type: string, payload: unknown, options: ForkOptions): Promise<T> {
  const child = await forkTs(script, options);
  try {
    return await child.call<T>(type, payload);
  } finally {
    await child.close();
  }
}
