// `npm run mock`: prints the URL to point the client at, serves the document under its real base
// paths, and stops Prism on Ctrl-C / SIGTERM.
import { fileURLToPath } from "node:url";
import { afterEach, describe, expect, it } from "vitest";
import { runScript, type ScriptRun } from "./script-runner.js";

const fixture = fileURLToPath(new URL("./fixtures/mini-gen2.swagger.json", import.meta.url));
const auth = { authorization: "mock-test-token" };

let run: ScriptRun | undefined;
afterEach(async () => {
  if (run && run.child.exitCode === null && run.child.signalCode === null) run.child.kill("SIGKILL");
  await run?.exited;
  run = undefined;
});

async function refused(url: string): Promise<boolean> {
  try {
    await fetch(url, { signal: AbortSignal.timeout(2_000) });
    return false;
  } catch {
    return true;
  }
}

describe("npm run mock", () => {
  it("--spec: serves the document under its basePath and stops on SIGINT", async () => {
    run = runScript("scripts/mock.ts", ["--spec", fixture, "--quiet"]);
    const [, root] = await run.waitFor(/Prism mock listening on (http:\/\/127\.0\.0\.1:\d+)/);
    expect(run.stdout()).toContain(`Document base:    ${root}/PasswordVault/API`);
    const res = await fetch(`${root}/PasswordVault/API/Safes/Finance`, { headers: auth });
    expect(res.status).toBe(200);
    expect(await res.json()).toMatchObject({ safeName: expect.any(String) });

    run.child.kill("SIGINT");
    const { code } = await run.exited;
    expect(code).toBe(0);
    expect(run.stdout()).toContain("Stopping the mock.");
    expect(await refused(`${root}/PasswordVault/API/Safes/Finance`)).toBe(true);
  });

  it("a missing --spec fails with a clear message", async () => {
    run = runScript("scripts/mock.ts", ["--spec", fileURLToPath(new URL("./fixtures/does-not-exist.json", import.meta.url))]);
    const { code } = await run.exited;
    expect(code).toBe(1);
    expect(run.stderr()).toContain("cannot read --spec");
  });

  it("--seed without --dynamic is refused (Prism would ignore it)", async () => {
    run = runScript("scripts/mock.ts", ["--seed", "s1"]);
    const { code } = await run.exited;
    expect(code).toBe(1);
    expect(run.stderr()).toContain("--seed only applies with --dynamic");
  });

  it("default: mounts the embedded documents like a tenant (Gen 2, Gen 1, Privilege Cloud); SIGTERM stops it", async () => {
    run = runScript("scripts/mock.ts", ["--quiet"]);
    const [, root] = await run.waitFor(/Prism mock listening on (http:\/\/127\.0\.0\.1:\d+)/, 170_000);
    const out = run.stdout();
    expect(out).toContain(`Gen 2 API:        ${root}/PasswordVault/API`);
    expect(out).toContain(`Gen 1 API:        ${root}/PasswordVault/WebServices`);
    expect(out).toContain(`Privilege Cloud:  ${root}/api`);
    // The printed Privilege Cloud configuration reaches the Identity route the mock answers.
    expect(out).toContain(`Identity token:   ${root}/oauth2/platformtoken`);
    expect(out).toContain(`overrides: { pvwaRoot: "${root}", pcloudRoot: "${root}", identityUrl: "${root}" }`);
    expect(out).toContain('one starting with "wrong"');
    const token = await fetch(`${root}/oauth2/platformtoken`, {
      method: "POST",
      headers: { "content-type": "application/x-www-form-urlencoded" },
      body: "grant_type=client_credentials&client_id=svc&client_secret=any-secret",
    });
    expect(token.status).toBe(200);
    expect(await token.json()).toMatchObject({ token_type: "Bearer" });
    const gen1 = await fetch(`${root}/PasswordVault/WebServices/PIMServices.svc/Server`, { headers: auth });
    expect(gen1.status).toBe(200);
    const pcloud = await fetch(`${root}/api/byok`, { headers: auth });
    expect(pcloud.status).toBe(200);
    const gen2 = await fetch(`${root}/PasswordVault/API/Safes/Finance`, { headers: auth });
    expect(gen2.status).toBe(200);
    await Promise.all([gen1.body?.cancel(), pcloud.body?.cancel(), gen2.body?.cancel()]);
    run.child.kill("SIGTERM");
    expect((await run.exited).code).toBe(0);
    expect(await refused(`${root}/api/byok`)).toBe(true);
  }, 200_000);
});
