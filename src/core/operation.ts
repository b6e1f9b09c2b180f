// One row of the generated operation tables: what the client knows about one operation. The one
// row type of the runtime (the typed clients, paging and describeOperation all read it).
import type { PagingSpec } from "../paging/types.js";

export interface OperationInfo {
  method?: string | undefined;
  path?: string | undefined;
  operationId?: string | undefined;
  minVersion?: string | undefined;
  maxVersion?: string | undefined;
  deployment?: "both" | "self-hosted" | "privilege-cloud" | undefined;
  /** Changes a credential: never retried after an ambiguous failure, whatever the retry options say. */
  secretChange?: boolean | undefined;
  /** List operations: where the items, total and next link are (see paging/). */
  paging?: PagingSpec | undefined;
  /** The success body is text (a password as octet-stream, say): read as a string unless the call's parseAs says otherwise. */
  successText?: boolean | undefined;
}

/** Operation tables are keyed "METHOD /path" with paths relative to their base. */
export type OperationTable = { readonly [key: string]: OperationInfo };

/**
 * The row of `method pathTemplate`, matched as the server matches a request (IIS and ASP.NET routing):
 * letter case, trailing slashes and the names of path parameters do not count, nor a query or
 * fragment, dot segments, backslashes, tabs or percent-encoded letters, which the URL parser or the
 * server resolves. Otherwise another spelling of a path would escape its row's facts (the deployment
 * check, the secretChange retry veto). The table's own spelling is one property read; others one Map
 * get after a short normalisation, in an index built once per table.
 */
export function lookupOperation(table: OperationTable | undefined, method: string, pathTemplate: string): OperationInfo | undefined {
  if (!table) return undefined;
  // Keys start with the method and a space: no Object.prototype member can answer.
  const row = table[`${method} ${pathTemplate}`];
  if (row !== undefined) return row;
  const key = routeKey(method, pathTemplate);
  return key === undefined ? undefined : routeIndex(table).get(key);
}

const indexes = new WeakMap<OperationTable, Map<string, OperationInfo>>();

/** Tables are built once and not changed afterwards (generated, or the caller's `api`), so the index is kept. */
function routeIndex(table: OperationTable): Map<string, OperationInfo> {
  let index = indexes.get(table);
  if (index) return index;
  index = new Map();
  for (const [key, row] of Object.entries(table)) {
    const space = key.indexOf(" ");
    const route = space < 0 ? undefined : routeKey(key.slice(0, space), key.slice(space + 1));
    // Two rows one route apart (a table listing "/X" and "/x"): the first one listed, as a server picks one.
    if (route !== undefined && !index.has(route)) index.set(route, row);
  }
  indexes.set(table, index);
  return index;
}

/** Percent-encoded characters that mean the same unencoded (RFC 3986 unreserved), and "%2e" for dot segments. */
const UNRESERVED_ESCAPE = /%(?:4[1-9a-f]|5[0-9a]|6[1-9a-f]|7[0-9a]|3[0-9]|2[de]|5f|7e)/gi;

/**
 * "METHOD /path" as the server tells routes apart, or undefined for a path that is not under the base
 * (no leading slash, or ".." above it): it can be no row's route.
 */
function routeKey(method: string, pathTemplate: string): string | undefined {
  // The URL parser drops tabs and newlines anywhere, and white space at the end of the URL.
  let path = pathTemplate.replace(/[\t\n\r]/g, "");
  const end = path.search(/[?#]/);
  if (end >= 0) path = path.slice(0, end);
  path = path.replace(/[\u0000-\u0020]+$/, "").replace(/\{[^}/]*\}/g, "{}").replace(/\\/g, "/");
  if (path.includes("%")) path = path.replace(UNRESERVED_ESCAPE, (escape) => String.fromCharCode(parseInt(escape.slice(1), 16)));
  if (!path.startsWith("/")) return undefined;
  if (path.includes("/.")) {
    const segments: string[] = [];
    for (const segment of path.slice(1).split("/")) {
      if (segment === ".") continue;
      if (segment === "..") {
        if (segments.pop() === undefined) return undefined;
        continue;
      }
      segments.push(segment);
    }
    path = `/${segments.join("/")}`;
  }
  return `${method.toUpperCase()} ${path.replace(/\/+$/, "").toLowerCase()}`;
}
