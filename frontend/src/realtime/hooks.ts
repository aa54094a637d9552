import { useCallback, useContext, useEffect, useLayoutEffect, useRef, useState, useSyncExternalStore } from 'react';

import type { ChannelHandlers, ChannelState, EventMeta } from './channels';
import type { RealtimeConnection } from './connection';
import type { ConnectionState } from './connectionState';
import { RealtimeContext } from './context';
import { msUntilSecondsChange, secondsUntil } from './indicator';
import { bannerDeadline, offlineBanner, type OfflineBanner } from './offline';
import { PresenceTracker, type PresentUser } from './presence';
import { sessionEnded, shouldReconnect } from './session';

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

/** Whether `deadline` (epoch ms) has passed, re-rendering when it does; false without one. */
export function useDeadlinePassed(deadline: number | null): boolean {
  const subscribe = useCallback(
    (onChange: () => void) => {
      if (deadline === null) {
        return noop;
      }
      const wait = deadline - Date.now();
      if (wait < 0) {
        return noop;
      }
      const timer = setTimeout(onChange, wait + 1);
      return () => {
        clearTimeout(timer);
      };
    },
    [deadline],
  );
  const getSnapshot = () => deadline !== null && Date.now() > deadline;
  return useSyncExternalStore(subscribe, getSnapshot, getSnapshot);
}

/** The last measured round trip of the connection in ms, null while unknown. */
export function useLatency(): number | null {
  const { latency } = useRealtimeConnection();
  return useSyncExternalStore(latency.subscribe, latency.get, latency.get);
}

function subscribeOnline(onChange: () => void): () => void {
  window.addEventListener('online', onChange);
  window.addEventListener('offline', onChange);
  return () => {
    window.removeEventListener('online', onChange);
    window.removeEventListener('offline', onChange);
  };
}

/** `navigator.onLine`, following the browser's online/offline events. */
export function useBrowserOnline(): boolean {
  return useSyncExternalStore(
    subscribeOnline,
    () => navigator.onLine,
    () => true,
  );
}

/** The "updates are paused" banner to show, or null (see ./offline.ts). */
export function useOfflineBanner(): OfflineBanner | null {
  const connection = useRealtimeConnection();
  const state = useConnectionState();
  const online = useBrowserOnline();
  // Changes only with the state, which re-renders this.
  const downSince = connection.getDownSince();
  const downLongEnough = useDeadlinePassed(bannerDeadline(downSince));
  return offlineBanner(state, downLongEnough, online);
}

/**
 * Keeps the connection's user in step with the page's (`/api/me`): when they
 * differ, reconnects, once per user so a server that disagrees causes no loop.
 * When the server ends the connection for its session (3500, 3503),
 * `onSessionEnded` is called, e.g. to ask `/api/me` again: once that says
 * signed out, the connection is made again, anonymous.
 * @param expectedUser the signed-in user's id, null when signed out, undefined while unknown
 */
export function useRealtimeSession(expectedUser: number | null | undefined, onSessionEnded?: () => void): void {
  const connection = useRealtimeConnection();
  const state = useConnectionState();
  const reconnectedFor = useRef<string | null>(null);
  const ended = sessionEnded(state);
  const latestOnEnded = useRef(onSessionEnded);
  useLayoutEffect(() => {
    latestOnEnded.current = onSessionEnded;
  });
  useEffect(() => {
    if (ended) {
      latestOnEnded.current?.();
    }
  }, [ended]);
  useEffect(() => {
    if (!shouldReconnect(state, connection.getUser(), expectedUser)) {
      if (state.phase === 'connected') {
        reconnectedFor.current = null;
      }
      return;
    }
    const key = String(expectedUser);
    if (reconnectedFor.current === key) {
      return;
    }
    reconnectedFor.current = key;
    connection.reconnect();
  }, [connection, state, expectedUser]);
}

const IDLE: ChannelState = { status: 'idle' };

/** The state of a channel (idle unless some component acquired it); re-renders on changes. */
export function useChannelState(channel: string | null): ChannelState {
  const { channels } = useRealtimeConnection();
  const getSnapshot = () => (channel === null ? IDLE : channels.getState(channel));
  return useSyncExternalStore(channels.subscribe, getSnapshot, getSnapshot);
}

/**
 * Subscribes to `channel` while the component is mounted (null: none), sharing
 * the subscription with other components. The handlers may change on every
 * render: the latest ones are called (`onPublication` only if the component had
 * one when it subscribed). Returns the channel's state.
 */
export function useChannel(
  channel: string | null,
  handlers: ChannelHandlers,
  options: { readonly joinLeave?: boolean } = {},
): ChannelState {
  const { channels } = useRealtimeConnection();
  const latest = useRef(handlers);
  useLayoutEffect(() => {
    latest.current = handlers;
  });
  const joinLeave = options.joinLeave === true;
  // Raw publications are only handed to components that ask for them (see ChannelHandlers).
  const wantsPublications = handlers.onPublication !== undefined;
  useEffect(() => {
    if (channel === null) {
      return;
    }
    return channels.acquire(
      channel,
      {
        onEvent: (event, meta) => latest.current.onEvent?.(event, meta),
        ...(wantsPublications
          ? { onPublication: (data: unknown, meta: EventMeta) => latest.current.onPublication?.(data, meta) }
          : {}),
        onResync: (reason, at) => latest.current.onResync?.(reason, at),
        onSubscribed: () => latest.current.onSubscribed?.(),
        onJoin: (client) => latest.current.onJoin?.(client),
        onLeave: (client) => latest.current.onLeave?.(client),
        onRefused: (state) => latest.current.onRefused?.(state),
      },
      { joinLeave },
    );
  }, [channels, channel, joinLeave, wantsPublications]);
  return useChannelState(channel);
}

interface PresenceView {
  readonly channel: string | null;
  readonly users: readonly PresentUser[];
}

const NOBODY: readonly PresentUser[] = [];

/**
 * Who is subscribed to `channel` (with join/leave pushes), each user once;
 * anonymous connections are left out. Refreshed from `presence()` on every
 * (re)subscribe, then kept up to date by the pushes.
 */
export function usePresence(channel: string | null): readonly PresentUser[] {
  const { channels } = useRealtimeConnection();
  const [view, setView] = useState<PresenceView>({ channel: null, users: NOBODY });
  useEffect(() => {
    if (channel === null) {
      return;
    }
    const tracker = new PresenceTracker();
    let active = true;
    const publish = () => {
      if (active) {
        setView({ channel, users: tracker.users() });
      }
    };
    const refresh = () => {
      const request = tracker.beginSnapshot();
      channels.presence(channel).then(
        (clients) => {
          if (tracker.snapshot(request, clients)) {
            publish();
          }
        },
        () => {
          // No snapshot (e.g. presence is not available): the pushes still count.
          tracker.snapshotFailed(request);
        },
      );
    };
    const release = channels.acquire(
      channel,
      {
        onSubscribed: refresh,
        onJoin: (client) => {
          tracker.join(client);
          publish();
        },
        onLeave: (client) => {
          tracker.leave(client);
          publish();
        },
        onRefused: () => {
          tracker.clear();
          publish();
        },
      },
      { joinLeave: true },
    );
    if (channels.getState(channel).status === 'subscribed') {
      refresh();
    }
    return () => {
      active = false;
      release();
    };
  }, [channels, channel]);
  return view.channel === channel ? view.users : NOBODY;
}
