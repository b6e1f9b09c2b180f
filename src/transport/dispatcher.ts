// Builds the undici dispatcher owned by one transport: its own keep-alive pool, TLS settings
// and proxy choice. Nothing here touches undici's global dispatcher, so two clients in one
// process never share connections, trust stores or proxies.
import { Agent, EnvHttpProxyAgent, ProxyAgent, type Dispatcher } from "undici";
import type { ConnectionOptions } from "node:tls";

/** The client's `tls` option, as the dispatcher applies it to connections to the CyberArk server. */
export interface DispatcherTlsOptions {
  /** CA certificate(s), PEM. Like Node's tls option, it replaces the system trust store for this client. */
  ca?: string | Buffer | Array<string | Buffer>;
  /** Client certificate and key (PKI / PKIPN logon), PEM; or a PKCS#12 `pfx`. */
  cert?: string | Buffer;
  key?: string | Buffer;
  passphrase?: string;
  pfx?: Buffer;
  /** Skip server certificate checks (throwaway labs only; warns once). */
  insecureSkipVerify?: boolean;
}

export interface DispatcherOptions extends DispatcherTlsOptions {
  proxy?: string | false;
  connectTimeoutMs: number;
}

/** TLS options for connections to the CyberArk server (not to an HTTPS proxy). */
function serverTls(options: DispatcherOptions): ConnectionOptions & { timeout: number } {
  const tls: ConnectionOptions & { timeout: number } = { timeout: options.connectTimeoutMs };
  // Note: like Node's tls, `ca` replaces the default trust store rather than adding to it.
  if (options.ca !== undefined) tls.ca = options.ca;
  if (options.cert !== undefined) tls.cert = options.cert;
  if (options.key !== undefined) tls.key = options.key;
  if (options.passphrase !== undefined) tls.passphrase = options.passphrase;
  if (options.pfx !== undefined) tls.pfx = options.pfx;
  if (options.insecureSkipVerify === true) tls.rejectUnauthorized = false;
  return tls;
}

/** Validates a proxy URL without ever echoing its credentials in an error. */
export function parseProxyUrl(proxy: string): URL {
  let url: URL;
  try {
    url = new URL(proxy);
  } catch {
    throw new TypeError("The proxy option is not a valid URL (expected e.g. http://proxy.example:3128)");
  }
  // "proxy.corp:3128" parses as a URL whose scheme is "proxy.corp:".
  if (!proxy.includes("://")) {
    throw new TypeError("The proxy URL needs a scheme (expected e.g. http://proxy.example:3128)");
  }
  if (!["http:", "https:", "socks:", "socks5:"].includes(url.protocol)) {
    throw new TypeError(`The proxy URL scheme ${url.protocol} is not supported (use http:, https: or socks5:)`);
  }
  return url;
}

export function createDispatcher(options: DispatcherOptions): Dispatcher {
  const tls = serverTls(options);
  // Connect timeout for the proxy hop; the proxy uses the system trust store.
  const proxyTls = { timeout: options.connectTimeoutMs };

  if (options.proxy === false) {
    return new Agent({ connect: tls });
  }
  if (typeof options.proxy === "string") {
    const uri = parseProxyUrl(options.proxy);
    return new ProxyAgent({ uri: uri.href, requestTls: tls, proxyTls });
  }
  // Reads HTTPS_PROXY / HTTP_PROXY / NO_PROXY (either case). Direct connections use `connect`,
  // proxied ones `requestTls`: both carry the same server TLS settings.
  return new EnvHttpProxyAgent({ connect: tls, requestTls: tls, proxyTls });
}
