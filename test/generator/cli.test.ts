// The real CLI entry, as npm run generate starts it.
import { execFile } from "node:child_process";
import { join } from "node:path";
import { promisify } from "node:util";
import { describe, expect, it } from "vitest";
import { repoRoot } from "../../scripts/lib/repo-paths.js";

const run = promisify(execFile);

describe("scripts/generate.ts", () => {
  it("prints help and exits 0 via npx tsx", async () => {
    const { stdout } = await run("npx", ["tsx", "scripts/generate.ts", "--help"], { cwd: repoRoot, env: { ...process.env, NO_COLOR: "1" } });
    expect(stdout).toContain("Usage: npm run generate -- [options]");
    expect(stdout).toContain("CYBERARK_TOKEN");
  }, 30_000);

  it("exits non-zero with the failure paragraph on stderr", async () => {
    // tsx's own binary: same entry point without npm's start-up cost.
    const failure = await run(join(repoRoot, "node_modules/.bin/tsx"), ["scripts/generate.ts", "--timeout", "soon"], {
      cwd: repoRoot,
    }).catch((e: { code: number; stderr: string }) => e);
    expect("code" in failure ? failure.code : 0).toBe(2);
    expect((failure as { stderr: string }).stderr).toContain(
      "generate failed at step arguments: --timeout soon: expected a positive number of milliseconds",
    );
  }, 30_000);
});
