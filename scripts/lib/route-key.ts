// The key that matches one operation across spellings of its route: what CyberArk's servers treat as the same
// route is the same key. Routes are matched case-insensitively (IIS), path-parameter names are ignored and a
// trailing slash does not count.

/** "GET /safes/{}/members" for GET /Safes/{safeUrlId}/Members/ (method upper case, route lower case). */
export function routeKey(method: string, path: string): string {
  return `${method.toUpperCase()} ${normaliseRoute(path)}`;
}

export function normaliseRoute(path: string): string {
  const route = path.toLowerCase().replace(/\{[^}/]*\}/g, "{}").replace(/\/+$/, "");
  return route === "" ? "/" : route;
}
