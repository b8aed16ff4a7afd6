/**
 * A min-queue of keys by time (ms), a binary heap over two parallel arrays: push and pop in
 * O(log n), the earliest in O(1). The fold keeps one per state for its pending evidence and open
 * complaints (state.ts), so releasing what comes due costs the items due, not the items held.
 * Ties pop in no particular order: callers sort what they pop when order matters.
 */
export class TimeQueue<K> {
  private readonly times: number[] = [];
  private readonly keys: K[] = [];

  /** How many keys it holds. */
  get size(): number {
    return this.times.length;
  }

  /** The earliest time held (ms); +Infinity when empty. */
  peekTime(): number {
    return this.times.length === 0 ? Number.POSITIVE_INFINITY : this.times[0];
  }

  /** The key of the earliest time; undefined when empty. */
  peekKey(): K | undefined {
    return this.keys[0];
  }

  /** Adds `key` at time `t` (ms). */
  push(t: number, key: K): void {
    const times = this.times;
    const keys = this.keys;
    let i = times.length;
    times.push(t);
    keys.push(key);
    while (i > 0) {
      const parent = (i - 1) >> 1;
      if (times[parent] <= t) break;
      times[i] = times[parent];
      keys[i] = keys[parent];
      i = parent;
    }
    times[i] = t;
    keys[i] = key;
  }

  /** Removes the earliest and returns its key (undefined when empty). */
  pop(): K | undefined {
    const times = this.times;
    const keys = this.keys;
    const n = times.length;
    if (n === 0) return undefined;
    const top = keys[0];
    const t = times.pop() as number;
    const key = keys.pop() as K;
    const size = n - 1;
    if (size > 0) {
      let i = 0;
      for (;;) {
        let child = 2 * i + 1;
        if (child >= size) break;
        if (child + 1 < size && times[child + 1] < times[child]) child++;
        if (times[child] >= t) break;
        times[i] = times[child];
        keys[i] = keys[child];
        i = child;
      }
      times[i] = t;
      keys[i] = key;
    }
    return top;
  }
}
