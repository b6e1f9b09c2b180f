// Prism answers every list from the spec's example, the same page for any offset, with a nextLink and
// a `count` of -2147483648, so a listing never ends (and a client that checks its pages reports it as
// truncated). A tenant's lists end: this rule of the mock's front ends every list answer after its
// first page (no nextLink, the total equal to the items on it).
import type { FrontRule } from "./front.js";

/** Keys of a list envelope's total (Gen 2 `count`, offset envelopes `Total`/`total`). */
const TOTAL_KEYS = ["count", "Total", "total"];

/** The body with its list ended, or undefined when it is no list envelope. */
export function endList(body: unknown): Record<string, unknown> | undefined {
  if (typeof body !== "object" || body === null || Array.isArray(body)) return undefined;
  const envelope = body as Record<string, unknown>;
  const items = Object.values(envelope).find(Array.isArray);
  if (items === undefined) return undefined;
  const hasTotal = TOTAL_KEYS.some((key) => typeof envelope[key] === "number");
  if (!("nextLink" in envelope) && !hasTotal) return undefined;
  const ended: Record<string, unknown> = {};
  for (const [key, value] of Object.entries(envelope)) {
    if (key === "nextLink") continue;
    ended[key] = TOTAL_KEYS.includes(key) && typeof value === "number" ? items.length : value;
  }
  return ended;
}

/** Ends the list in every successful JSON answer to a GET; other answers pass unchanged. */
export const endLists: FrontRule = {
  respond(req, answer) {
    if (req.method !== "GET" || answer.status < 200 || answer.status >= 300) return answer;
    if (!/json/i.test(String(answer.headers["content-type"] ?? ""))) return answer;
    let ended: Record<string, unknown> | undefined;
    try {
      ended = endList(JSON.parse(answer.body.toString("utf8")));
    } catch {
      ended = undefined;
    }
    if (ended === undefined) return answer;
    const body = Buffer.from(JSON.stringify(ended));
    const headers = { ...answer.headers, "content-length": String(body.length) };
    delete headers["transfer-encoding"];
    return { status: answer.status, headers, body };
  },
};
