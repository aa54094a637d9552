import { useSyncExternalStore } from 'react';

/** How often "5 min ago" texts move on. */
export const NOW_TICK_MS = 30_000;

let current = Date.now();
const listeners = new Set<() => void>();
let timer: ReturnType<typeof setInterval> | undefined;

function tick() {
  current = Date.now();
  for (const listener of listeners) {
    listener();
  }
}

function subscribe(listener: () => void): () => void {
  listeners.add(listener);
  if (timer === undefined) {
    current = Date.now();
    timer = setInterval(tick, NOW_TICK_MS);
  }
  return () => {
    listeners.delete(listener);
    if (listeners.size === 0 && timer !== undefined) {
      clearInterval(timer);
      timer = undefined;
    }
  };
}

const snapshot = () => current;

/** The current time (epoch ms), re-rendering every {@link NOW_TICK_MS}: render stays pure. */
export function useNow(): number {
  return useSyncExternalStore(subscribe, snapshot, snapshot);
}
