// The client's logger: a thin front for the caller's optional hook. Every message and meta
// object is redacted (key rules + the client's SecretRegistry) before the hook sees it, and a
// throwing hook, or an async one whose promise rejects, never breaks a request nor the process. Levels below the client's log level, and levels without a hook,
// are one shared no-op: nothing is redacted or called, and callers can ask enabled() before they build
// a message.
import { passes, type LogLevel } from "./log-level.js";
import { redactText, redactValue } from "./redact.js";
import { SecretRegistry } from "./secret-registry.js";

export { SecretRegistry };

export type LogMeta = Record<string, unknown>;

export interface Logger {
  debug(msg: string, meta?: LogMeta): void;
  info(msg: string, meta?: LogMeta): void;
  warn(msg: string, meta?: LogMeta): void;
  error(msg: string, meta?: LogMeta): void;
}

const LEVELS = ["debug", "info", "warn", "error"] as const;

const noop = (): void => {};

/** Whether `logger` (from createLogger) passes messages at `level` to a hook; any other logger: true. */
export function enabled(logger: Logger, level: (typeof LEVELS)[number]): boolean {
  return logger[level] !== noop;
}

/** The client's logger over the caller's hooks; `threshold` (default "debug": everything) drops the levels below it. */
export function createLogger(user: Partial<Logger> | undefined, secrets: SecretRegistry, threshold: LogLevel = "debug"): Logger {
  const clean = (text: string): string => redactText(secrets.redact(text));
  const logger = {} as Logger;
  for (const level of LEVELS) {
    const hook = readHook(user, level);
    if (typeof hook !== "function" || !passes(level, threshold)) {
      logger[level] = noop;
      continue;
    }
    logger[level] = (msg: string, meta?: LogMeta): void => {
      try {
        const safeMsg = clean(String(msg));
        const returned: unknown = meta === undefined ? hook.call(user, safeMsg) : hook.call(user, safeMsg, redactValue(meta, clean) as LogMeta);
        settleQuietly(returned);
      } catch {
        // A faulty logging hook must not turn a successful call into a failure.
      }
    };
  }
  return logger;
}

/** A level's hook; a getter that throws counts as no hook, as a hook that throws is ignored. */
function readHook(user: Partial<Logger> | undefined, level: (typeof LEVELS)[number]): unknown {
  try {
    return user?.[level];
  } catch {
    return undefined;
  }
}

/**
 * An async hook (one awaiting a log shipper, say) returns a promise nobody else awaits: its rejection
 * would be unhandled, which ends the process under Node's default mode. Any thenable gets a handler.
 */
function settleQuietly(returned: unknown): void {
  if ((typeof returned !== "object" && typeof returned !== "function") || returned === null) return;
  // Reading `then` may itself throw (a getter): the caller's catch takes it.
  const then = (returned as { then?: unknown }).then;
  if (typeof then === "function") then.call(returned, undefined, noop);
}
