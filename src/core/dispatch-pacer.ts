// Paces how many requests one client puts on the wire per event-loop turn. A thousand calls started
// together, or a thousand requests released at once when a shared logon ends, would otherwise all
// be dispatched (and their connections opened, and their answers handled) in one go, blocking the
// event loop for a long time. Up to `perTurn` requests go at once; the rest wait for later turns in
// arrival order, with I/O running in between. A lone request never waits.

export class DispatchPacer {
  readonly #perTurn: number;
  readonly #queue: Array<() => void> = [];
  #sentThisTurn = 0;
  #scheduled = false;

  constructor(perTurn = 8) {
    this.#perTurn = perTurn;
  }

  /** undefined: send now. A promise: send when it resolves, on a later turn. */
  admit(): Promise<void> | undefined {
    if (this.#queue.length === 0 && this.#sentThisTurn < this.#perTurn) {
      this.#sentThisTurn++;
      this.#schedule();
      return undefined;
    }
    return new Promise((resolve) => {
      this.#queue.push(resolve);
      this.#schedule();
    });
  }

  /**
   * Waits for `shared` (a logon that many calls wait for), then for an admission like admit().
   * When a logon ends, the calls waiting for it resume a batch per turn instead of all in one
   * turn; a failure reaches every waiter at once, since no request follows it.
   */
  admitAfter<T>(shared: Promise<T>): Promise<T> {
    return shared.then(
      (value) =>
        new Promise<T>((resolve) => {
          this.#queue.push(() => resolve(value));
          this.#schedule();
        }),
    );
  }

  #schedule(): void {
    if (this.#scheduled) return;
    this.#scheduled = true;
    setImmediate(this.#nextTurn);
  }

  readonly #nextTurn = (): void => {
    this.#scheduled = false;
    const batch = this.#queue.length <= this.#perTurn ? this.#queue.splice(0) : this.#queue.splice(0, this.#perTurn);
    this.#sentThisTurn = batch.length;
    for (const resolve of batch) resolve();
    // The released batch counts against the coming turn; reset it there.
    if (this.#sentThisTurn > 0 || this.#queue.length > 0) this.#schedule();
  };
}
