// Child process of benchmark 1: runs every variant in the same process, rounds interleaved (the
// order rotates each round) so drift in machine load hits all variants alike.
import { serveCalls } from "../lib/ipc.js";
import { msSince } from "../lib/stats.js";
import { OVERHEAD_VARIANTS, type OverheadVariant } from "./request-overhead.variants.js";
import type { AccountGetter } from "../subjects/single-account.js";

export interface OverheadInput {
  root: string;
  requests: number;
  warmup: number;
  rounds: number;
  variants: OverheadVariant[];
}

export interface OverheadRound {
  variant: OverheadVariant;
  round: number;
  wallMs: number;
  /** CPU time of this process (user + system) during the round. */
  cpuMs: number;
}

const ACCOUNT_ID = "286_4";

async function sequential(getter: AccountGetter, count: number): Promise<void> {
  for (let i = 0; i < count; i++) await getter.get(ACCOUNT_ID);
}

const gc = (globalThis as { gc?: () => void }).gc;

serveCalls({
  async run(payload): Promise<OverheadRound[]> {
    const input = payload as OverheadInput;
    const getters = new Map<OverheadVariant, AccountGetter>();
    try {
      for (const variant of input.variants) {
        const getter = await OVERHEAD_VARIANTS[variant].create(input.root);
        getters.set(variant, getter);
        await sequential(getter, input.warmup);
      }
      const rounds: OverheadRound[] = [];
      for (let round = 0; round < input.rounds; round++) {
        const shift = round % input.variants.length;
        const order = [...input.variants.slice(shift), ...input.variants.slice(0, shift)];
        for (const variant of order) {
          const getter = getters.get(variant) as AccountGetter;
          gc?.();
          const cpu = process.cpuUsage();
          const start = process.hrtime.bigint();
          await sequential(getter, input.requests);
          const wallMs = msSince(start);
          const used = process.cpuUsage(cpu);
          rounds.push({ variant, round, wallMs, cpuMs: (used.user + used.system) / 1000 });
        }
      }
      return rounds;
    } finally {
      for (const getter of getters.values()) await getter.close();
    }
  },
});
