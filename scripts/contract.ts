// CLI entry for `npm run contract`; the command itself is in run-contract.ts (shared with the generator package's bin).
import { runContract } from "./run-contract.js";

process.exit(await runContract(process.argv.slice(2)));
