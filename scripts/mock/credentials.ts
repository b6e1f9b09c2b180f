// Which credentials the mock refuses. Everything else is accepted, so automation keeps its own test
// configuration; one documented rule reaches the refusal paths, and the refused value is never echoed.

/** A password or client secret starting with this is refused (e.g. "wrong-password"). */
export const REFUSED_PREFIX = "wrong";

/** True when the mock answers this password / client secret as a tenant answers bad credentials. */
export function isRefusedSecret(secret: unknown): boolean {
  // An empty password never logs anyone on at a tenant either.
  return typeof secret === "string" && (secret === "" || secret.startsWith(REFUSED_PREFIX));
}
