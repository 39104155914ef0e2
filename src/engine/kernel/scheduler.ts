/**
 * The one queue of everything that happens later, ordered by (due time, sequence number).
 * A binary min-heap kept as a plain array so it lives in the snapshot as data.
 */

export interface ScheduledEntry {
  due: number;
  seq: number;
  /** `<service>/<timer>` for service timers, `external/<kind>` for scenario timers. */
  kind: string;
  payload: unknown;
}

const before = (a: ScheduledEntry, b: ScheduledEntry): boolean =>
  a.due < b.due || (a.due === b.due && a.seq < b.seq);

/** Pushes an entry, keeping heap order. */
export function heapPush(heap: ScheduledEntry[], entry: ScheduledEntry): void {
  heap.push(entry);
  let i = heap.length - 1;
  while (i > 0) {
    const parent = (i - 1) >> 1;
    if (!before(heap[i]!, heap[parent]!)) break;
    [heap[i], heap[parent]] = [heap[parent]!, heap[i]!];
    i = parent;
  }
}

/** Removes and returns the earliest entry. */
export function heapPop(heap: ScheduledEntry[]): ScheduledEntry | undefined {
  const top = heap[0];
  const last = heap.pop();
  if (heap.length > 0 && last) {
    heap[0] = last;
    let i = 0;
    for (;;) {
      const l = 2 * i + 1, r = l + 1;
      let m = i;
      if (l < heap.length && before(heap[l]!, heap[m]!)) m = l;
      if (r < heap.length && before(heap[r]!, heap[m]!)) m = r;
      if (m === i) break;
      [heap[i], heap[m]] = [heap[m]!, heap[i]!];
      i = m;
    }
  }
  return top;
}

/** Removes every entry matching the predicate (rare: cancelling a timer), re-heapifying. */
export function heapRemoveWhere(heap: ScheduledEntry[], pred: (e: ScheduledEntry) => boolean): number {
  const kept = heap.filter((e) => !pred(e));
  const removed = heap.length - kept.length;
  if (removed === 0) return 0;
  heap.length = 0;
  for (const e of kept) heapPush(heap, e);
  return removed;
}
