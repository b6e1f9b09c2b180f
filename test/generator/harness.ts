// Shared by the generator tests: run the pipeline in-process, fixture paths, temporary folders.
import { mkdtempSync, readdirSync, readFileSync, rmSync, statSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { fileURLToPath } from "node:url";
import { runGenerate, type GenerateIo } from "../../scripts/run-generate.js";

export const fixturesDir = fileURLToPath(new URL("../fixtures/generator/", import.meta.url));
export const fixture = (name: string) => join(fixturesDir, name);

export interface RunResult {
  code: number;
  stdout: string;
  stderr: string;
}

/**
 * Runs the generator with an environment of our own: no proxy variables, no credentials unless given.
 * `io` sets the working folder (default: this process's) and how the command was started.
 */
export async function generate(
  argv: string[],
  env: Record<string, string> = {},
  io: Pick<GenerateIo, "cwd" | "invocation"> = {},
): Promise<RunResult> {
  let stdout = "";
  let stderr = "";
  const code = await runGenerate(argv, {
    ...io,
    stdout: { write: (t: string) => (stdout += t) },
    stderr: { write: (t: string) => (stderr += t) },
    env,
  });
  return { code, stdout, stderr };
}

/** --spec arguments for all three documents, gen2 replaceable. */
export function fixtureSpecs(gen2 = fixture("gen2.swagger.json")): string[] {
  return [
    "--spec", `gen2=${gen2}`,
    "--spec", `gen1=${fixture("gen1.swagger.json")}`,
    "--spec", `pcloud=${fixture("pcloud.swagger.json")}`,
  ];
}

export interface TempDir {
  path: string;
  cleanup(): void;
}

export function tempDir(prefix = "generator-test-"): TempDir {
  const path = mkdtempSync(join(tmpdir(), prefix));
  return { path, cleanup: () => rmSync(path, { recursive: true, force: true }) };
}

/** Every file below dir with its bytes, for byte-for-byte comparisons. */
export function snapshotTree(dir: string): Map<string, Buffer> {
  const out = new Map<string, Buffer>();
  const walk = (d: string, prefix: string) => {
    for (const name of readdirSync(d).sort()) {
      const full = join(d, name);
      if (statSync(full).isDirectory()) walk(full, `${prefix}${name}/`);
      else out.set(`${prefix}${name}`, readFileSync(full));
    }
  };
  walk(dir, "");
  return out;
}

export function readJson<T = Record<string, unknown>>(path: string): T {
  return JSON.parse(readFileSync(path, "utf8")) as T;
}
