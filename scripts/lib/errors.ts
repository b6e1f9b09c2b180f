// The one error type the pipeline reports: which step failed and a readable paragraph saying why.
export class GenerateError extends Error {
  readonly step: string;

  constructor(step: string, message: string) {
    super(message);
    this.name = "GenerateError";
    this.step = step;
  }
}

/** Wraps anything thrown inside a step so the report always names the step. */
export function asGenerateError(step: string, error: unknown): GenerateError {
  if (error instanceof GenerateError) return error;
  const message = error instanceof Error ? error.message : String(error);
  return new GenerateError(step, message);
}
