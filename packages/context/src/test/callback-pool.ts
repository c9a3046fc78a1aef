/**
 * A connection pool of the kind that loses context: a callback that finds no free slot is queued and
 * later run from `release()`, on the call stack of whoever released, as pools built on callbacks do.
 */
export class CallbackPool {
  #free: number;
  readonly #waiting: (() => void)[] = [];

  constructor(size: number) {
    this.#free = size;
  }

  acquire(callback: () => void): void {
    if (this.#free > 0) {
      this.#free--;
      callback();
    } else {
      this.#waiting.push(callback);
    }
  }

  release(): void {
    const next = this.#waiting.shift();
    if (next) next();
    else this.#free++;
  }
}
