// The path a document says its operations live under: a Swagger 2.0 `basePath`, or the path of an
// OpenAPI 3 document's first server (absolute, protocol-relative or relative; server variables
// count as one segment). Used by the generator's rebase step and by the mock, which must agree.

export function trimTrailingSlashes(path: string): string {
  return path.replace(/\/+$/, "");
}

export function declaredBasePath(doc: Readonly<Record<string, unknown>>): string {
  const basePath = doc["basePath"];
  if (doc["swagger"]) return trimTrailingSlashes(typeof basePath === "string" ? basePath : "");
  const servers = doc["servers"];
  const first: unknown = Array.isArray(servers) ? servers[0] : undefined;
  const server = first && typeof first === "object" ? (first as { url?: unknown }).url : undefined;
  if (typeof server !== "string" || !server) return "";
  try {
    // Resolved against a dummy origin, so every form of server URL gives its path.
    return trimTrailingSlashes(decodeURI(new URL(server.replace(/\{[^}]*\}/g, "x"), "http://base.invalid").pathname));
  } catch {
    return "";
  }
}
