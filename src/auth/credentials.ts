// Checks a strategy's user name and password when it is created, so a missing one is a clear
// ConfigurationError at once instead of a round trip that comes back as a vault error code.
import { ConfigurationError } from "../errors/configuration.js";

export function requireUserPassword(strategy: string, options: { username?: unknown; password?: unknown } | undefined): void {
  if (!options || typeof options.username !== "string" || !options.username || typeof options.password !== "string" || !options.password) {
    throw new ConfigurationError(`${strategy} needs a username and a password (non-empty strings)`);
  }
}
