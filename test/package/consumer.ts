// A consumer's project for the package tests: the packed tarballs installed into a fresh folder, and the
// commands a user runs there (node programs, the generator's bin) under any Node binary.
import { execFile, spawn, type ChildProcess } from "node:child_process";
import { readdir, stat } from "node:fs/promises";
import { createServer as createHttpsServer, type Server as HttpsServer } from "node:https";
import { request } from "node:http";
import type { AddressInfo } from "node:net";
import { join } from "node:path";
import { promisify } from "node:util";

export const run = promisify(execFile);

export async function npm(args: string[], cwd: string): Promise<string> {
  const { stdout } = await run("npm", [...args, "--no-audit", "--no-fund", "--loglevel=error"], {
    cwd,
    env: { ...process.env, NO_COLOR: "1", npm_config_update_notifier: "false" },
    maxBuffer: 16 * 1024 * 1024,
  });
  return stdout;
}

/** Packages in a node_modules tree (each folder holding a package.json at a package's root) and their bytes. */
export async function footprint(nodeModules: string): Promise<{ packages: string[]; bytes: number }> {
  const packages: string[] = [];
  let bytes = 0;
  const walk = async (dir: string, isModules: boolean): Promise<void> => {
    for (const entry of await readdir(dir, { withFileTypes: true })) {
      const full = join(dir, entry.name);
      if (entry.isSymbolicLink()) continue;
      if (entry.isDirectory()) {
        if (isModules && !entry.name.startsWith(".")) {
          if (entry.name.startsWith("@")) {
            for (const scoped of await readdir(full)) packages.push(`${entry.name}/${scoped}`);
          } else packages.push(entry.name);
        }
        await walk(full, entry.name === "node_modules");
      } else bytes += (await stat(full)).size;
    }
  };
  await walk(nodeModules, true);
  return { packages: packages.filter((p) => !p.startsWith(".")).sort(), bytes };
}

export interface RunningCommand {
  child: ChildProcess;
  output(): string;
  stop(): Promise<void>;
}

/** Starts a long-running command and resolves once its output matches `ready`. */
export function startCommand(node: string, args: string[], cwd: string, ready: RegExp): Promise<{ command: RunningCommand; match: RegExpMatchArray }> {
  const child = spawn(node, args, { cwd, env: { ...process.env, NO_COLOR: "1" }, stdio: ["ignore", "pipe", "pipe"] });
  let text = "";
  const exited = new Promise<void>((resolve) => child.once("exit", () => resolve()));
  const command: RunningCommand = {
    child,
    output: () => text,
    stop: async () => {
      if (child.exitCode === null && child.signalCode === null) child.kill("SIGTERM");
      await exited;
    },
  };
  return new Promise((resolve, reject) => {
    const onData = (chunk: Buffer): void => {
      text += chunk.toString("utf8");
      const match = text.match(ready);
      if (match) resolve({ command, match });
    };
    child.stdout?.on("data", onData);
    child.stderr?.on("data", onData);
    child.once("exit", (code) => reject(new Error(`${args.join(" ")} exited (${code}) before it was ready:\n${text}`)));
  });
}

/** An HTTPS front on 127.0.0.1 for an http:// server, so programs written for a real (https) tenant run unchanged. */
export async function httpsFront(upstream: string, cert: string, key: string): Promise<{ url: string; close(): Promise<void> }> {
  const target = new URL(upstream);
  const server: HttpsServer = createHttpsServer({ cert, key }, (req, res) => {
    const forward = request({ host: target.hostname, port: target.port, method: req.method, path: req.url, headers: req.headers }, (answer) => {
      res.writeHead(answer.statusCode ?? 502, answer.headers);
      answer.pipe(res);
    });
    forward.on("error", () => {
      res.writeHead(502);
      res.end();
    });
    req.pipe(forward);
  });
  await new Promise<void>((resolve) => server.listen(0, "127.0.0.1", resolve));
  return {
    url: `https://127.0.0.1:${(server.address() as AddressInfo).port}`,
    close: () =>
      new Promise<void>((resolve) => {
        server.closeAllConnections();
        server.close(() => resolve());
      }),
  };
}
