// The one reading of a Privilege Cloud tenant's subdomain out of what people paste: the subdomain itself
// ("mycompany"), the API URL ("https://mycompany.privilegecloud.cyberark.cloud/PasswordVault/API/"), the
// portal URL ("https://mycompany.cyberark.cloud/privilegecloud") or another address on a CyberArk host.
// It says which of these the input is; each caller (the deployment, platform discovery) decides which
// forms it takes and words its own errors.

/** A subdomain: one DNS label, as CyberArk tenants use them. */
const LABEL = /^[a-z0-9][a-z0-9-]*$/i;
/** "<subdomain>.privilegecloud.cyberark.cloud": the API host. */
const API_HOST = /^([a-z0-9][a-z0-9-]*)\.privilegecloud\.cyberark\.(?:cloud|com)$/i;
/** "<subdomain>.cyberark.cloud": the portal (web UI) host. */
const PORTAL_HOST = /^([a-z0-9][a-z0-9-]*)\.cyberark\.cloud$/i;
const CYBERARK_DOMAIN = /\.cyberark\.(?:cloud|com)$/i;

/** Which CyberArk host a host name is, and the subdomain (its first label, lower-case). */
export interface TenantHost {
  /** "api": <subdomain>.privilegecloud.cyberark.cloud; "portal": <subdomain>.cyberark.cloud; "cyberark": another host under cyberark.cloud or .com. */
  kind: "api" | "portal" | "cyberark";
  subdomain: string;
}

/** What a pasted subdomain or tenant URL is. */
export type SubdomainInput =
  /** A bare subdomain ("mycompany", any case). */
  | { form: "subdomain"; subdomain: string }
  /** A URL on a CyberArk host. */
  | { form: TenantHost["kind"]; subdomain: string; url: URL }
  /** A URL on a host outside cyberark.cloud / cyberark.com, or whose first label is not a subdomain. */
  | { form: "foreign"; url: URL }
  /** Neither a subdomain nor a URL. */
  | { form: "invalid" };

/** The tenant a host name belongs to, or undefined when it is not a CyberArk tenant host. */
export function tenantHost(hostname: string): TenantHost | undefined {
  const api = API_HOST.exec(hostname);
  if (api) return { kind: "api", subdomain: api[1]!.toLowerCase() };
  const portal = PORTAL_HOST.exec(hostname);
  if (portal) return { kind: "portal", subdomain: portal[1]!.toLowerCase() };
  const first = hostname.split(".")[0] ?? "";
  if (LABEL.test(first) && CYBERARK_DOMAIN.test(hostname)) return { kind: "cyberark", subdomain: first.toLowerCase() };
  return undefined;
}

/**
 * Reads a subdomain, or a URL (https:// assumed when it has no scheme) whose host names one. Surrounding
 * white space is ignored; the subdomain is lower-case. Never throws.
 */
export function parseSubdomain(input: string): SubdomainInput {
  const text = input.trim();
  if (LABEL.test(text)) return { form: "subdomain", subdomain: text.toLowerCase() };
  let url: URL;
  try {
    url = new URL(/^[a-z][a-z0-9+.-]*:\/\//i.test(text) ? text : `https://${text}`);
  } catch {
    return { form: "invalid" };
  }
  const host = tenantHost(url.hostname);
  return host ? { form: host.kind, subdomain: host.subdomain, url } : { form: "foreign", url };
}

/** "https://<subdomain>.privilegecloud.cyberark.cloud". */
export function privilegeCloudApiOrigin(subdomain: string): string {
  return `https://${subdomain}.privilegecloud.cyberark.cloud`;
}
