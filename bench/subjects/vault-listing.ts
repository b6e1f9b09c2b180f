// Hand-written ways to list every account with bare fetch, as benchmark 2's baselines:
// following nextLink one page at a time (what the other CyberArk clients do), and a hand-rolled
// in-order window of parallel offset requests (what a careful user would write without a client),
// over fetch or over undici's request() (Node's cheapest HTTP path: no WHATWG streams or Response).
import { Agent, request } from "undici";
import { BENCH_TOKEN } from "./token.js";

interface AccountsPage {
  value?: Array<{ name?: string }>;
  count?: number;
  nextLink?: string;
}

export type ItemSink = (item: { name?: string }) => void;

export type PageGetter = (url: string) => Promise<AccountsPage>;

async function getPage(url: string): Promise<AccountsPage> {
  const response = await fetch(url, { headers: { Authorization: BENCH_TOKEN } });
  if (!response.ok) throw new Error(`GET ${new URL(url).pathname}: HTTP ${response.status}`);
  return (await response.json()) as AccountsPage;
}

/** undici's request() API with its own connection pool; `close` ends the pool. */
export function undiciRequestPageGetter(): { getPage: PageGetter; close(): Promise<void> } {
  const dispatcher = new Agent();
  return {
    async getPage(url) {
      const response = await request(url, { headers: { authorization: BENCH_TOKEN }, dispatcher });
      if (response.statusCode !== 200) {
        await response.body.dump();
        throw new Error(`GET ${new URL(url).pathname}: HTTP ${response.statusCode}`);
      }
      return (await response.body.json()) as AccountsPage;
    },
    close: () => dispatcher.close(),
  };
}

/** psPAS-style: the next URL is "<root>/PasswordVault/" + nextLink. */
export async function listFollowingNextLink(root: string, pageSize: number, sink: ItemSink): Promise<void> {
  let url: string | undefined = `${root}/PasswordVault/API/Accounts?limit=${pageSize}`;
  while (url !== undefined) {
    const page = await getPage(url);
    for (const item of page.value ?? []) sink(item);
    url = page.nextLink ? `${root}/PasswordVault/${page.nextLink}` : undefined;
  }
}

/** First page for the total, then up to `concurrency` offset requests in flight, consumed in order. */
export async function listHandParallel(root: string, pageSize: number, concurrency: number, sink: ItemSink, get: PageGetter = getPage): Promise<void> {
  const pageUrl = (offset: number): string => `${root}/PasswordVault/API/Accounts?offset=${offset}&limit=${pageSize}`;
  const first = await get(pageUrl(0));
  for (const item of first.value ?? []) sink(item);
  const total = first.count ?? 0;
  const inFlight: Array<Promise<AccountsPage>> = [];
  let next = pageSize;
  const top = (): void => {
    while (inFlight.length < concurrency && next < total) {
      const p = get(pageUrl(next));
      p.catch(() => {}); // surfaced when awaited in order
      inFlight.push(p);
      next += pageSize;
    }
  };
  top();
  while (inFlight.length > 0) {
    const page = await (inFlight.shift() as Promise<AccountsPage>);
    top();
    for (const item of page.value ?? []) sink(item);
  }
}

/** Reads every page's text first, then times JSON.parse alone: the CPU a client cannot avoid. */
export async function measureParseFloor(root: string, pageSize: number): Promise<number> {
  const texts: string[] = [];
  let offset = 0;
  for (;;) {
    const response = await fetch(`${root}/PasswordVault/API/Accounts?offset=${offset}&limit=${pageSize}`, {
      headers: { Authorization: BENCH_TOKEN },
    });
    const text = await response.text();
    texts.push(text);
    const page = JSON.parse(text) as AccountsPage;
    offset += pageSize;
    if (!page.nextLink || offset >= (page.count ?? 0)) break;
  }
  const start = process.hrtime.bigint();
  let items = 0;
  for (const text of texts) items += ((JSON.parse(text) as AccountsPage).value ?? []).length;
  const ms = Number(process.hrtime.bigint() - start) / 1e6;
  if (items === 0) throw new Error("parse floor: no items");
  return ms;
}
