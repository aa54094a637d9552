/**
 * Whether this page's session was ended from another device: then the page shows the
 * "signed out from another device" screen instead of its content. A tiny external store.
 */
import { useSyncExternalStore } from 'react';

let revoked = false;
const listeners = new Set<() => void>();

export function markRevoked(): void {
  if (!revoked) {
    revoked = true;
    listeners.forEach((listener) => {
      listener();
    });
  }
}

export function isRevoked(): boolean {
  return revoked;
}

function subscribe(listener: () => void): () => void {
  listeners.add(listener);
  return () => listeners.delete(listener);
}

export function useSessionRevoked(): boolean {
  return useSyncExternalStore(subscribe, isRevoked, isRevoked);
}
