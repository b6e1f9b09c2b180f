// The ways a user could fetch one account (GET /Accounts/{id}) that benchmark 1 compares. Every
// variant sets the token, checks the status and parses the JSON body, so they do the same work.
import createClient from "openapi-fetch";
import { fetch as undiciFetch, Agent } from "undici";
import type { MinimalPaths } from "./minimal-paths.js";
import { BENCH_TOKEN } from "./token.js";

export interface AccountGetter {
  get(id: string): Promise<unknown>;
  close(): Promise<void>;
}

export function bareFetch(root: string): AccountGetter {
  const base = `${root}/PasswordVault/API/Accounts/`;
  return {
    async get(id) {
      const response = await fetch(base + encodeURIComponent(id), { headers: { Authorization: BENCH_TOKEN } });
      if (!response.ok) throw new Error(`GET account: HTTP ${response.status}`);
      return response.json();
    },
    close: () => Promise.resolve(),
  };
}

/** undici 7's fetch, the library under the client's transport: separates library cost from client cost. */
export function bareUndiciFetch(root: string): AccountGetter {
  const base = `${root}/PasswordVault/API/Accounts/`;
  const dispatcher = new Agent();
  return {
    async get(id) {
      const response = await undiciFetch(base + encodeURIComponent(id), { headers: { Authorization: BENCH_TOKEN }, dispatcher });
      if (!response.ok) throw new Error(`GET account: HTTP ${response.status}`);
      return response.json();
    },
    close: () => dispatcher.close(),
  };
}

export function plainOpenapiFetch(root: string): AccountGetter {
  const client = createClient<MinimalPaths>({ baseUrl: `${root}/PasswordVault/API`, headers: { Authorization: BENCH_TOKEN } });
  return {
    async get(id) {
      const { data, error, response } = await client.GET("/Accounts/{id}", { params: { path: { id } } });
      if (error !== undefined || !response.ok) throw new Error(`GET account: HTTP ${response.status}`);
      return data;
    },
    close: () => Promise.resolve(),
  };
}
