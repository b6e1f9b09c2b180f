// Thrown before any request is sent when a path parameter value cannot be placed safely in
// its URL segment. The message names the parameter and shows at most a short preview of the
// value, so a huge or binary value never floods logs.
import { CyberArkError } from "./base.js";

const PREVIEW_CHARS = 32;

export type InvalidPathParameterReason =
  | "missing"
  | "empty"
  | "dot-segment"
  | "unsupported-character"
  | "unsupported-type"
  | "malformed-unicode"
  | "too-long";

export class InvalidPathParameterError extends CyberArkError {
  readonly kind = "INVALID_PATH_PARAMETER" as const;
  /** Name of the path parameter as written in the path template. */
  readonly parameter: string;
  readonly reason: InvalidPathParameterReason;

  constructor(parameter: string, reason: InvalidPathParameterReason, explanation: string) {
    super(`Path parameter "${parameter}" was refused before sending: ${explanation}`);
    this.parameter = parameter;
    this.reason = reason;
  }

  protected override details(): Record<string, unknown> {
    return { parameter: this.parameter, reason: this.reason };
  }
}

/** A short, escaped preview of a value for error messages (never the whole of a long value). */
export function previewValue(value: string): string {
  const cut = value.length > PREVIEW_CHARS ? `${value.slice(0, PREVIEW_CHARS)}…` : value;
  // JSON escaping makes control characters visible instead of corrupting the message.
  return `${JSON.stringify(cut)} (${value.length} characters)`;
}
