// The log level: which of option and environment wins, what is refused, and that a message below the
// level never reaches the hook (nor the redaction in front of it).
import { inspect } from "node:util";
import { describe, expect, it, vi } from "vitest";
import { ConfigurationError } from "../../src/errors/configuration.js";
import { DEFAULT_LOG_LEVEL, LOG_LEVELS, passes, resolveLogLevel } from "../../src/logging/log-level.js";
import { createLogger, enabled, SecretRegistry, type Logger } from "../../src/logging/logger.js";

const ALLOWED = '"debug", "info", "warn", "error", "silent"';

describe("resolveLogLevel", () => {
  it("the option wins over CYBERARK_LOG_LEVEL, which wins over the default, info", () => {
    expect(DEFAULT_LOG_LEVEL).toBe("info");
    expect(resolveLogLevel(undefined, {})).toBe("info");
    expect(resolveLogLevel(undefined, { CYBERARK_LOG_LEVEL: "debug" })).toBe("debug");
    expect(resolveLogLevel("error", { CYBERARK_LOG_LEVEL: "debug" })).toBe("error");
    // The option wins even over an environment value that would be refused.
    expect(resolveLogLevel("warn", { CYBERARK_LOG_LEVEL: "loud" })).toBe("warn");
  });

  it("reads the environment value whatever its letter case and surrounding white space; empty means unset", () => {
    expect(resolveLogLevel(undefined, { CYBERARK_LOG_LEVEL: " WARN " })).toBe("warn");
    expect(resolveLogLevel(undefined, { CYBERARK_LOG_LEVEL: "Silent" })).toBe("silent");
    expect(resolveLogLevel(undefined, { CYBERARK_LOG_LEVEL: "" })).toBe("info");
  });

  it("an unknown value of the option or the environment is a ConfigurationError naming the allowed values", () => {
    expect(() => resolveLogLevel("verbose", {})).toThrow(ConfigurationError);
    expect(() => resolveLogLevel("verbose", {})).toThrow(`logLevel is not a log level; use one of ${ALLOWED} (any letter case)`);
    expect(() => resolveLogLevel(3, {})).toThrow(`logLevel must be one of ${ALLOWED}`);
    expect(() => resolveLogLevel(undefined, { CYBERARK_LOG_LEVEL: "trace" })).toThrow(`CYBERARK_LOG_LEVEL is not a log level; use one of ${ALLOWED} (any letter case)`);
  });

  it("never quotes the value back, whatever its length: a mis-mapped variable may hold a password", () => {
    for (const secret of ["Hunter2-Pa55!", "pw", "x".repeat(200), "Pässwört Ü 7"]) {
      for (const attempt of [() => resolveLogLevel(secret, {}), () => resolveLogLevel(undefined, { CYBERARK_LOG_LEVEL: secret })]) {
        const error = (() => {
          try {
            attempt();
          } catch (e) {
            return e as ConfigurationError;
          }
          throw new Error("no error");
        })();
        expect(error).toBeInstanceOf(ConfigurationError);
        for (const surface of [error.message, JSON.stringify(error), inspect(error, { showHidden: true, depth: 5 })]) {
          expect(surface).not.toContain(secret);
          expect(surface).not.toContain(JSON.stringify(secret).slice(1, -1));
        }
      }
    }
  });

  it("orders the levels debug < info < warn < error; silent passes nothing", () => {
    expect(LOG_LEVELS).toEqual(["debug", "info", "warn", "error", "silent"]);
    expect(passes("debug", "info")).toBe(false);
    expect(passes("info", "info")).toBe(true);
    expect(passes("error", "warn")).toBe(true);
    expect(passes("error", "silent")).toBe(false);
  });
});

describe("createLogger with a level", () => {
  function hooks() {
    const hook = () => vi.fn<Logger["debug"]>();
    return { debug: hook(), info: hook(), warn: hook(), error: hook() };
  }

  it.each([
    ["debug", ["debug", "info", "warn", "error"]],
    ["info", ["info", "warn", "error"]],
    ["warn", ["warn", "error"]],
    ["error", ["error"]],
    ["silent", []],
  ] as const)("at %s, only %j reach the hooks", (level, reaching) => {
    const user = hooks();
    const logger = createLogger(user, new SecretRegistry(), level);
    for (const name of ["debug", "info", "warn", "error"] as const) logger[name](`${name} line`, { n: 1 });
    for (const name of ["debug", "info", "warn", "error"] as const) {
      expect(user[name], name).toHaveBeenCalledTimes((reaching as readonly string[]).includes(name) ? 1 : 0);
      expect(enabled(logger, name), name).toBe((reaching as readonly string[]).includes(name));
    }
  });

  it("below the level nothing is redacted or read: the message and meta are never looked at", () => {
    const secrets = new SecretRegistry();
    const redact = vi.spyOn(secrets, "redact");
    const logger = createLogger(hooks(), secrets, "warn");
    const message = { toString: vi.fn(() => "built") };
    const meta = new Proxy({}, { ownKeys: vi.fn(() => []) });
    logger.info(message as unknown as string, meta);
    expect(message.toString).not.toHaveBeenCalled();
    expect(redact).not.toHaveBeenCalled();
    logger.warn(message as unknown as string);
    expect(message.toString).toHaveBeenCalledTimes(1);
  });

  it("a level without a hook is not enabled, whatever the threshold", () => {
    const logger = createLogger({ warn: vi.fn() }, new SecretRegistry(), "debug");
    expect(enabled(logger, "debug")).toBe(false);
    expect(enabled(logger, "warn")).toBe(true);
  });
});
