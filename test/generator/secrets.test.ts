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
