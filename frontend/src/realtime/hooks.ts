import { useCallback, useContext, useSyncExternalStore } from 'react';

import type { RealtimeConnection } from './connection';
import type { ConnectionState } from './connectionState';
import { RealtimeContext } from './context';
import { msUntilSecondsChange, secondsUntil } from './indicator';

export function useRealtimeConnection(): RealtimeConnection {
  const connection = useContext(RealtimeContext);
  if (connection === null) {
    throw new Error('useRealtimeConnection must be used inside <RealtimeProvider>');
  }
  return connection;
}

/** The connection state; re-renders on every change. */
export function useConnectionState(): ConnectionState {
  const connection = useRealtimeConnection();
  return useSyncExternalStore(connection.subscribe, connection.getState);
}

const noop = () => undefined;

/**
 * Whole seconds until `deadline` (epoch ms), rounded up, re-rendering exactly
 * when the value changes; 0 once passed; null without a deadline.
 */
export function useSecondsUntil(deadline: number | null): number | null {
  const subscribe = useCallback(
    (onChange: () => void) => {
      if (deadline === null) {
        return noop;
      }
      let timer: ReturnType<typeof setTimeout> | undefined;
      const schedule = () => {
        const wait = msUntilSecondsChange(deadline, Date.now());
        if (wait === null) {
          return;
        }
        timer = setTimeout(() => {
          onChange();
          schedule();
        }, wait);
      };
      schedule();
      return () => {
        clearTimeout(timer);
      };
    },
    [deadline],
  );
  const getSnapshot = () => (deadline === null ? null : secondsUntil(deadline, Date.now()));
  return useSyncExternalStore(subscribe, getSnapshot, getSnapshot);
}
