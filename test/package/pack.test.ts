// The published artefacts, used the way a newcomer would: build the two packages, `npm pack` them, install
// the client alone into a fresh project (its footprint is checked), then the generator beside it; type-check
// TypeScript programs (the README's quick start among them), run plain JavaScript from ESM and CommonJS, and
// run the generator's generate, mock and contract commands from the installed package. The consumer smoke
// (quick start, a generation, a mock listing, a contract run) runs under this Node and under every Node binary
// named in CYBERARK_SMOKE_NODES (comma-separated paths; .ci/run installs Node 22, 24 and 26 from the registry).
// Slow by nature (build, install, tsc, Prism): hence the long timeouts.
import { existsSync } from "node:fs";
import { mkdir, mkdtemp, readFile, readdir, rm, writeFile } from "node:fs/promises";
import { createServer, type Server } from "node:http";
import type { AddressInfo } from "node:net";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { repoRoot } from "../../scripts/lib/repo-paths.js";
import { createTestPki, type TestPki } from "../support/certs.js";
import { codeBlockAfter } from "../support/markdown.js";
import { footprint, httpsFront, npm, run, startCommand } from "./consumer.js";

const TSC = join(repoRoot, "node_modules/typescript/bin/tsc");
// The consumer gets the same @types/node and TypeScript the repository builds with (both in the npm cache).
const typesNodeVersion = JSON.parse(await readFile(join(repoRoot, "node_modules/@types/node/package.json"), "utf8")).version as string;
const typescriptVersion = JSON.parse(await readFile(join(repoRoot, "node_modules/typescript/package.json"), "utf8")).version as string;
const readme = await readFile(join(repoRoot, "README.md"), "utf8");
const smokeNodes = [process.execPath, ...(process.env.CYBERARK_SMOKE_NODES ?? "").split(",").map((p) => p.trim()).filter(Boolean)];
const MB = 1024 * 1024;

let work: string;
let project: string;
let server: Server;
let serverUrl: string;
let pki: TestPki;
let clientOnly: { packages: string[]; bytes: number };
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

const generatorBin = (): string => join(project, "node_modules/cyberark-pam-generator/bin/cyberark-pam-generator.mjs");

beforeAll(async () => {
  work = await mkdtemp(join(tmpdir(), "cyberark-pack-"));
  serverUrl = await startServer();
  pki = createTestPki();
  await npm(["run", "build"], repoRoot);
  await npm(["pack", "--workspaces", "--pack-destination", work], repoRoot);
  const tarballs = await readdir(work);
  const tarball = (name: string): string => {
    const file = tarballs.find((f) => f.startsWith(`${name}-`) && f.endsWith(".tgz"));
    if (!file) throw new Error(`npm pack wrote no ${name} tarball`);
    return join(work, file);
  };
  project = join(work, "consumer");
  await mkdir(project);
  await writeFile(join(project, "package.json"), JSON.stringify({ name: "consumer", private: true, type: "module" }, null, 2));
  // The client alone first, as a program that only calls the API installs it: that is what is measured.
  await npm(["install", "--prefer-offline", tarball("cyberark-pam-client")], project);
  clientOnly = await footprint(join(project, "node_modules"));
  await npm(["install", "--prefer-offline", "--save-dev", tarball("cyberark-pam-generator"), `@types/node@${typesNodeVersion}`, `typescript@${typescriptVersion}`], project);
  // Written once: the smoke below runs them under several Node versions at the same time.
  await writeFile(join(project, "quick-start.mjs"), codeBlockAfter(readme, "In plain JavaScript", "js"));
  await writeFile(
    join(project, "list.mjs"),
    `import { createCyberArkClient, vaultLogon } from "cyberark-pam-client";\n` +
      `const client = createCyberArkClient({ deployment: { type: "self-hosted", url: process.env.CYBERARK_CONTRACT_URL, allowInsecureHttp: true },\n` +
      `  auth: vaultLogon({ username: "automation", password: "any-password" }) });\n` +
      `try { const accounts = await client.paginate("/Accounts").toArray({ limit: 100 }); console.log(JSON.stringify({ accounts: accounts.length })); }\n` +
      `finally { await client.close(); }\n`,
  );
}, 240_000);

afterAll(async () => {
  await new Promise((resolve) => server?.close(resolve));
  pki?.cleanup();
  if (work) await rm(work, { recursive: true, force: true });
});

describe("installing the client", () => {
  it("adds at most 8 packages and 12 MB, none of them a build-time tool", () => {
    expect(clientOnly.packages).toContain("cyberark-pam-client");
    expect(clientOnly.packages.length).toBeLessThanOrEqual(8);
    expect(clientOnly.bytes).toBeLessThanOrEqual(12 * MB);
    for (const tool of ["typescript", "openapi-typescript", "swagger2openapi", "@apidevtools/swagger-parser", "@stoplight/prism-cli", "yaml"]) {
      expect(clientOnly.packages).not.toContain(tool);
    }
  });

  it("ships the build, README, LICENSE and every file the README links to, and says where it comes from", async () => {
    const installed = join(project, "node_modules/cyberark-pam-client");
    expect((await readdir(installed)).sort()).toEqual(["LICENSE", "README.md", "bench", "dist", "docs", "examples", "package.json"]);
    for (const file of ["dist/esm/src/index.js", "dist/esm/src/index.d.ts", "dist/cjs/src/index.js", "dist/cjs/src/index.d.ts", "dist/esm/generated/gen2.operations.js"]) {
      expect(existsSync(join(installed, file)), file).toBe(true);
    }
    const shipped = await readFile(join(installed, "README.md"), "utf8");
    const links = [...shipped.matchAll(/\]\(([^)#\s]+)(#[^)]*)?\)/g)].map((m) => m[1]!).filter((l) => !/^[a-z]+:/i.test(l));
    expect(links.length).toBeGreaterThan(3);
    for (const link of links) expect(existsSync(join(installed, link)), `README link ${link}`).toBe(true);
    const manifest = JSON.parse(await readFile(join(installed, "package.json"), "utf8"));
    expect(manifest.license).toBe("MIT");
    expect(manifest.repository?.url).toMatch(/^git\+https:\/\//);
    expect(manifest.homepage).toMatch(/^https:\/\//);
    expect(manifest.keywords).toEqual(expect.arrayContaining(["cyberark", "pvwa", "privilege-cloud"]));
    expect(Object.keys(manifest.dependencies).sort()).toEqual(["openapi-fetch", "undici"]);
    expect(manifest.bin).toBeUndefined();
    const generator = join(project, "node_modules/cyberark-pam-generator");
    expect((await readdir(generator)).sort()).toEqual(["LICENSE", "README.md", "bin", "dist", "package.json"]);
  });
});

describe("the packed package in a fresh project", () => {
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
    // The README's quick start as written, and `await using` with the lib the README names for it.
    await writeFile(join(project, "quick-start.ts"), codeBlockAfter(readme, "In TypeScript", "ts"));
    await writeFile(
      join(project, "disposable.ts"),
      `import { createCyberArkClient, staticToken } from "cyberark-pam-client";\n` +
        `{\n  await using client = createCyberArkClient({ deployment: { type: "self-hosted", url: "https://127.0.0.1" }, auth: staticToken({ token: "t" }) });\n` +
        `  void client;\n}\nconsole.log("disposed");\n`,
    );
    // The tsconfig the README gives, emitting to out/ so the smoke below runs the compiled quick start.
    const documented = /A `tsconfig\.json` that works:\s*`(\{.*\})`/.exec(readme)?.[1];
    expect(documented, "the README's tsconfig").toBeDefined();
    const compilerOptions = { ...JSON.parse(documented!).compilerOptions, outDir: "out" };
    await writeFile(join(project, "tsconfig.json"), JSON.stringify({ compilerOptions, files: ["check.ts", "check-cjs.cts", "quick-start.ts"] }));
    const ok = await run(process.execPath, [TSC, "-p", "tsconfig.json"], { cwd: project }).then(() => "", (e: { stdout: string }) => e.stdout);
    // Also proves the types are real: were they `any`, the @ts-expect-error lines would be errors.
    expect(ok).toBe("");
    await writeFile(join(project, "tsconfig.disposable.json"), JSON.stringify({ compilerOptions: { ...compilerOptions, lib: ["ES2023", "ESNext.Disposable"] }, files: ["disposable.ts"] }));
    const disposable = await run(process.execPath, [TSC, "-p", "tsconfig.disposable.json"], { cwd: project }).then(() => "", (e: { stdout: string }) => e.stdout);
    expect(disposable).toBe("");
    // Compiled for ES2022, `await using` runs on this Node (20 in CI) too.
    expect((await run(process.execPath, ["out/disposable.js"], { cwd: project })).stdout.trim()).toBe("disposed");
  }, 90_000);

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

  it("regenerates types inside the project with `npx cyberark-pam-generator generate`", async () => {
    const fixture = join(repoRoot, "test/fixtures/generator/gen2.swagger.json");
    const { stdout } = await run("npx", ["--no-install", "cyberark-pam-generator", "generate", "--spec", fixture, "--out", "my-types"], {
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
    const help = await run("npx", ["--no-install", "cyberark-pam-generator", "generate", "--help"], { cwd: project });
    expect(help.stdout).toMatch(/^Usage: cyberark-pam-generator generate \[options\]$/m);
    expect(help.stdout).not.toContain("npm run generate");
    expect(help.stdout).toContain("./generated in the current folder");

    // Without --out the command writes ./generated of the project, never inside node_modules.
    await run("npx", ["--no-install", "cyberark-pam-generator", "generate", "--spec", fixture, "--quiet"], { cwd: project });
    expect(existsSync(join(project, "generated/index.ts"))).toBe(true);
    expect(existsSync(join(project, "node_modules/cyberark-pam-generator/dist/generated/index.ts"))).toBe(false);
  }, 60_000);

  it("the generator's mock and contract commands print their own invocation", async () => {
    for (const command of ["mock", "contract"]) {
      const help = await run("npx", ["--no-install", "cyberark-pam-generator", command, "--help"], { cwd: project });
      expect(help.stdout).toMatch(new RegExp(`^Usage: npx cyberark-pam-generator ${command} `, "m"));
      expect(help.stdout).not.toContain("npm run");
    }
  });
});

// The consumer smoke, per Node: the README's quick start (compiled TypeScript and plain JavaScript, unchanged,
// against the installed generator's mock behind HTTPS), a generation, a mock listing and a contract run.
// Concurrent: most of each run is waiting on child processes, so the Node versions overlap.
describe("the consumer smoke", () => {
  it.concurrent.for(smokeNodes)("under %s: the quick start, a generation, a mock listing and a contract run from the installed packages", { timeout: 240_000 }, async (node, { expect }) => {
    const version = (await run(node, ["--version"])).stdout.trim();
    const { command: mock, match } = await startCommand(node, [generatorBin(), "mock", "--port", "0", "--quiet"], project, /listening on (http:\/\/127\.0\.0\.1:\d+)/);
    const front = await httpsFront(match[1]!, pki.serverCert, pki.serverKey);
    try {
      const env = { ...process.env, PVWA_URL: front.url, PVWA_USER: "automation", PVWA_PASSWORD: "any-password", NODE_EXTRA_CA_CERTS: pki.caCertPath };
      for (const program of ["out/quick-start.js", "quick-start.mjs"]) {
        const { stdout, stderr } = await run(node, [program], { cwd: project, env });
        expect(stderr, `${program} on ${version}`).toBe("");
        expect(stdout.trim().length, `${program} on ${version} printed the listing`).toBeGreaterThan(0);
      }
      // A refused password is a typed refusal, not a stack trace from deep inside.
      const refused = await run(node, ["quick-start.mjs"], { cwd: project, env: { ...env, PVWA_PASSWORD: "wrong-password" } }).then(
        () => "",
        (e: { stderr: string }) => e.stderr,
      );
      expect(refused).toContain("LogonFailedError");
      expect(refused).not.toContain("wrong-password");

      const out = `generated-${version}`;
      await run(node, [generatorBin(), "generate", "--quiet", "--out", out], { cwd: project });
      expect(existsSync(join(project, out, "gen2.operations.ts"))).toBe(true);

      const contract = await run(node, [generatorBin(), "contract", "--upstream", match[1]!, "--run", `"${node}" list.mjs`], { cwd: project });
      expect(JSON.parse(/\{"accounts":\d+\}/.exec(contract.stdout)?.[0] ?? "null")).toEqual({ accounts: expect.any(Number) });
      expect(contract.stdout).toMatch(/0 server answer\(s\) broke the spec, 0 request\(s\) broke the spec/);
    } finally {
      await front.close();
      await mock.stop();
    }
  });
});
