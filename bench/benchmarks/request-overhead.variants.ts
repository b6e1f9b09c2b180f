// The variants of benchmark 1, by name, with the label the report shows.
import { clientAccountGetter } from "../subjects/cyberark-client.js";
import { bareFetch, bareUndiciFetch, plainOpenapiFetch, type AccountGetter } from "../subjects/single-account.js";

export type OverheadVariant = "bare-fetch" | "bare-undici" | "openapi-fetch" | "cyberark-client";

export const OVERHEAD_VARIANTS: Record<OverheadVariant, { label: string; create(root: string): AccountGetter | Promise<AccountGetter> }> = {
  "bare-fetch": { label: "bare fetch (Node global), header set by hand", create: bareFetch },
  "bare-undici": { label: "bare undici 7 fetch (the client's HTTP library)", create: bareUndiciFetch },
  "openapi-fetch": { label: "plain openapi-fetch", create: plainOpenapiFetch },
  "cyberark-client": { label: "this client (gen2.GET, token auth, retry and typed errors on)", create: clientAccountGetter },
};
