// How much a client logs: the `logLevel` option, else CYBERARK_LOG_LEVEL from the environment (read once,
// when the client is created), else "info". Messages below the level never reach the logger's hook.
import { ConfigurationError } from "../errors/configuration.js";

export type LogLevel = "debug" | "info" | "warn" | "error" | "silent";

/** Least to most severe; "silent" logs nothing. */
export const LOG_LEVELS: readonly LogLevel[] = Object.freeze(["debug", "info", "warn", "error", "silent"]);

export const DEFAULT_LOG_LEVEL: LogLevel = "info";
export const LOG_LEVEL_ENV = "CYBERARK_LOG_LEVEL";

function levelOf(value: string, source: string): LogLevel {
  const level = value.trim().toLowerCase();
  if ((LOG_LEVELS as readonly string[]).includes(level)) return level as LogLevel;
  // The value is never quoted: a mis-mapped variable or secret reference may hold a password.
  throw new ConfigurationError(`${source} is not a log level; use one of ${LOG_LEVELS.map((l) => `"${l}"`).join(", ")} (any letter case)`);
}

/** The level of a client: the option wins over the environment; an unknown value of either is a ConfigurationError. */
export function resolveLogLevel(option: unknown, env: Readonly<Record<string, string | undefined>> = process.env): LogLevel {
  if (option !== undefined) {
    if (typeof option !== "string") throw new ConfigurationError(`logLevel must be one of ${LOG_LEVELS.map((l) => `"${l}"`).join(", ")}`);
    return levelOf(option, "logLevel");
  }
  const fromEnv = env[LOG_LEVEL_ENV];
  // Set but empty (CYBERARK_LOG_LEVEL= in a shell) means unset, as for the proxy variables.
  if (fromEnv === undefined || fromEnv.trim() === "") return DEFAULT_LOG_LEVEL;
  return levelOf(fromEnv, LOG_LEVEL_ENV);
}

/** Whether a message at `level` passes a client at `threshold`. */
export function passes(level: Exclude<LogLevel, "silent">, threshold: LogLevel): boolean {
  return LOG_LEVELS.indexOf(level) >= LOG_LEVELS.indexOf(threshold);
}
