// Child process of benchmark 1: hosts ONE variant (as a user's process would host one HTTP
// client), so variants never share JIT state or inline caches. The parent calls "prepare" once,
// then "round" many times, interleaving the variants' processes so drift in machine load hits
// all of them alike.
import { serveCalls } from "../lib/ipc.js";
import { msSince } from "../lib/stats.js";
import { OVERHEAD_VARIANTS, type OverheadVariant } from "./request-overhead.variants.js";
import type { AccountGetter } from "../subjects/single-account.js";

export interface PrepareInput {
  root: string;
  variant: OverheadVariant;
  warmup: number;
  /** Bundled client module for the "baseline-client" variant. */
  modulePath?: string;
}

export interface RoundResult {
  wallMs: number;
  /** CPU time of this process (user + system) during the round. */
  cpuMs: number;
}

const ACCOUNT_ID = "286_4";

async function sequential(getter: AccountGetter, count: number): Promise<void> {
  for (let i = 0; i < count; i++) await getter.get(ACCOUNT_ID);
}

const gc = (globalThis as { gc?: () => void }).gc;
let getter: AccountGetter | undefined;

serveCalls(
  {
    async prepare(payload): Promise<void> {
      const input = payload as PrepareInput;
      getter = await OVERHEAD_VARIANTS[input.variant].create(input.root, input.modulePath);
      await sequential(getter, input.warmup);
    },
    async round(payload): Promise<RoundResult> {
      if (!getter) throw new Error("round before prepare");
      gc?.();
      const cpu = process.cpuUsage();
      const start = process.hrtime.bigint();
      await sequential(getter, payload as number);
      const wallMs = msSince(start);
      const used = process.cpuUsage(cpu);
      return { wallMs, cpuMs: (used.user + used.system) / 1000 };
    },
  },
  () => getter?.close(),
);
