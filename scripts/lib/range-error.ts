// Turns a RangeError escaping a step (the JavaScript engine running out of stack, or a string or array
// growing past its limit) into a sentence naming the step and the document, instead of the engine's words.
import { GenerateError } from "./errors.js";

export function isStackOverflow(error: unknown): boolean {
  return error instanceof RangeError && /call stack/i.test(error.message);
}

export function rangeErrorAsGenerateError(step: string, subject: string, error: RangeError): GenerateError {
  const why = isStackOverflow(error)
    ? "the step ran out of stack space; the document is probably nested too deeply (or its $refs chain too deeply)"
    : `the document is too large for this step (${error.message})`;
  return new GenerateError(step, `${subject} could not be processed: ${why}.`);
}
