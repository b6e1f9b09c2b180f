// Runs the programs in examples/ as a user runs them: a process whose configuration is its environment.
// The environment is the test process's without any variable an example reads (a developer's own
// CYBERARK_* never leaks in), and every child refuses DNS lookups of names but localhost.
import { execFile } from "node:child_process";
import { readdirSync, readFileSync } from "node:fs";
import { join } from "node:path";
import { pathToFileURL } from "node:url";
import { repoRoot } from "../../scripts/lib/repo-paths.js";

export const EXAMPLES_DIR = join(repoRoot, "examples");
const TSX = join(repoRoot, "node_modules/.bin/tsx");
const GUARD = pathToFileURL(join(repoRoot, "test/contract/fixtures/no-name-lookups-child.mjs")).href;

/** The runnable examples (every .ts file but the shared client-from-env.ts), without ".ts". */
export const EXAMPLE_NAMES = readdirSync(EXAMPLES_DIR)
  .filter((f) => f.endsWith(".ts") && f !== "client-from-env.ts")
  .map((f) => f.slice(0, -3))
  .sort();

/** Every variable the examples read: CYBERARK_* and those read through setting()/secret()/numberFromEnv(). */
export const EXAMPLE_VARIABLES = [
  ...new Set(
    readdirSync(EXAMPLES_DIR)
      .filter((f) => f.endsWith(".ts"))
      .flatMap((f) => [...readFileSync(join(EXAMPLES_DIR, f), "utf8").matchAll(/\b(?:setting|secret|numberFromEnv)\("([A-Z_]+)"|\b(CYBERARK_[A-Z_]+)/g)])
      .map((m) => m[1] ?? m[2] ?? ""),
  ),
].sort();

export interface Outcome {
  code: number;
  stdout: string;
  stderr: string;
}

/** The test process's environment without the examples' variables, npm kept offline, the lookup guard loaded. */
export function cleanEnv(env: Record<string, string> = {}): NodeJS.ProcessEnv {
  const base = Object.fromEntries(
    Object.entries(process.env).filter(([name]) => !name.startsWith("CYBERARK_") && !EXAMPLE_VARIABLES.includes(name)),
  );
  const nodeOptions = [process.env.NODE_OPTIONS, `--import=${GUARD}`].filter(Boolean).join(" ");
  return { ...base, npm_config_update_notifier: "false", npm_config_offline: "true", NODE_OPTIONS: nodeOptions, NO_COLOR: "1", ...env };
}

function outcome(resolve: (o: Outcome) => void): (error: Error | null, stdout: string, stderr: string) => void {
  return (error, stdout, stderr) => {
    const code = error && "code" in error && typeof error.code === "number" ? error.code : error ? 1 : 0;
    resolve({ code, stdout, stderr });
  };
}

/** Runs examples/<name>.ts with `args` and only `env` set of the examples' variables. */
export function runExampleProcess(name: string, args: readonly string[], env: Record<string, string> = {}): Promise<Outcome> {
  return new Promise((resolve) => {
    execFile(TSX, [join(EXAMPLES_DIR, `${name}.ts`), ...args], { cwd: repoRoot, env: cleanEnv(env) }, outcome(resolve));
  });
}

/** Runs one shell command line in the repository, as a user types it. */
export function runShellLine(line: string, env: Record<string, string> = {}): Promise<Outcome> {
  return new Promise((resolve) => {
    execFile("sh", ["-c", line], { cwd: repoRoot, env: cleanEnv(env) }, outcome(resolve));
  });
}
