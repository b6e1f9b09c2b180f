// Child side of the IPC protocol used by bench/lib/child.ts: numbered calls in, replies out,
// plus one-way announcements. A child ends when its parent disconnects or dies, so nothing is
// left running after the benchmark.

export interface CallMessage {
  id: number;
  type: string;
  payload?: unknown;
}

export interface ReplyMessage {
  id?: number;
  type: string;
  payload?: unknown;
  error?: string;
}

export type Handlers = Record<string, (payload: unknown) => unknown>;

function send(message: ReplyMessage): void {
  if (process.connected) process.send?.(message);
}

export function announce(type: string, payload?: unknown): void {
  send({ type, payload });
}

/** Answers calls with `handlers` until the parent disconnects; `onExit` runs before leaving. */
export function serveCalls(handlers: Handlers, onExit?: () => Promise<void> | void): void {
  if (!process.send) throw new Error("this file is a benchmark child process; run `npm run bench` instead");
  process.on("message", (raw) => {
    const call = raw as CallMessage;
    const handler = handlers[call.type];
    if (!handler) {
      send({ id: call.id, type: call.type, error: `unknown call "${call.type}"` });
      return;
    }
    Promise.resolve()
      .then(() => handler(call.payload))
      .then(
        (payload) => send({ id: call.id, type: call.type, payload }),
        (error: unknown) =>
          send({ id: call.id, type: call.type, error: error instanceof Error ? (error.stack ?? error.message) : String(error) }),
      );
  });
  process.once("disconnect", () => {
    void Promise.resolve()
      .then(() => onExit?.())
      .finally(() => process.exit(0));
  });
}
