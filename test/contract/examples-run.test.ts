// How the examples are run: the commands examples/README.md gives (parsed out of its code blocks, so this
// breaks when the README drifts from the examples), and what a user sees when a setting is missing or wrong
// (one line naming it, exit code 2) or the client fails (one line with the error's class and kind, exit
// code 1): never a stack trace, never a password.
import { readFileSync } from "node:fs";
import { createServer } from "node:net";
import { join } from "node:path";
import { beforeAll, describe, expect, it, vi } from "vitest";
import { clientFromEnv, numberFromEnv, UsageError } from "../../examples/client-from-env.js";
import { EXAMPLE_NAMES, EXAMPLE_VARIABLES, EXAMPLES_DIR, runExampleProcess, runShellLine, type Outcome } from "./example-process.js";
import { mockTenant } from "./mock-state.js";
import { codeBlocks } from "../support/markdown.js";

const README = readFileSync(join(EXAMPLES_DIR, "README.md"), "utf8");
const shellLines = codeBlocks(README, "sh").flatMap((block) =>
  block
    .split("\n")
    .map((l) => l.trim())
    .filter(Boolean),
);
const mockPort = /^npm run mock -- --port (\d+)$/m.exec(shellLines.join("\n"))?.[1];
const exported: Record<string, string> = Object.fromEntries(
  shellLines
    .filter((l) => l.startsWith("export "))
    .flatMap((l) => l.slice("export ".length).trim().split(/\s+/))
    .map((pair) => [pair.slice(0, pair.indexOf("=")), pair.slice(pair.indexOf("=") + 1)]),
);
const commands = shellLines
  .filter((l) => /(?:^|\s)npx tsx examples\/[\w-]+\.ts\b/.test(l))
  .map((line) => ({ line, name: /examples\/([\w-]+)\.ts/.exec(line)?.[1] ?? "", args: line.split(/\.ts\b/)[1]?.trim().split(/\s+/).filter(Boolean) ?? [] }));
/** The first README command's arguments for each example: arguments that get past its usage check. */
const argsOf = (name: string): string[] => commands.find((c) => c.name === name)?.args ?? [];

/** What each README command prints against the mock, and its exit code. */
const EXPECTED: Record<string, { code: number; stdout: RegExp }> = {
  "find-accounts": { code: 0, stdout: /^1 account\(s\) match saved filter \w+$/m },
  "list-safes": { code: 0, stdout: /^safe\s+member\s+type\s+retrieve\s+manage\n[- ]+\n\S+\s+\S+/ },
  "onboard-accounts": { code: 0, stdout: /^2 onboarded, 0 failed$/m },
  "rotate-password": { code: 3, stdout: /^still pending after \d+ ms/m },
};

/** A process's time, generous: the examples run concurrently, each compiling with tsx, beside Prism. */
const PROCESS_TIMEOUT = 120_000;

/** Runs `work` with exactly `env` of the examples' variables set in this process. */
async function withEnv<T>(env: Record<string, string>, work: () => Promise<T>): Promise<T> {
  for (const name of EXAMPLE_VARIABLES) vi.stubEnv(name, env[name]);
  try {
    return await work();
  } finally {
    vi.unstubAllEnvs();
  }
}

/** One line on stderr and nothing that looks like a stack frame. */
function expectOneLine(stderr: string): void {
  expect(stderr).toMatch(/^[^\n]+\n$/);
  expect(stderr).not.toMatch(/^\s+at /m);
}

let mockUrl: string;
beforeAll(async () => {
  mockUrl = (await mockTenant()).url;
});

describe("examples/README.md", () => {
  it("covers every example, every variable the examples read and every file to edit in your own project", () => {
    expect(Object.keys(EXPECTED).sort()).toEqual(EXAMPLE_NAMES);
    for (const name of EXAMPLE_NAMES) {
      expect(README).toContain(`## ${name}\n`);
      expect(commands.map((c) => c.name)).toContain(name);
    }
    expect(EXAMPLE_VARIABLES).toEqual(expect.arrayContaining(["CYBERARK_URL", "CYBERARK_TOKEN", "MAX_ITEMS", "CONCURRENCY", "WAIT_TIMEOUT_MS"]));
    for (const variable of EXAMPLE_VARIABLES) expect(README, variable).toContain(`\`${variable}`);
    // ...and names no variable they do not read (in the table, or set in front of a command).
    const named = [...README.matchAll(/`(CYBERARK_[A-Z_]+)/g)].map((m) => m[1]);
    for (const name of [...named, ...commands.flatMap((c) => [...c.line.matchAll(/(?:^|\s)([A-Z_]+)=/g)].map((m) => m[1]))]) {
      expect(EXAMPLE_VARIABLES, `README names ${name}`).toContain(name);
    }
    // "In each copied file that imports "../src/index.js" (a.ts, b.ts), change ...": the files that do.
    const listed = /imports `"\.\.\/src\/index\.js"`\s*\(([^)]*)\)/.exec(README)?.[1]?.split(/,\s*/);
    const importing = [...EXAMPLE_NAMES, "client-from-env"]
      .map((n) => `${n}.ts`)
      .filter((f) => readFileSync(join(EXAMPLES_DIR, f), "utf8").includes('from "../src/index.js"'));
    expect(listed?.sort()).toEqual(importing.sort());
  });

  it("points the examples at the mock it starts", () => {
    expect(mockPort).toMatch(/^\d+$/);
    expect(exported).toEqual({
      CYBERARK_URL: `http://127.0.0.1:${mockPort}`,
      CYBERARK_ALLOW_HTTP: "1",
      CYBERARK_USERNAME: expect.any(String),
      CYBERARK_PASSWORD: expect.not.stringMatching(/^(?:wrong|$)/),
    });
  });

  it.concurrent.each(commands)("$line", { timeout: PROCESS_TIMEOUT }, async ({ line, name }) => {
    const here = (text: string): string => text.replaceAll(`http://127.0.0.1:${mockPort}`, mockUrl);
    const env = Object.fromEntries(Object.entries(exported).map(([k, v]) => [k, here(v)]));
    const { code, stdout, stderr } = await runShellLine(here(line), env);
    expect(stderr).toBe("");
    expect(stdout).toMatch(EXPECTED[name]?.stdout ?? /^$/);
    expect(code).toBe(EXPECTED[name]?.code);
  });
});

describe.each(EXAMPLE_NAMES)("examples/%s.ts", (name) => {
  it.concurrent("with nothing set, names what to set in one line and exits with 2", { timeout: PROCESS_TIMEOUT }, async () => {
    const { code, stdout, stderr } = await runExampleProcess(name, argsOf(name));
    expect(stdout).toBe("");
    expectOneLine(stderr);
    expect(stderr).toMatch(/^set CYBERARK_URL .*CYBERARK_TENANT.*CYBERARK_USERNAME \+ CYBERARK_PASSWORD.*\(see examples\/README\.md\)\n$/);
    expect(code).toBe(2);
  });

  it.concurrent("with a refused password, prints the LogonFailedError in one line and exits with 1", { timeout: PROCESS_TIMEOUT }, async () => {
    const password = "wrong-password";
    const env = { CYBERARK_URL: mockUrl, CYBERARK_ALLOW_HTTP: "1", CYBERARK_USERNAME: "automation", CYBERARK_PASSWORD: password };
    const { code, stdout, stderr } = await runExampleProcess(name, argsOf(name), env);
    expectOneLine(stderr);
    expect(stderr).toMatch(/^LogonFailedError \[AUTHENTICATION_FAILED\]: .*PASWS013E/);
    expect(stdout + stderr).not.toContain(password);
    expect(code).toBe(1);
  });
});

describe("a missing or wrong setting", () => {
  it.concurrent("a CYBERARK_URL that is not a URL: one line naming it, exit code 2, no request", { timeout: PROCESS_TIMEOUT }, async () => {
    const { code, stdout, stderr } = await runExampleProcess("list-safes", [], { CYBERARK_URL: "pvwa", CYBERARK_TOKEN: "example-token" });
    expect(stdout).toBe("");
    expectOneLine(stderr);
    expect(stderr).toBe("CYBERARK_URL must be a URL such as https://pvwa.example.com (see examples/README.md)\n");
    expect(code).toBe(2);
  });

  // The other settings in-process (runExample prints any UsageError the same way, as the tests above show).
  const token = { CYBERARK_TOKEN: "example-token" };
  const local = (): Record<string, string> => ({ CYBERARK_URL: mockUrl, CYBERARK_ALLOW_HTTP: "1" });
  const cases: [string, () => Record<string, string>, RegExp][] = [
    ["an http:// CYBERARK_URL without CYBERARK_ALLOW_HTTP", () => ({ ...token, CYBERARK_URL: mockUrl }), /^CYBERARK_URL uses http:\/\/: set CYBERARK_ALLOW_HTTP=1/],
    ["a CYBERARK_ALLOW_HTTP other than 1", () => ({ ...token, ...local(), CYBERARK_ALLOW_HTTP: "yes" }), /^CYBERARK_ALLOW_HTTP must be 1/],
    ["a user name without its password", () => ({ ...local(), CYBERARK_USERNAME: "automation" }), /^set CYBERARK_PASSWORD \(the password of CYBERARK_USERNAME\)$/],
    ["an empty password", () => ({ ...local(), CYBERARK_USERNAME: "automation", CYBERARK_PASSWORD: "" }), /^set CYBERARK_PASSWORD /],
    ["a service user without its secret", () => ({ CYBERARK_TENANT: "mycompany", CYBERARK_CLIENT_ID: "svc@mycompany" }), /^set CYBERARK_CLIENT_SECRET /],
    ["a service user with CYBERARK_URL", () => ({ ...local(), CYBERARK_CLIENT_ID: "svc", CYBERARK_CLIENT_SECRET: "s" }), /^CYBERARK_CLIENT_ID is a Privilege Cloud service user: set CYBERARK_TENANT/],
    ["both CYBERARK_URL and CYBERARK_TENANT", () => ({ ...token, CYBERARK_URL: "https://pvwa.example.com", CYBERARK_TENANT: "mycompany" }), /not both$/],
    ["a CYBERARK_TENANT that is no subdomain", () => ({ ...token, CYBERARK_TENANT: "my company" }), /^CYBERARK_TENANT: /],
    ["a web page as CYBERARK_URL", () => ({ ...token, CYBERARK_URL: "https://pvwa.example.com/PasswordVault/v10/logon" }), /^CYBERARK_URL: .*not the API root/],
    ["a bad CYBERARK_IDENTITY_URL", () => ({ CYBERARK_TENANT: "mycompany", CYBERARK_IDENTITY_URL: "http://a b", CYBERARK_CLIENT_ID: "svc", CYBERARK_CLIENT_SECRET: "s" }), /^CYBERARK_IDENTITY_URL: /],
  ];
  it.each(cases)("%s: a UsageError naming it, before any request", async (_, env, message) => {
    const error = await withEnv(env(), () => clientFromEnv()).catch((e: unknown) => e);
    expect(error).toBeInstanceOf(UsageError);
    expect((error as Error).message).toMatch(message);
    expect((error as Error).message).not.toContain("\n");
  });

  it("a number setting that is not a whole number, or too small, is a UsageError naming it", async () => {
    await withEnv({ MAX_ITEMS: "lots" }, async () => expect(() => numberFromEnv("MAX_ITEMS", 1)).toThrow(/^MAX_ITEMS must be a whole number of at least 1, not "lots"$/));
    await withEnv({ CONCURRENCY: "0" }, async () => expect(() => numberFromEnv("CONCURRENCY", 4)).toThrow(UsageError));
    await withEnv({}, async () => expect(numberFromEnv("CONCURRENCY", 4)).toBe(4));
    await withEnv({ CONCURRENCY: " 8 " }, async () => expect(numberFromEnv("CONCURRENCY", 4)).toBe(8));
  });

  it.concurrent("a wrong argument is a usage line and exit code 2", { timeout: PROCESS_TIMEOUT }, async () => {
    const results: Outcome[] = await Promise.all([
      runExampleProcess("find-accounts", []),
      runExampleProcess("rotate-password", []),
      runExampleProcess("onboard-accounts", ["no-such-file.csv"]),
    ]);
    for (const { code, stderr } of results) {
      expectOneLine(stderr);
      expect(stderr).toMatch(/^(?:usage: |cannot read no-such-file\.csv )/);
      expect(code).toBe(2);
    }
  });
});

it.concurrent("a server that does not answer is a NetworkError in one line and exit code 1", { timeout: PROCESS_TIMEOUT }, async () => {
  // A port nothing listens on: taken from the system, then freed.
  const port = await new Promise<number>((resolve) => {
    const server = createServer().listen(0, "127.0.0.1", () => {
      const { port: p } = server.address() as { port: number };
      server.close(() => resolve(p));
    });
  });
  const env = { CYBERARK_URL: `http://127.0.0.1:${port}`, CYBERARK_ALLOW_HTTP: "1", CYBERARK_TOKEN: "example-token" };
  const { code, stdout, stderr } = await runExampleProcess("list-safes", [], env);
  expect(stdout).toBe("");
  expectOneLine(stderr);
  expect(stderr).toMatch(/^NetworkError \[NETWORK_ERROR\]: .*127\.0\.0\.1/);
  expect(code).toBe(1);
});
