// How a command was started, so its help and messages name what the user typed: "npm run mock --" in this
// repository, "npx cyberark-pam-generator mock" from the installed generator package.
export interface CommandInvocation {
  /** The words before the command's options, e.g. "npx cyberark-pam-generator mock". */
  command: string;
}
