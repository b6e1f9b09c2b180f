#!/usr/bin/env node
// `cyberark-pam-client generate [options]`: runs the compiled generator inside the caller's project.
// The generator's own default output is next to its code (inside node_modules), so --out defaults here
// to ./generated in the working directory; the default input is the embedded spec shipped in dist/spec.
import { runGenerate } from "../dist/generator/run-generate.js";

const USAGE = `Usage: cyberark-pam-client generate [options]
       cyberark-pam-client --version

Regenerates the typed CyberArk API into ./generated (or --out <dir>) of the current project.
Run "cyberark-pam-client generate --help" for the options.
`;
const io = {
  stdout: process.stdout,
  stderr: process.stderr,
  cwd: process.cwd(),
  invocation: {
    usage: ["cyberark-pam-client generate [options]"],
    command: "npx cyberark-pam-client generate",
    outDefault: "./generated in the current folder",
  },
};

const [command, ...rest] = process.argv.slice(2);
if (command === "generate") {
  const hasOut = rest.some((arg) => arg === "--out" || arg.startsWith("--out="));
  const argv = hasOut ? rest : [...rest, "--out", "generated"];
  process.exitCode = await runGenerate(argv, io);
} else if (command === "--version") {
  process.exitCode = await runGenerate(["--version"], io);
} else if (command === undefined || command === "--help" || command === "-h" || command === "help") {
  process.stdout.write(USAGE);
} else {
  process.stderr.write(`unknown command "${command}"\n\n${USAGE}`);
  process.exitCode = 2;
}
