// Runs one of the repository's tsx scripts (scripts/mock.ts, scripts/contract.ts) as a child process
// the way `npm run` would, and lets a test wait for lines of its output.
import { spawn, type ChildProcess } from "node:child_process";
import { fileURLToPath } from "node:url";

const root = fileURLToPath(new URL("../../", import.meta.url));

export interface ScriptRun {
  child: ChildProcess;
  stdout(): string;
  stderr(): string;
  /** Resolves with the first match of `re` in stdout; rejects if the script exits first. */
  waitFor(re: RegExp, timeoutMs?: number): Promise<RegExpMatchArray>;
  exited: Promise<{ code: number | null; signal: NodeJS.Signals | null }>;
}

export function runScript(script: string, args: string[], env: Record<string, string> = {}): ScriptRun {
  const child = spawn(process.execPath, ["--import", "tsx", `${root}${script}`, ...args], {
    cwd: root,
    stdio: ["ignore", "pipe", "pipe"],
    env: { ...process.env, NO_COLOR: "1", FORCE_COLOR: "0", ...env },
  });
  let out = "";
  let err = "";
  child.stdout!.setEncoding("utf8").on("data", (c: string) => (out += c));
  child.stderr!.setEncoding("utf8").on("data", (c: string) => (err += c));
  const exited = new Promise<{ code: number | null; signal: NodeJS.Signals | null }>((resolve) =>
    child.once("exit", (code, signal) => resolve({ code, signal })),
  );
  // The pipes may still hold output when "exit" fires; "close" means everything was read.
  const closed = new Promise<void>((resolve) => child.once("close", () => resolve()));
  return {
    child,
    stdout: () => out,
    stderr: () => err,
    exited: exited.then(async (r) => (await closed, r)),
    waitFor(re, timeoutMs = 120_000) {
      return new Promise((resolve, reject) => {
        const deadline = setTimeout(() => finish(new Error(`no ${re} in output after ${timeoutMs} ms:\n${out}\n${err}`)), timeoutMs);
        const check = (): void => {
          const m = re.exec(out);
          if (m) finish(undefined, m);
        };
        const onExit = (): void => finish(new Error(`script exited before printing ${re}:\n${out}\n${err}`));
        function finish(e?: Error, m?: RegExpMatchArray): void {
          clearTimeout(deadline);
          child.stdout!.off("data", check);
          child.off("exit", onExit);
          if (e) reject(e);
          else resolve(m!);
        }
        child.stdout!.on("data", check);
        child.once("exit", onExit);
        check();
      });
    },
  };
}
