import { describe, expect, it } from "vitest";
import { DispatchPacer } from "../../src/core/dispatch-pacer.js";

const nextTurn = () => new Promise<void>((r) => setImmediate(r));

describe("DispatchPacer", () => {
  it("lets a lone request go at once", () => {
    const pacer = new DispatchPacer(2);
    expect(pacer.admit()).toBeUndefined();
  });

  it("lets perTurn requests go per event-loop turn, the rest later in arrival order", async () => {
    const pacer = new DispatchPacer(3);
    const order: number[] = [];
    const waits: Array<Promise<void> | undefined> = [];
    for (let i = 0; i < 8; i++) waits.push(pacer.admit());
    expect(waits.slice(0, 3).every((w) => w === undefined)).toBe(true);
    expect(waits.slice(3).every((w) => w instanceof Promise)).toBe(true);
    waits.forEach((w, i) => void w?.then(() => order.push(i)));
    await nextTurn();
    await Promise.resolve();
    expect(order).toEqual([3, 4, 5]);
    await nextTurn();
    await nextTurn();
    expect(order).toEqual([3, 4, 5, 6, 7]);
  });

  it("resets its count on the next turn", async () => {
    const pacer = new DispatchPacer(1);
    expect(pacer.admit()).toBeUndefined();
    expect(pacer.admit()).toBeInstanceOf(Promise);
    await nextTurn();
    await nextTurn();
    expect(pacer.admit()).toBeUndefined();
  });

  it("resumes the callers of a finished logon a batch per turn, with its value", async () => {
    const pacer = new DispatchPacer(4);
    let finish!: (token: string) => void;
    const logon = new Promise<string>((r) => (finish = r));
    const resumed: string[] = [];
    for (let i = 0; i < 10; i++) void pacer.admitAfter(logon).then((token) => resumed.push(`${i}:${token}`));
    finish("tok");
    await Promise.resolve();
    await Promise.resolve();
    expect(resumed).toEqual([]);
    await nextTurn();
    expect(resumed).toEqual(["0:tok", "1:tok", "2:tok", "3:tok"]);
    await nextTurn();
    await nextTurn();
    await nextTurn();
    expect(resumed.map((r) => Number(r.split(":")[0]))).toEqual([0, 1, 2, 3, 4, 5, 6, 7, 8, 9]);
  });

  it("passes a failed logon to every waiter at once", async () => {
    const pacer = new DispatchPacer(2);
    const logon = Promise.reject(new Error("logon refused"));
    const reasons: string[] = [];
    for (let i = 0; i < 5; i++) pacer.admitAfter(logon).catch((e: Error) => reasons.push(e.message));
    // Within the same turn: no waiter queues behind the pacer for an error.
    for (let i = 0; i < 3; i++) await Promise.resolve();
    expect(reasons).toEqual(Array(5).fill("logon refused"));
  });
});
