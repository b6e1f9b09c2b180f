// The safety net behind "credentials never appear in output": anything printed is scrubbed.
import { describe, expect, it } from "vitest";
import { redactSecrets } from "../../scripts/lib/secrets.js";
import { generate } from "./harness.js";

describe("redactSecrets", () => {
  it("replaces every occurrence of the token and the auth header value", () => {
    const env = { CYBERARK_TOKEN: "tok-123456", CYBERARK_AUTH_HEADER: "Bearer hdr-654321" };
    expect(redactSecrets("a tok-123456 b tok-123456 Bearer hdr-654321", env)).toBe(
      "a <CYBERARK_TOKEN> b <CYBERARK_TOKEN> <CYBERARK_AUTH_HEADER>",
    );
    expect(redactSecrets("nothing here", {})).toBe("nothing here");
  });

  it("is applied to what runGenerate prints, even when an argument echoes the secret", async () => {
    const token = "leaky-canary-998877";
    const run = await generate(["--spec", `gen9=${token}`], { CYBERARK_TOKEN: token });
    expect(run.code).toBe(2);
    expect(run.stderr).toContain("<CYBERARK_TOKEN>");
    expect(run.stderr).not.toContain(token);
  });
});

describe("the credential in every form it travels in", () => {
  const env = { CYBERARK_TOKEN: "Bearer tok+/=abc12345", CYBERARK_AUTH_HEADER: "CyberArk hdr\"654321" };

  it("hides the token after the scheme, and its percent- and JSON-encoded forms, as well as the whole value", () => {
    const echoes = ["tok+/=abc12345", "tok%2B%2F%3Dabc12345", "hdr\\\"654321", "hdr%22654321", "Bearer tok+/=abc12345"];
    for (const echo of echoes) expect(redactSecrets(`got ${echo}.`, env), echo).not.toMatch(/abc12345|654321/);
  });

  it("strips a password from any URL it prints", () => {
    expect(redactSecrets("could not connect to https://alice:PASSW0RD@127.0.0.1:1/x (ECONNREFUSED)", {})).toBe(
      "could not connect to https://127.0.0.1:1/x (ECONNREFUSED)",
    );
  });

  it("is named, never spelled, when a document echoes it: the run stops before writing", async () => {
    const { startHttpServer } = await import("../transport/servers.js");
    const { tempDir, fixture } = await import("./harness.js");
    const { readFileSync } = await import("node:fs");
    const { join } = await import("node:path");
    const token = "echoed-canary-token-5150";
    // A portal that reflects the request into its document.
    const server = await startHttpServer((req, res) => {
      const doc = JSON.parse(readFileSync(fixture("gen2.swagger.json"), "utf8"));
      doc.info.description = `Requested as ${String(req.url)} with ${String(req.headers["authorization"])}`;
      res.setHeader("content-type", "application/json");
      res.end(JSON.stringify(doc));
    });
    const tmp = tempDir();
    try {
      const out = join(tmp.path, "out");
      // Plain http never carries the credential; here it travels in the URL's query, and comes back.
      const run = await generate(["--spec", `gen2=${server.url}/swagger.json`, "--out", out], { CYBERARK_TOKEN: token });
      const again = await generate(["--spec", `gen2=${server.url}/swagger.json?t=${token}`, "--out", out], { CYBERARK_TOKEN: token });
      for (const r of [run, again]) {
        expect(r.stdout + r.stderr).not.toContain(token);
      }
      expect(run.code).toBe(0); // no echo: the credential was never sent over http
      expect(again.code).toBe(1);
      expect(again.stderr).toMatch(/step write: .* would contain the pull credential <CYBERARK_TOKEN>/);
    } finally {
      tmp.cleanup();
      await server.close();
    }
  }, 60_000);
});
