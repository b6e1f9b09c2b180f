// Things a generation must never read, each holding a canary: a file, a FIFO and a URL on a server of our own.
// Reading the FIFO would block forever, so a feeder watches it: the moment anything opens it for reading, the
// feeder records that and writes the canary, which unblocks the reader and lets the canary checks catch the leak.
import { execFileSync } from "node:child_process";
import { closeSync, constants, openSync, writeFileSync, writeSync } from "node:fs";
import { join } from "node:path";
import { startHttpServer, type TestServer } from "../transport/servers.js";

export interface CanaryTargets {
  canary: string;
  file: string;
  fifo: string;
  url: string;
  /** Whether anything opened the FIFO for reading. */
  readonly fifoOpened: boolean;
  /** Whether anything connected to the server. */
  readonly serverContacted: boolean;
  /** Forgets what was recorded, so the next check is about the next run alone. */
  reset(): void;
  close(): Promise<void>;
}

export async function startCanaryTargets(dir: string, canary: string): Promise<CanaryTargets> {
  const body = JSON.stringify({ type: "string", description: canary, example: canary });
  const file = join(dir, "secret.json");
  writeFileSync(file, body);
  const fifo = join(dir, "secret.fifo");
  execFileSync("mkfifo", [fifo]);
  let fifoOpened = false;
  const feeder = setInterval(() => {
    let fd: number;
    try {
      // Succeeds only while a reader has the FIFO open (ENXIO otherwise), and never blocks.
      fd = openSync(fifo, constants.O_WRONLY | constants.O_NONBLOCK);
    } catch {
      return;
    }
    fifoOpened = true;
    writeSync(fd, body);
    closeSync(fd);
  }, 5);
  let socketsBefore = 0;
  const server: TestServer = await startHttpServer((_req, res) => {
    res.writeHead(200, { "content-type": "application/json" });
    res.end(body);
  });
  return {
    canary,
    file,
    fifo,
    url: `${server.url}/secret.json`,
    get fifoOpened() {
      return fifoOpened;
    },
    get serverContacted() {
      return server.sockets > socketsBefore;
    },
    reset: () => {
      fifoOpened = false;
      socketsBefore = server.sockets;
    },
    close: async () => {
      clearInterval(feeder);
      await server.close();
    },
  };
}
