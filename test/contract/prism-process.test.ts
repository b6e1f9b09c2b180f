// The Prism start/stop helper: it reports Prism's own reason when Prism cannot start (not a
// time-out), and stopping by PID leaves nothing running.
import { mkdtempSync, rmSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { fileURLToPath } from "node:url";
import { afterAll, describe, expect, it } from "vitest";
import { PrismStartError, startPrism } from "../../scripts/mock/prism.js";

const fixture = fileURLToPath(new URL("./fixtures/mini-gen2.swagger.json", import.meta.url));
const dir = mkdtempSync(join(tmpdir(), "prism-helper-"));
afterAll(() => rmSync(dir, { recursive: true, force: true }));

function alive(pid: number): boolean {
  try {
    process.kill(pid, 0);
    return true;
  } catch {
    return false;
  }
}

describe("startPrism", () => {
  it("starts on a free port of 127.0.0.1, answers, and is gone after stop()", async () => {
    const prism = await startPrism({ document: fixture });
    expect(prism.url).toMatch(/^http:\/\/127\.0\.0\.1:\d+$/);
    const res = await fetch(`${prism.url}/Safes/abc`, { headers: { authorization: "t" } });
    expect(res.status).toBe(200);
    expect(await res.json()).toEqual({ safeName: expect.any(String), numberOfDaysRetention: expect.any(Number) });
    await prism.stop();
    expect(alive(prism.pid)).toBe(false);
    await prism.stop(); // idempotent
  });

  it("fails fast with Prism's own message when the document is broken", async () => {
    const broken = join(dir, "broken.json");
    writeFileSync(broken, '{ "openapi": "3.0.3", "paths": ');
    const started = Date.now();
    const error = await startPrism({ document: broken, startTimeoutMs: 60_000 }).catch((e: unknown) => e);
    expect(error).toBeInstanceOf(PrismStartError);
    expect((error as Error).message).toContain(`Error parsing ${broken}`);
    expect((error as Error).message).toMatch(/exited \(code 1/);
    expect(Date.now() - started).toBeLessThan(30_000);
  });

  it("fails with Prism's message when the document does not exist", async () => {
    const missing = join(dir, "missing.json");
    await expect(startPrism({ document: missing })).rejects.toThrow(/ENOENT: no such file or directory/);
  });
});
