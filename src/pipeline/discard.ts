// Drops a response the caller will not see (a 401 before the replay, a 429 before the retry).

const SMALL_BODY = 64 * 1024;

/**
 * A small body is read to its end rather than cancelled: cancelling closes the connection, and the
 * retry or replay that follows would pay for a new one.
 */
export function discard(response: Response): void {
  if (response.body === null || response.bodyUsed) return;
  const length = Number(response.headers.get("content-length") ?? Number.NaN);
  if (length <= SMALL_BODY) void response.arrayBuffer().catch(() => undefined);
  else void response.body.cancel().catch(() => undefined);
}
