// CLI entry for `npm run mock`; the command itself is in run-mock.ts (shared with the generator package's bin).
import { runMock } from "./run-mock.js";

process.exit(await runMock(process.argv.slice(2)));
