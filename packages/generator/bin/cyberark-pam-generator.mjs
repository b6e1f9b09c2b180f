#!/usr/bin/env node
// `cyberark-pam-generator <generate|mock|contract>`: the build-time tools of cyberark-pam-client, run inside the
// caller's project. generate writes ./generated of the working folder by default (never into node_modules);
// the embedded spec and the mock's documents ship in dist/.
const USAGE = `Usage: cyberark-pam-generator generate [options]   typed paths for cyberark-pam-client (./generated)
       cyberark-pam-generator mock [options]       a Prism mock of the CyberArk APIs on 127.0.0.1
       cyberark-pam-generator contract --upstream <tenant URL> [options]
                                                    a proxy that reports answers breaking the spec
       cyberark-pam-generator --version

Add --help after a command for its options.
`;

const [command, ...rest] = process.argv.slice(2);
const name = "cyberark-pam-generator";
if (command === "generate" || command === "--version") {
  const { runGenerate } = await import("../dist/generator/run-generate.js");
  const io = {
    stdout: process.stdout,
    stderr: process.stderr,
    cwd: process.cwd(),
    invocation: { usage: [`${name} generate [options]`], command: `npx ${name} generate`, outDefault: "./generated in the current folder" },
  };
  const hasOut = rest.some((arg) => arg === "--out" || arg.startsWith("--out="));
  const argv = command === "--version" ? ["--version"] : hasOut ? rest : [...rest, "--out", "generated"];
  process.exitCode = await runGenerate(argv, io);
} else if (command === "mock") {
  const { runMock } = await import("../dist/generator/run-mock.js");
  process.exit(await runMock(rest, { command: `npx ${name} mock` }));
} else if (command === "contract") {
  const { runContract } = await import("../dist/generator/run-contract.js");
  process.exit(await runContract(rest, { command: `npx ${name} contract` }));
} else if (command === undefined || command === "--help" || command === "-h" || command === "help") {
  process.stdout.write(USAGE);
} else {
  process.stderr.write(`unknown command "${command}"\n\n${USAGE}`);
  process.exitCode = 2;
}
