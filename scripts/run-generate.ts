// Entry point of the generator as a function: options, --help, error reporting and exit codes. The heavy
// pipeline (TypeScript, swagger-parser, openapi-typescript) is loaded only when there is work to do, so
// --help, --version and argument errors answer at once. Tests call runGenerate in-process.
import { parseCliOptions, type GenerateOptions } from "./lib/cli-options.js";
import { asGenerateError } from "./lib/errors.js";
import { helpText, REPO_INVOCATION, type Invocation } from "./lib/help.js";
import { packageVersion } from "./lib/package-version.js";
import { Progress, type TextSink } from "./lib/progress.js";
import { redactSecrets, type Env } from "./lib/secrets.js";

export interface GenerateIo {
  stdout: TextSink;
  stderr: TextSink;
  /** Defaults to process.env; tests pass their own so proxies and tokens are under their control. */
  env?: Env;
  /** Defaults to process.cwd(); relative --spec/--out/--report/--ca are resolved against it. */
  cwd?: string;
  /** How the user started the generator, for --help and messages (defaults to this repository's npm script). */
  invocation?: Invocation;
}

function redacting(sink: TextSink, env: Env): TextSink {
  return { write: (text: string) => sink.write(redactSecrets(text, env)) };
}

export async function runGenerate(argv: readonly string[], io: GenerateIo): Promise<number> {
  const env = io.env ?? process.env;
  const stdout = redacting(io.stdout, env);
  const stderr = redacting(io.stderr, env);
  let options: GenerateOptions;
  try {
    options = parseCliOptions(argv, io.cwd ?? process.cwd());
  } catch (error) {
    const e = asGenerateError("arguments", error);
    stderr.write(`generate failed at step ${e.step}: ${e.message}\n`);
    return 2;
  }
  const invocation = io.invocation ?? REPO_INVOCATION;
  if (options.help) {
    stdout.write(helpText(invocation));
    return 0;
  }
  if (options.version) {
    stdout.write(`${await packageVersion()}\n`);
    return 0;
  }
  const progress = new Progress(stdout, options.quiet, stderr);
  try {
    const { generate } = await import("./pipeline.js");
    return await generate(options, env, progress, invocation.command);
  } catch (error) {
    const e = asGenerateError("generate", error);
    stderr.write(`generate failed at step ${e.step}: ${e.message}\n`);
    return 1;
  }
}

