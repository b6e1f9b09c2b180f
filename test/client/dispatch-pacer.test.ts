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
});
