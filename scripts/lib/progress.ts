// Prints one line per step with its duration, and turns anything a step throws into a GenerateError.
// Warnings (output that is not what the input promised) go to their own sink, stderr, which --quiet keeps.
import { performance } from "node:perf_hooks";
import { asGenerateError } from "./errors.js";

export interface TextSink {
  write(text: string): unknown;
}

export class Progress {
  constructor(
    private readonly out: TextSink,
    private readonly quiet: boolean,
    private readonly warnings: TextSink,
  ) {}

  async step<T>(step: string, subject: string, run: () => T | Promise<T>): Promise<T> {
    const started = performance.now();
    try {
      const result = await run();
      this.line(`✔ ${step} ${subject}`.trimEnd() + ` (${elapsed(started)})`);
      return result;
    } catch (error) {
      this.line(`✖ ${step} ${subject}`.trimEnd() + ` (${elapsed(started)})`);
      throw asGenerateError(step, error);
    }
  }

  /** Detail under the current step (repairs applied, conversion skipped, ...). */
  note(text: string): void {
    this.line(`    ${text}`);
  }

  /** Something the user must see even with --quiet (paths left out of the generation, ...). */
  warn(text: string): void {
    this.warnings.write(`warning: ${text}\n`);
  }

  line(text: string): void {
    if (!this.quiet) this.out.write(text + "\n");
  }
}

function elapsed(started: number): string {
  return `${Math.round(performance.now() - started)} ms`;
}
