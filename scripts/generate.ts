// CLI entry for `npm run generate`; see scripts/lib/help.ts for the options.
import { runGenerate } from "./run-generate.js";

process.exitCode = await runGenerate(process.argv.slice(2), { stdout: process.stdout, stderr: process.stderr });
