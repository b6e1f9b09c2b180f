// Reads one list response body according to its paging entry: the item array, the total and
// the nextLink. Keys are matched exactly first, then case-insensitively, because PVWA versions
// differ in casing (`Total`/`total`, `Users`/`users`).
import { UnsafeNextLinkError } from "../errors/unsafe-next-link.js";
import { MalformedPageError } from "./malformed-page-error.js";
import type { PagingSpec } from "./types.js";

const NEXT_LINK_KEYS = ["nextLink", "next_link"];
// Base for resolving links when the response URL is unknown: nothing absolute can match it.
const UNKNOWN_ORIGIN = "http://unknown-origin.invalid/";

export interface ParsedEnvelope {
  items: unknown[];
  total: number | undefined;
  /** Offset named by the nextLink, when it has one that parses. */
  nextLinkOffset: number | undefined;
  hasNextLink: boolean;
  /** The nextLink resolved against the response URL (to compare links; never put in a message). */
  nextLinkHref: string | undefined;
}

function lookup(body: Record<string, unknown>, key: string): unknown {
  if (key in body) return body[key];
  const lower = key.toLowerCase();
  for (const k of Object.keys(body)) {
    if (k.toLowerCase() === lower) return body[k];
  }
  return undefined;
}

export function toNonNegativeInteger(value: unknown): number | undefined {
  const n = typeof value === "string" && value.trim() !== "" ? Number(value) : value;
  return typeof n === "number" && Number.isInteger(n) && n >= 0 ? n : undefined;
}

/** `redact` is the client's: key names and the nextLink's origin are server text, which may echo a secret. */
export function parseEnvelope(
  body: unknown,
  spec: PagingSpec,
  path: string,
  responseUrl: string | undefined,
  redact: (text: string) => string,
): ParsedEnvelope {
  if (body === null || typeof body !== "object" || Array.isArray(body)) {
    throw new MalformedPageError(path, `expected a JSON object with "${spec.items}", got ${describe(body)}`);
  }
  const record = body as Record<string, unknown>;
  const items = lookup(record, spec.items);
  if (!Array.isArray(items)) {
    // Redacted before clipping: a clip could cut a secret and leave its start unrecognisable.
    const keys = Object.keys(record)
      .slice(0, 10)
      .map((key) => redact(key))
      .map((k) => JSON.stringify(k.length > 40 ? `${k.slice(0, 40)}…` : k))
      .join(", ");
    throw new MalformedPageError(
      path,
      `"${spec.items}" is ${items === undefined ? "missing" : `not an array (${describe(items)})`}; keys present: ${keys || "none"}`,
    );
  }
  const total = spec.total === undefined ? undefined : toNonNegativeInteger(lookup(record, spec.total));

  let hasNextLink = false;
  let nextLinkOffset: number | undefined;
  let nextLinkHref: string | undefined;
  if (spec.style === "nextLink") {
    let link: unknown;
    for (const key of NEXT_LINK_KEYS) {
      link = lookup(record, key);
      if (link !== undefined) break;
    }
    if (typeof link === "string" && link.trim() !== "") {
      hasNextLink = true;
      ({ offset: nextLinkOffset, href: nextLinkHref } = readLink(link, spec.offsetParam ?? "offset", path, responseUrl, redact));
    } else if (link !== undefined && link !== null && typeof link !== "string") {
      throw new MalformedPageError(path, `"nextLink" is ${describe(link)}, not a string`);
    }
  }
  return { items, total, nextLinkOffset, hasNextLink, nextLinkHref };
}

/** Checks the link stays on the request's origin; returns it resolved, and its offset parameter if any. */
function readLink(
  link: string,
  offsetParam: string,
  path: string,
  responseUrl: string | undefined,
  redact: (text: string) => string,
): { offset: number | undefined; href: string } {
  const base = responseUrl ? safeUrl(responseUrl) : undefined;
  const baseHref = base?.href ?? UNKNOWN_ORIGIN;
  const resolved = safeUrl(link, baseHref);
  if (!resolved) throw new MalformedPageError(path, "the nextLink is not a valid URL reference");
  const expectedOrigin = new URL(baseHref).origin;
  if (resolved.origin !== expectedOrigin) {
    throw new UnsafeNextLinkError(base?.origin, redact(resolved.origin));
  }
  const wanted = offsetParam.toLowerCase();
  for (const [k, v] of resolved.searchParams) {
    if (k.toLowerCase() === wanted) return { offset: toNonNegativeInteger(v), href: resolved.href };
  }
  return { offset: undefined, href: resolved.href };
}

function safeUrl(text: string, base?: string): URL | undefined {
  try {
    return new URL(text, base);
  } catch {
    return undefined;
  }
}

function describe(value: unknown): string {
  if (value === undefined) return "no body";
  if (value === null) return "null";
  if (Array.isArray(value)) return "an array";
  return typeof value === "object" ? "an object" : `a ${typeof value}`;
}
