// Pairs the operations of two documents that are one route for the server (same routeKey): the same spelling
// first, then the remaining spellings in path order; an operation left without a partner was added or removed.
import type { OperationRef } from "./operations-walk.js";
import { routeKey } from "./route-key.js";

export type OperationPair =
  | { before: OperationRef; after: OperationRef }
  | { before: OperationRef; after?: undefined }
  | { before?: undefined; after: OperationRef };

export function pairOperations(before: readonly OperationRef[], after: readonly OperationRef[]): OperationPair[] {
  const groups = new Map<string, { before: OperationRef[]; after: OperationRef[] }>();
  const groupOf = (ref: OperationRef) => {
    const key = routeKey(ref.method, ref.path);
    const group = groups.get(key) ?? { before: [], after: [] };
    groups.set(key, group);
    return group;
  };
  for (const ref of before) groupOf(ref).before.push(ref);
  for (const ref of after) groupOf(ref).after.push(ref);
  return [...groups.values()].flatMap((group) => pairGroup(group.before, group.after));
}

/** One routeKey's operations; a document may spell one route twice (`/Accounts` and `/accounts`). */
function pairGroup(before: readonly OperationRef[], after: readonly OperationRef[]): OperationPair[] {
  const pairs: OperationPair[] = [];
  const unmatched: OperationRef[] = [];
  const left = [...after];
  for (const b of before) {
    const i = left.findIndex((a) => a.path === b.path);
    if (i === -1) unmatched.push(b);
    else pairs.push({ before: b, after: left.splice(i, 1)[0]! });
  }
  unmatched.forEach((b, i) => {
    const a = left[i];
    pairs.push(a ? { before: b, after: a } : { before: b });
  });
  for (const a of left.slice(unmatched.length)) pairs.push({ after: a });
  return pairs;
}
