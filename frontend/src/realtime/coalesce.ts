/**
 * Keyed throttling: "refresh X" requests arrive in bursts (a sync announces
 * dozens of events at once), each key runs at most once per interval.
 *
 * Per key: the first request runs at once and opens a window of `intervalMs`;
 * requests inside the window are merged into one run at its end, which opens
 * the next window. A key whose previous run is still busy (its refetch is in
 * flight) waits for the next window instead of cancelling it, so a slow
 * refetch is never starved by a steady stream of events.
 */

export interface Timers {
  readonly setTimeout: (callback: () => void, ms: number) => unknown;
  readonly clearTimeout: (handle: unknown) => void;
}

export const realTimers: Timers = {
  setTimeout: (callback, ms) => globalThis.setTimeout(callback, ms),
  clearTimeout: (handle) => {
    globalThis.clearTimeout(handle as ReturnType<typeof setTimeout>);
  },
};

export interface CoalescerOptions<V> {
  readonly intervalMs: number;
  readonly run: (key: string, value: V) => void;
  /** Whether a key must wait (e.g. its refetch is in flight); asked before each run. */
  readonly isBusy?: (key: string, value: V) => boolean;
  /** Merges a new request into a pending one; by default the newest wins. */
  readonly merge?: (pending: V, next: V) => V;
  readonly timers?: Timers;
}

export interface Coalescer<V> {
  request(key: string, value: V): void;
  /** Keys with a request waiting for its window. */
  pendingKeys(): string[];
  /** Drops every pending request and timer. */
  dispose(): void;
}

interface Slot<V> {
  timer: unknown;
  pending: { value: V } | null;
}

export function createCoalescer<V>(options: CoalescerOptions<V>): Coalescer<V> {
  const timers = options.timers ?? realTimers;
  const merge = options.merge ?? ((_pending: V, next: V) => next);
  const slots = new Map<string, Slot<V>>();

  function busy(key: string, value: V): boolean {
    return options.isBusy?.(key, value) === true;
  }

  function run(key: string, value: V): void {
    try {
      options.run(key, value);
    } catch (error) {
      console.error('HubDeck: a coalesced refresh failed', error);
    }
  }

  function openWindow(key: string, slot: Slot<V>): void {
    slot.timer = timers.setTimeout(() => {
      const { pending } = slot;
      if (pending === null) {
        slots.delete(key);
        return;
      }
      if (!busy(key, pending.value)) {
        slot.pending = null;
        run(key, pending.value);
      }
      openWindow(key, slot);
    }, options.intervalMs);
  }

  return {
    request(key, value) {
      const slot = slots.get(key);
      if (slot !== undefined) {
        slot.pending = { value: slot.pending === null ? value : merge(slot.pending.value, value) };
        return;
      }
      const created: Slot<V> = { timer: null, pending: null };
      slots.set(key, created);
      if (busy(key, value)) {
        created.pending = { value };
      } else {
        run(key, value);
      }
      openWindow(key, created);
    },
    pendingKeys() {
      return [...slots].filter(([, slot]) => slot.pending !== null).map(([key]) => key);
    },
    dispose() {
      for (const slot of slots.values()) {
        timers.clearTimeout(slot.timer);
      }
      slots.clear();
    },
  };
}
