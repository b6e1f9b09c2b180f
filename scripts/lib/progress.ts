// Prints one line per step with its duration, and turns anything a step throws into a GenerateError.
import { performance } from "node:perf_hooks";
import { asGenerateError } from "./errors.js";

export interface TextSink {
  write(text: string): unknown;
}

export class Progress {
  constructor(
    private readonly out: TextSink,
    private readonly quiet: boolean,
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

  /** Detail under the current step (repairs applied, paths left out, ...). */
  note(text: string): void {
    this.line(`    ${text}`);
  }

  line(text: string): void {
    if (!this.quiet) this.out.write(text + "\n");
  }
}

function elapsed(started: number): string {
  return `${Math.round(performance.now() - started)} ms`;
}
