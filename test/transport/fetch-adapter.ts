// A fetch for openapi-fetch (`createClient({ fetch })`) over the transport's one entry point: the
// Request openapi-fetch built becomes an HttpRequest (its body read into bytes, so it could be sent
// again) and goes out under the Request's own signal. Test support only: the client itself builds
// HttpRequests directly and never goes through a Request object.
import type { Transport } from "../../src/transport/transport.js";

export type FetchOverTransport = (request: Request) => Promise<Response>;

export function fetchOverTransport(transport: Pick<Transport, "send">): FetchOverTransport {
  return async (request) =>
    transport.send(
      {
        method: request.method,
        url: request.url,
        headers: request.headers,
        body: request.body ? new Uint8Array(await request.arrayBuffer()) : null,
      },
      { signal: request.signal },
    );
}
