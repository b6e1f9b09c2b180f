// The programs in examples/, run as a user runs them (a process, configuration from the environment)
// against the suite's Prism mock. Prism checks every request against the API contract and answers from
// the spec's examples; the mock's front ends each list after its first page (scripts/mock/list-front.ts).
// Settings, errors and the commands of examples/README.md: examples-run.test.ts.
import { mkdtemp, rm, writeFile } from "node:fs/promises";
import { createServer, type Server } from "node:http";
import type { AddressInfo } from "node:net";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { runExampleProcess, type Outcome } from "./example-process.js";
import { mockTenant } from "./mock-state.js";

let mockUrl: string;
let dir: string;

function example(name: string, args: string[], env: Record<string, string> = {}, rootUrl = mockUrl): Promise<Outcome> {
  const settings = { CYBERARK_URL: rootUrl, CYBERARK_TOKEN: "example-token", CYBERARK_ALLOW_HTTP: "1", MAX_ITEMS: "2" };
  return runExampleProcess(name.replace(/\.ts$/, ""), args, { ...settings, ...env });
}

beforeAll(async () => {
  mockUrl = (await mockTenant()).url;
  dir = await mkdtemp(join(tmpdir(), "cyberark-examples-"));
});
afterAll(async () => {
  if (dir) await rm(dir, { recursive: true, force: true });
});

describe("examples/ against the mock", () => {
  it.concurrent("find-accounts lists what a saved filter selects", async () => {
    const { code, stdout, stderr } = await example("find-accounts.ts", ["Locked"]);
    expect(stderr).toBe("");
    expect(code).toBe(0);
    expect(stdout).toMatch(/^id\s+userName\s+address\s+safe\s+CPM status$/m);
    // The mock's list ends after its one example account.
    expect(stdout).toContain("1 account(s) match saved filter Locked");
  });

  it.concurrent("find-accounts rejects an unknown saved filter before calling the API", async () => {
    const { code, stderr } = await example("find-accounts.ts", ["NoSuchFilter"]);
    expect(code).toBe(2);
    expect(stderr).toContain("usage: find-accounts <savedFilter>");
  });

  it.concurrent("list-safes prints safes and members as a table", async () => {
    const { code, stdout, stderr } = await example("list-safes.ts", []);
    expect(stderr).toBe("");
    expect(code).toBe(0);
    const lines = stdout.trim().split("\n");
    expect(lines[0]).toMatch(/^safe\s+member\s+type\s+retrieve\s+manage$/);
    // the mock's one example safe with its one example member
    expect(lines).toHaveLength(2 + 1);
  });

  it.concurrent("onboard-accounts reports each CSV row and never prints a secret", async () => {
    const csv = join(dir, "accounts.csv");
    await writeFile(
      csv,
      [
        "safeName,platformId,address,userName,secret",
        'Finance,WinDomain,srv01.example.com,svc-a,"Sup3r,""secret"""',
        "Finance,WinDomain,srv02.example.com,svc-b,",
        "Finance,WinDomain,,svc-c,other-secret",
      ].join("\n"),
    );
    const { code, stdout } = await example("onboard-accounts.ts", [csv], { CONCURRENCY: "2" });
    expect(code).toBe(1); // one row is incomplete
    expect(stdout).toMatch(/^2\s+svc-a@srv01\.example\.com in Finance\s+created \S+$/m);
    expect(stdout).toMatch(/^3\s+svc-b@srv02\.example\.com in Finance\s+created \S+$/m);
    expect(stdout).toMatch(/^4\s+svc-c@ in Finance\s+skipped: missing address$/m);
    expect(stdout).toContain("2 onboarded, 1 failed");
    expect(stdout).not.toMatch(/Sup3r|other-secret/);
  });

  it.concurrent("rotate-password schedules the change and reports it still pending when the CPM never answers", async () => {
    // The mock's account never changes, so the wait ends at the timeout.
    const { code, stdout } = await example("rotate-password.ts", ["286_4"], { WAIT_TIMEOUT_MS: "300", POLL_INTERVAL_MS: "100" });
    expect(stdout).toContain("change of 286_4 scheduled");
    expect(stdout).toMatch(/still pending after 300 ms/);
    expect(code).toBe(3);
  });
});

describe("examples/rotate-password.ts against a CPM that finishes", () => {
  let server: Server;
  let url: string;
  beforeAll(async () => {
    // A tiny PVWA whose account's CPM result moves on after the second poll following the change.
    let changeRequested = false;
    let pollsAfterChange = 0;
    server = createServer((req, res) => {
      res.setHeader("content-type", "application/json");
      if (req.method === "POST" && req.url === "/PasswordVault/API/Accounts/7_1/Change") {
        changeRequested = true;
        res.end();
        return;
      }
      if (req.method === "GET" && req.url === "/PasswordVault/API/Accounts/7_1") {
        const done = changeRequested && ++pollsAfterChange >= 2;
        const secretManagement = done ? { status: "success", lastModifiedTime: 200 } : { status: "success", lastModifiedTime: 100 };
        res.end(JSON.stringify({ id: "7_1", secretManagement }));
        return;
      }
      res.statusCode = 404;
      res.end(JSON.stringify({ ErrorCode: "ITATS001E", ErrorMessage: "not here" }));
    });
    url = await new Promise<string>((resolve) => server.listen(0, "127.0.0.1", () => resolve(`http://127.0.0.1:${(server.address() as AddressInfo).port}`)));
  });
  afterAll(() => new Promise<void>((resolve) => server.close(() => resolve())));

  it("waits for the CPM and reports the change", async () => {
    const { code, stdout } = await example("rotate-password.ts", ["7_1"], { WAIT_TIMEOUT_MS: "10000", POLL_INTERVAL_MS: "50" }, url);
    expect(stdout).toContain("password of 7_1 changed (CPM status: success)");
    expect(code).toBe(0);
  });
});
