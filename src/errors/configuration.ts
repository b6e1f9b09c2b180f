// Thrown before any request when the client's options cannot work (bad URL, portal URL, http without
// opt-in, missing Identity URL...). The message says what to change.
import { CyberArkError } from "./base.js";

export class ConfigurationError extends CyberArkError {
  readonly kind = "INVALID_CONFIGURATION" as const;
}
