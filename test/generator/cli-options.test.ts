// Argument parsing: defaults, --spec forms, portal options and their conflicts.
import { join, resolve } from "node:path";
import { describe, expect, it } from "vitest";
import { DEFAULT_TIMEOUT_MS, parseCliOptions } from "../../scripts/lib/cli-options.js";
import { GenerateError } from "../../scripts/lib/errors.js";
import { repoRoot } from "../../scripts/lib/repo-paths.js";

const cwd = "/somewhere/else";

function usageError(argv: string[]): string {
  try {
    parseCliOptions(argv, cwd);
  } catch (error) {
    expect(error).toBeInstanceOf(GenerateError);
    expect((error as GenerateError).step).toBe("arguments");
    return (error as Error).message;
  }
  throw new Error(`expected ${argv.join(" ")} to be rejected`);
}

describe("parseCliOptions", () => {
  it("defaults to the three embedded specs and generated/ in the repository, whatever the cwd", () => {
    const o = parseCliOptions([], cwd);
    expect(o.sources).toEqual({
      gen2: { kind: "file", path: join(repoRoot, "spec/pvwa-gen2.swagger.json") },
      gen1: { kind: "file", path: join(repoRoot, "spec/pvwa-gen1.swagger.json") },
      pcloud: { kind: "file", path: join(repoRoot, "spec/pcloud-root.swagger.json") },
    });
    expect(o.outDir).toBe(join(repoRoot, "generated"));
    expect(o).toMatchObject({ check: false, quiet: false, help: false, timeoutMs: DEFAULT_TIMEOUT_MS });
  });

  it("--spec replaces gen2 by default, or the named document; files resolve against the cwd", () => {
    const o = parseCliOptions(["--spec", "a.json", "--spec", "pcloud=https://x.example/doc.json?v=1"], cwd);
    expect(o.sources.gen2).toEqual({ kind: "file", path: resolve(cwd, "a.json") });
    expect(o.sources.pcloud).toEqual({ kind: "url", url: "https://x.example/doc.json?v=1" });
    expect(o.sources.gen1.kind).toBe("file");
  });

  it("--tenant and --pvwa pull gen2 from the portal root", () => {
    expect(parseCliOptions(["--tenant", "Acme"], cwd).sources.gen2).toEqual({
      kind: "portal",
      flavour: "tenant",
      root: "https://acme.privilegecloud.cyberark.cloud",
    });
    expect(parseCliOptions(["--pvwa", "pvwa.corp.example:8443"], cwd).sources.gen2).toEqual({
      kind: "portal",
      flavour: "pvwa",
      root: "https://pvwa.corp.example:8443",
    });
  });

  it("resolves --out, --report, --ca against the cwd and reads the flags", () => {
    const o = parseCliOptions(["--out", "o", "--report", "r.md", "--ca", "ca.pem", "--check", "--quiet", "--timeout", "500"], cwd);
    expect(o).toMatchObject({
      outDir: resolve(cwd, "o"),
      reportFile: resolve(cwd, "r.md"),
      caFile: resolve(cwd, "ca.pem"),
      check: true,
      quiet: true,
      timeoutMs: 500,
    });
  });

  it("rejects what cannot work, saying why", () => {
    expect(usageError(["--spec", "gen3=x.json"])).toContain('unknown document "gen3"');
    expect(usageError(["--spec", "a.json", "--spec", "gen2=b.json"])).toContain("--spec given twice for gen2");
    expect(usageError(["--tenant", "a", "--pvwa", "b"])).toContain("cannot be combined");
    expect(usageError(["--tenant", "a", "--spec", "x.json"])).toContain("cannot be combined with --spec for gen2");
    expect(usageError(["--tenant", "acme.privilegecloud.cyberark.cloud"])).toContain("only the subdomain");
    expect(usageError(["--pvwa", "https://pvwa.example"])).toContain("host[:port] only");
    expect(usageError(["--timeout", "soon"])).toContain("positive number of milliseconds");
    expect(usageError(["--token", "secret"])).toContain("--token");
    expect(usageError(["extra"])).toContain("extra");
  });

  it("allows --spec for gen1/pcloud next to --pvwa", () => {
    const o = parseCliOptions(["--pvwa", "h", "--spec", "gen1=g1.json"], cwd);
    expect(o.sources.gen2.kind).toBe("portal");
    expect(o.sources.gen1).toEqual({ kind: "file", path: resolve(cwd, "g1.json") });
  });
});
