// What the mock and contract commands share between this repository's npm scripts and the generator package's
// bin: how the command was started, so its help names what the user typed ("npm run mock --" here, "npx
// cyberark-pam-generator mock" installed), and how a failure ends it.
export interface CommandInvocation {
  /** The words before the command's options, e.g. "npx cyberark-pam-generator mock". */
  command: string;
}

/** Runs a command; a bad option or a failure to start is a message on stderr and exit code 1, not a stack trace. */
export async function exitCodeOf(command: () => Promise<number>): Promise<number> {
  try {
    return await command();
  } catch (err) {
    process.stderr.write(`${err instanceof Error ? err.message : String(err)}\n`);
    return 1;
  }
}
