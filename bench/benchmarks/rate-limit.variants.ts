// The variants of benchmark 3: the client with its default retry rules, and plain openapi-fetch,
// which has none (its failures show what the retry rules save a user from writing).
import { clientAccountGetter } from "../subjects/cyberark-client.js";
import { plainOpenapiFetch, type AccountGetter } from "../subjects/single-account.js";

export type RateLimitVariant = "cyberark-client" | "openapi-fetch";

export const RATE_LIMIT_VARIANTS: Record<RateLimitVariant, { label: string; create(root: string): AccountGetter | Promise<AccountGetter> }> = {
  "cyberark-client": { label: "this client (default retry rules)", create: clientAccountGetter },
  "openapi-fetch": { label: "plain openapi-fetch (no retry)", create: plainOpenapiFetch },
};
