// Tests talk only to servers they start on 127.0.0.1: no test may make the system resolver look up a
// host name (a lookup of a real tenant's or example's name leaves the machine). Every lookup of a
// name but "localhost" fails the test that made it, with the name in the message.
import dns from "node:dns";
import { isIP } from "node:net";
import { afterEach } from "vitest";

const ALLOWED = new Set(["localhost"]);
const refused: string[] = [];
const original = dns.lookup;

function guardedLookup(this: unknown, hostname: string, ...rest: unknown[]): unknown {
  // An IP literal is answered without the resolver (server.listen passes its address through lookup).
  if (isIP(String(hostname)) === 0 && !ALLOWED.has(String(hostname).toLowerCase())) {
    refused.push(String(hostname));
    const callback = rest[rest.length - 1];
    const error = Object.assign(new Error(`test made a DNS lookup of "${hostname}" (only localhost is allowed)`), { code: "ENOTFOUND" });
    if (typeof callback === "function") process.nextTick(() => (callback as (e: Error) => void)(error));
    return undefined;
  }
  return (original as (...args: unknown[]) => unknown).call(this, hostname, ...rest);
}

dns.lookup = guardedLookup as typeof dns.lookup;

afterEach(() => {
  if (refused.length === 0) return;
  const names = refused.splice(0);
  throw new Error(`this test made the system resolver look up ${names.map((n) => `"${n}"`).join(", ")}; tests may only contact 127.0.0.1 or localhost`);
});
