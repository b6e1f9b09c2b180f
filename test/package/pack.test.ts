// The published artefact, used the way a newcomer would: `npm pack`, install the tarball into a fresh
// project, type-check a TypeScript program against it, run it from ESM and CommonJS against a local
// server, and run the generator command it ships. Everything happens in a temporary folder.
// Slow by nature (build + install + tsc + generate, about a minute): hence the long timeouts.
import { execFile } from "node:child_process";
import { existsSync } from "node:fs";
import { mkdir, mkdtemp, readFile, readdir, rm, writeFile } from "node:fs/promises";
import { createServer, type Server } from "node:http";
import type { AddressInfo } from "node:net";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { promisify } from "node:util";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { repoRoot } from "../../scripts/lib/repo-paths.js";

const run = promisify(execFile);
const TSC = join(repoRoot, "node_modules/typescript/bin/tsc");
// The consumer gets the same @types/node and TypeScript the repository builds with (both in the npm cache).
const typesNodeVersion = JSON.parse(await readFile(join(repoRoot, "node_modules/@types/node/package.json"), "utf8")).version as string;
const typescriptVersion = JSON.parse(await readFile(join(repoRoot, "node_modules/typescript/package.json"), "utf8")).version as string;

let work: string;
let project: string;
let server: Server;
let serverUrl: string;
const seenAuthorization: string[] = [];

function startServer(): Promise<string> {
  server = createServer((req, res) => {
    seenAuthorization.push(req.headers.authorization ?? "");
    res.setHeader("content-type", "application/json");
    if (req.method === "GET" && req.url === "/PasswordVault/API/Safes/Finance") {
      res.end(JSON.stringify({ safeUrlId: "Finance", safeName: "Finance", numberOfDaysRetention: 7 }));
      return;
    }
    res.statusCode = 404;
    res.end(JSON.stringify({ ErrorCode: "SFWS0002", ErrorMessage: "Safe NoSuchSafe was not found." }));
  });
  return new Promise((resolve) => server.listen(0, "127.0.0.1", () => resolve(`http://127.0.0.1:${(server.address() as AddressInfo).port}`)));
}

async function npm(args: string[], cwd: string): Promise<string> {
  const { stdout } = await run("npm", [...args, "--no-audit", "--no-fund", "--loglevel=error"], {
    cwd,
    env: { ...process.env, NO_COLOR: "1", npm_config_update_notifier: "false" },
    maxBuffer: 16 * 1024 * 1024,
  });
  return stdout;
}

beforeAll(async () => {
  work = await mkdtemp(join(tmpdir(), "cyberark-pack-"));
  serverUrl = await startServer();
  // prepack runs the build, so the tarball holds what `npm run build` emits from the current sources.
  await npm(["pack", "--pack-destination", work], repoRoot);
  const tarball = (await readdir(work)).find((f) => f.endsWith(".tgz"));
  if (!tarball) throw new Error("npm pack wrote no tarball");
  project = join(work, "consumer");
  await mkdir(project);
  await writeFile(join(project, "package.json"), JSON.stringify({ name: "consumer", private: true, type: "module" }, null, 2));
  await npm(
    ["install", "--prefer-offline", join(work, tarball), `@types/node@${typesNodeVersion}`, `typescript@${typescriptVersion}`],
    project,
  );
}, 120_000);

afterAll(async () => {
  await new Promise((resolve) => server?.close(resolve));
  if (work) await rm(work, { recursive: true, force: true });
});

describe("the packed package in a fresh project", () => {
  it("ships only the build, the CLI launcher and the embedded spec", async () => {
    const installed = join(project, "node_modules/cyberark-pam-client");
    // npm always adds package.json and README; everything else is what `files` lets through.
    const top = (await readdir(installed)).filter((f) => !/^(README|LICENSE)/i.test(f)).sort();
    expect(top).toEqual(["bin", "dist", "package.json"]);
    for (const file of ["dist/esm/src/index.js", "dist/esm/src/index.d.ts", "dist/cjs/src/index.js", "dist/cjs/src/index.d.ts", "dist/esm/generated/gen2.operations.js", "dist/spec/pvwa-gen2.swagger.json"]) {
      expect(existsSync(join(installed, file)), file).toBe(true);
    }
    expect(existsSync(join(installed, "src")) || existsSync(join(installed, "test"))).toBe(false);
  });

  it("type-checks a TypeScript program using the typed paths and errors (ESM and CommonJS)", async () => {
    const program = (importLine: string): string => `${importLine}

const client = createCyberArkClient({
  deployment: { type: "self-hosted", url: "https://pvwa.example.com" },
  auth: staticToken({ token: "token" }),
});

export async function retentionOf(safeUrlId: string): Promise<number | null | undefined> {
  try {
    const { data } = await client.gen2.GET("/Safes/{safeUrlId}", { params: { path: { safeUrlId } } });
    const name: string | undefined = data.safeName;
    void name;
    return data.numberOfDaysRetention;
  } catch (error) {
    if (error instanceof NotFoundError) {
      const status: number = error.status;
      const code: string | undefined = error.errorCode;
      void status, code;
      return undefined;
    }
    throw error;
  }
}

// @ts-expect-error not a path of the API
void client.gen2.GET("/NoSuchPath");
// @ts-expect-error numberOfDaysRetention is a number
void client.gen2.POST("/Safes", { body: { safeName: "Finance", numberOfDaysRetention: "seven" } });
`;
    await writeFile(join(project, "check.ts"), program(`import { createCyberArkClient, NotFoundError, staticToken } from "cyberark-pam-client";`));
    await writeFile(join(project, "check-cjs.cts"), program(`import { createCyberArkClient, NotFoundError, staticToken } from "cyberark-pam-client";`));
    await writeFile(
      join(project, "tsconfig.json"),
      JSON.stringify({
        compilerOptions: { module: "NodeNext", moduleResolution: "NodeNext", target: "ES2022", strict: true, noEmit: true, types: ["node"] },
        files: ["check.ts", "check-cjs.cts"],
      }),
    );
    const ok = await run(process.execPath, [TSC, "-p", "tsconfig.json"], { cwd: project }).then(() => "", (e: { stdout: string }) => e.stdout);
    // Also proves the types are real: were they `any`, the @ts-expect-error lines would be errors.
    expect(ok).toBe("");
  }, 60_000);

  const runtimeProgram = (importLine: string): string => `${importLine}
const client = createCyberArkClient({
  deployment: { type: "self-hosted", url: "https://pvwa.example.com", allowInsecureHttp: true, overrides: { pvwaRoot: process.env.API_URL } },
  auth: staticToken({ token: "static-token" }),
  retry: false,
});
async function main() {
  try {
    const { data } = await client.gen2.GET("/Safes/{safeUrlId}", { params: { path: { safeUrlId: "Finance" } } });
    let notFound;
    try {
      await client.gen2.GET("/Safes/{safeUrlId}", { params: { path: { safeUrlId: "NoSuchSafe" } } });
    } catch (error) {
      notFound = { isNotFound: error instanceof NotFoundError, status: error.status, errorCode: error.errorCode, kind: error.kind };
    }
    console.log(JSON.stringify({ safeName: data.safeName, notFound }));
  } finally {
    await client.close();
  }
}
main().catch((error) => { console.error(error); process.exitCode = 1; });
`;

  const expected = { safeName: "Finance", notFound: { isNotFound: true, status: 404, errorCode: "SFWS0002", kind: "HTTP_ERROR" } };

  it("runs from plain JavaScript ESM (import)", async () => {
    await writeFile(join(project, "esm.mjs"), runtimeProgram(`import { createCyberArkClient, NotFoundError, staticToken } from "cyberark-pam-client";`));
    seenAuthorization.length = 0;
    const { stdout } = await run(process.execPath, ["esm.mjs"], { cwd: project, env: { ...process.env, API_URL: serverUrl } });
    expect(JSON.parse(stdout)).toEqual(expected);
    expect(seenAuthorization).toEqual(["static-token", "static-token"]);
  });

  it("runs from plain JavaScript CommonJS (require)", async () => {
    await writeFile(join(project, "cjs.cjs"), runtimeProgram(`const { createCyberArkClient, NotFoundError, staticToken } = require("cyberark-pam-client");`));
    const { stdout } = await run(process.execPath, ["cjs.cjs"], { cwd: project, env: { ...process.env, API_URL: serverUrl } });
    expect(JSON.parse(stdout)).toEqual(expected);
    // CommonJS gets its own build, not the ESM one through require(esm).
    const resolved = await run(process.execPath, ["-p", `require.resolve("cyberark-pam-client")`], { cwd: project });
    expect(resolved.stdout.trim()).toMatch(/dist[\\/]cjs[\\/]src[\\/]index\.js$/);
  });

  it("regenerates types inside the project with `npx cyberark-pam-client generate`", async () => {
    const fixture = join(repoRoot, "test/fixtures/generator/gen2.swagger.json");
    const { stdout } = await run("npx", ["--no-install", "cyberark-pam-client", "generate", "--spec", fixture, "--out", "my-types"], {
      cwd: project,
      env: { ...process.env, NO_COLOR: "1" },
    });
    expect(stdout).toContain("type-check");
    const written = (await readdir(join(project, "my-types"))).sort();
    expect(written).toEqual(expect.arrayContaining(["index.ts", "gen2.ts", "gen2.operations.ts", "gen1.ts", "pcloud.ts"]));
    // gen2 comes from the fixture; gen1 and pcloud from the spec embedded in the package.
    const gen2 = await readFile(join(project, "my-types/gen2.ts"), "utf8");
    expect(gen2).toContain('"/Accounts"');
    expect(gen2).not.toContain('"/Safes/{safeUrlId}/Members"');
    const index = await readFile(join(project, "my-types/index.ts"), "utf8");
    expect(index).toMatch(/gen1: .*pvwa-gen1\.swagger\.json sha256:/);

    // Help names the command as it was run, not this repository's npm script.
    const help = await run("npx", ["--no-install", "cyberark-pam-client", "generate", "--help"], { cwd: project });
    expect(help.stdout).toMatch(/^Usage: cyberark-pam-client generate \[options\]$/m);
    expect(help.stdout).not.toContain("npm run generate");
    expect(help.stdout).toContain("./generated in the current folder");

    // Without --out the command writes ./generated of the project, never inside node_modules.
    await run("npx", ["--no-install", "cyberark-pam-client", "generate", "--spec", fixture, "--quiet"], { cwd: project });
    expect(existsSync(join(project, "generated/index.ts"))).toBe(true);
    expect(existsSync(join(project, "node_modules/cyberark-pam-client/dist/generated"))).toBe(false);
  }, 60_000);
});
