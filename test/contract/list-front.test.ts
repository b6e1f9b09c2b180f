// The mock's front ends Prism's never-ending lists after their first page; everything else passes as it is.
import { createServer, type Server } from "node:http";
import type { AddressInfo } from "node:net";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { startFront, type Front } from "../../scripts/mock/front.js";
import { endList, endLists } from "../../scripts/mock/list-front.js";

describe("endList", () => {
  it("drops nextLink and sets every total to the items on the page", () => {
    expect(endList({ value: [{ id: 1 }], count: -2147483648, nextLink: "Accounts?offset=1" })).toEqual({ value: [{ id: 1 }], count: 1 });
    expect(endList({ LiveSessions: [1, 2], Total: 900 })).toEqual({ LiveSessions: [1, 2], Total: 2 });
    expect(endList({ items: [], total: 5 })).toEqual({ items: [], total: 0 });
  });

  it("leaves anything that is no list envelope alone", () => {
    for (const body of [[1, 2], "text", 42, null, { id: "1", name: "a" }, { value: "x", count: 3 }, { value: [1], other: true }]) {
      expect(endList(body)).toBeUndefined();
    }
  });
});

describe("the front with the endLists rule", () => {
  let upstream: Server;
  let front: Front;
  beforeAll(async () => {
    upstream = createServer((req, res) => {
      if (req.url?.startsWith("/list")) {
        res.writeHead(200, { "content-type": "application/json", "x-kept": "yes" });
        res.end(JSON.stringify({ value: [{ id: "a" }], count: -2147483648, nextLink: "list?offset=1" }));
      } else {
        res.writeHead(404, { "content-type": "application/json", "sl-violations": "[]" });
        res.end(JSON.stringify({ value: [1], nextLink: "kept-on-errors" }));
      }
    });
    await new Promise<void>((resolve) => upstream.listen(0, "127.0.0.1", resolve));
    front = await startFront({ upstreamUrl: `http://127.0.0.1:${(upstream.address() as AddressInfo).port}`, rules: [endLists] });
  });
  afterAll(async () => {
    await front.close();
    await new Promise((resolve) => upstream.close(resolve));
  });

  it("ends a successful list answer and keeps its headers", async () => {
    const res = await fetch(`${front.url}/list?offset=0`);
    expect(res.headers.get("x-kept")).toBe("yes");
    expect(await res.json()).toEqual({ value: [{ id: "a" }], count: 1 });
  });

  it("passes other answers through unchanged", async () => {
    const res = await fetch(`${front.url}/other`);
    expect(res.status).toBe(404);
    expect(res.headers.get("sl-violations")).toBe("[]");
    expect(await res.json()).toEqual({ value: [1], nextLink: "kept-on-errors" });
  });
});
