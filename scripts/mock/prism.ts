// Starts and stops one Stoplight Prism process (mock or proxy) on 127.0.0.1.
// Prism runs as `node <prism entry>` rather than through npx so the PID we hold is Prism's own and
// stopping it cannot leave an orphan behind. Port 0 lets the OS pick a free port; Prism logs the
// address it bound, which is the only reliable way to learn it.
import { spawn, type ChildProcess } from "node:child_process";
import { readFileSync } from "node:fs";
import { createRequire } from "node:module";
import { connect } from "node:net";
import { dirname, resolve } from "node:path";

export interface PrismOptions {
  /** OpenAPI document (file path) Prism serves or validates against. */
  document: string;
  mode?: "mock" | "proxy";
  /** Real server Prism forwards to (proxy mode only). */
  upstream?: string;
  /** Turn contract violations into error responses (Prism's `--errors`). */
  errors?: boolean;
  /** Realistic generated bodies instead of static boundary values (mock mode). */
  dynamic?: boolean;
  seed?: string;
  host?: string;
  port?: number;
  /** How long Prism may take to bind; big documents take tens of seconds. */
  startTimeoutMs?: number;
  /** Every line Prism prints on stdout, colour codes removed (for reporters and debugging). */
  onLine?: (line: string) => void;
}

export interface PrismProcess {
  readonly pid: number;
  /** Resolves with `http://127.0.0.1:<port>` once Prism answers; rejects with Prism's own message. */
  readonly ready: Promise<string>;
  /** Resolves when the process has exited (code or signal). */
  readonly exited: Promise<{ code: number | null; signal: NodeJS.Signals | null }>;
  /** The last lines Prism printed (stdout and stderr), for error messages. */
  output(): string;
  /** Stops Prism by its PID; silent, idempotent, escalates to SIGKILL if it lingers. */
  stop(): Promise<void>;
}

export class PrismStartError extends Error {
  constructor(message: string) {
    super(message);
    this.name = "PrismStartError";
  }
}

const LISTENING = /Prism is listening on (https?:\/\/\S+)/;
// Prism prefixes fatal log lines with "✖  fatal"; that text is its explanation of why it stopped.
const FATAL = /\bfatal\s+(.*)$/;
const LOG_PREFIX = /^\[\d/;
const ANSI = /\u001b\[[0-9;]*m/g;
const TAIL_LINES = 60;

/** Absolute path of Prism's CLI entry, read from its package.json `bin`. */
export function prismEntry(): string {
  const require = createRequire(import.meta.url);
  const pkgPath = require.resolve("@stoplight/prism-cli/package.json");
  const pkg = JSON.parse(readFileSync(pkgPath, "utf8")) as { bin?: string | Record<string, string> };
  const bin = typeof pkg.bin === "string" ? pkg.bin : pkg.bin?.["prism"];
  if (!bin) throw new Error(`@stoplight/prism-cli at ${pkgPath} declares no "prism" bin`);
  return resolve(dirname(pkgPath), bin);
}

export function prismArgs(options: PrismOptions): string[] {
  const mode = options.mode ?? "mock";
  const args = [prismEntry(), mode, options.document];
  if (mode === "proxy") {
    if (!options.upstream) throw new Error("Prism proxy mode needs an upstream URL");
    args.push(options.upstream);
  }
  args.push("-h", options.host ?? "127.0.0.1", "-p", String(options.port ?? 0));
  if (options.errors) args.push("--errors");
  if (options.dynamic) args.push("--dynamic");
  if (options.seed !== undefined) args.push("--seed", options.seed);
  return args;
}

/** Spawns Prism and returns at once; await `ready` for its URL. */
export function launchPrism(options: PrismOptions): PrismProcess {
  const child: ChildProcess = spawn(process.execPath, prismArgs(options), {
    stdio: ["ignore", "pipe", "pipe"],
    // Plain text logs: the port and fatal lines are parsed from them.
    env: { ...process.env, FORCE_COLOR: "0", NO_COLOR: "1" },
  });
  if (child.pid === undefined) throw new PrismStartError(`could not spawn ${process.execPath} for Prism`);
  const pid = child.pid;

  const tail: string[] = [];
  const fatal: string[] = [];
  const remember = (line: string): void => {
    tail.push(line);
    if (tail.length > TAIL_LINES) tail.shift();
  };

  let stopping = false;
  let settle: { resolve: (url: string) => void; reject: (err: Error) => void } | undefined;
  const ready = new Promise<string>((resolveReady, rejectReady) => {
    settle = { resolve: resolveReady, reject: rejectReady };
  });
  // A caller that only stops the process must not see an unhandled rejection.
  ready.catch(() => undefined);

  const exited = new Promise<{ code: number | null; signal: NodeJS.Signals | null }>((res) => {
    child.once("exit", (code, signal) => res({ code, signal }));
  });

  const fail = (why: string): void => {
    const detail = fatal.length > 0 ? fatal.join("\n") : tail.slice(-20).join("\n");
    settle?.reject(new PrismStartError(`Prism (${options.mode ?? "mock"} ${options.document}) ${why}${detail ? `:\n${detail}` : ""}`));
    settle = undefined;
  };

  const timer = setTimeout(() => {
    if (!settle) return;
    fail(`did not start within ${options.startTimeoutMs ?? 120_000} ms`);
    void stop();
  }, options.startTimeoutMs ?? 120_000);
  timer.unref();

  let inFatal = false;
  const onStdoutLine = (raw: string): void => {
    const line = raw.replace(ANSI, "");
    remember(line);
    const f = FATAL.exec(line);
    if (f?.[1]) {
      fatal.push(f[1].trim());
      inFatal = true;
    } else if (inFatal && !LOG_PREFIX.test(line) && line.trim()) {
      fatal.push(line.trim()); // a fatal message may span several lines
    } else {
      inFatal = false;
    }
    const m = LISTENING.exec(line);
    if (m?.[1] && settle) {
      const url = m[1].replace(/\/$/, "");
      const s = settle;
      settle = undefined;
      clearTimeout(timer);
      waitUntilAnswering(url).then(() => s.resolve(url), (err: Error) => s.reject(err));
    }
    options.onLine?.(line);
  };
  readLines(child.stdout, onStdoutLine);
  readLines(child.stderr, (raw) => remember(raw.replace(ANSI, "")));

  child.once("error", (err) => {
    remember(String(err));
    fail("could not be spawned");
  });
  void exited.then(({ code, signal }) => {
    clearTimeout(timer);
    if (settle && !stopping) fail(`exited (code ${code ?? "none"}, signal ${signal ?? "none"}) before listening`);
    else if (settle) fail("was stopped before it was ready");
  });

  async function stop(): Promise<void> {
    stopping = true;
    if (child.exitCode !== null || child.signalCode !== null) return;
    try {
      process.kill(pid, "SIGTERM");
    } catch {
      return; // already gone
    }
    const killTimer = setTimeout(() => {
      try {
        process.kill(pid, "SIGKILL");
      } catch {
        /* already gone */
      }
    }, 5_000);
    killTimer.unref();
    await exited;
    clearTimeout(killTimer);
    child.stdout?.destroy();
    child.stderr?.destroy();
  }

  return { pid, ready, exited, output: () => tail.join("\n"), stop };
}

/** Launches Prism and waits until it answers; on failure nothing is left running. */
export async function startPrism(options: PrismOptions): Promise<PrismProcess & { url: string }> {
  const prism = launchPrism(options);
  try {
    const url = await prism.ready;
    return Object.assign(prism, { url });
  } catch (err) {
    await prism.stop();
    throw err;
  }
}

function readLines(stream: NodeJS.ReadableStream | null, onLine: (line: string) => void): void {
  if (!stream) return;
  let buffered = "";
  stream.setEncoding("utf8");
  stream.on("data", (chunk: string) => {
    buffered += chunk;
    let nl: number;
    while ((nl = buffered.indexOf("\n")) >= 0) {
      onLine(buffered.slice(0, nl).replace(/\r$/, ""));
      buffered = buffered.slice(nl + 1);
    }
  });
  stream.on("end", () => {
    if (buffered) onLine(buffered);
    buffered = "";
  });
}

// Prism logs "listening" right after bind; a TCP connection proves it accepts. No HTTP request is
// sent: in proxy mode Prism would forward it to the real server.
async function waitUntilAnswering(url: string): Promise<void> {
  const { hostname, port } = new URL(url);
  const deadline = Date.now() + 10_000;
  let last: unknown;
  while (Date.now() < deadline) {
    try {
      await new Promise<void>((resolveConnect, rejectConnect) => {
        const socket = connect({ host: hostname, port: Number(port) }, () => {
          socket.destroy();
          resolveConnect();
        });
        socket.once("error", rejectConnect);
      });
      return;
    } catch (err) {
      last = err;
      await new Promise((r) => setTimeout(r, 100));
    }
  }
  throw new PrismStartError(`Prism at ${url} logged that it listens but does not accept connections: ${String(last)}`);
}
