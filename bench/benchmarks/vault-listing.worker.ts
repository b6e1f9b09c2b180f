// Child process of benchmark 2: lists the whole vault with one variant, a warm-up pass and then
// timed rounds, checking every round saw every account. Its own peak RSS (resourceUsage().maxRSS)
// is the variant's memory figure; nothing else runs in this process.
import { serveCalls } from "../lib/ipc.js";
import { msSince } from "../lib/stats.js";
import { measureParseFloor } from "../subjects/vault-listing.js";
import { LISTING_VARIANTS, type ListingParams, type ListingVariant } from "./vault-listing.variants.js";

export interface ListingInput {
  variant: ListingVariant;
  params: ListingParams;
  rounds: number;
  expectedItems: number;
}

export interface ListingOutput {
  roundsMs: number[];
  /** RSS once everything is imported, before listing. */
  startRssMiB: number;
  peakRssMiB: number;
}

const MiB = 1024 * 1024;

serveCalls({
  async list(payload): Promise<ListingOutput> {
    const input = payload as ListingInput;
    const startRssMiB = process.memoryUsage.rss() / MiB;
    const lister = await LISTING_VARIANTS[input.variant].prepare(input.params);
    try {
      const roundsMs: number[] = [];
      for (let round = -1; round < input.rounds; round++) {
        let items = 0;
        let chars = 0;
        const start = process.hrtime.bigint();
        await lister.list((item) => {
          items++;
          chars += item.name?.length ?? 0; // touch each item, as a consumer would
        });
        const ms = msSince(start);
        if (items !== input.expectedItems || chars === 0) {
          throw new Error(`${input.variant}: listed ${items} accounts, expected ${input.expectedItems}`);
        }
        if (round >= 0) roundsMs.push(ms);
      }
      return { roundsMs, startRssMiB, peakRssMiB: (process.resourceUsage().maxRSS * 1024) / MiB };
    } finally {
      await lister.close();
    }
  },
  async parseFloor(payload): Promise<number> {
    const { root, pageSize } = payload as { root: string; pageSize: number };
    return measureParseFloor(root, pageSize);
  },
});
