/**
 * The one place that owns a Centrifuge client. The app creates a single
 * connection per tab (see `realtime.ts`); tests create their own with a fake
 * WebSocket.
 */
import type { Centrifuge } from 'centrifuge';

import {
  initialConnectionState,
  reduceConnection,
  type ConnectionEvent,
  type ConnectionState,
} from './connectionState';
import { ObservableCentrifuge } from './observableCentrifuge';

/** Backoff bounds of the SDK's reconnect attempts (exponential with jitter in between). */
export const MIN_RECONNECT_DELAY_MS = 500;
export const MAX_RECONNECT_DELAY_MS = 20_000;

export interface RealtimeConnectionOptions {
  /** `ws(s)://…/connection/websocket` */
  readonly endpoint: string;
  /** A WebSocket constructor; defaults to the browser's global one. */
  readonly websocket?: WebSocketConstructor;
  /** Clock in epoch milliseconds; injectable for tests. */
  readonly now?: () => number;
}

/** What the SDK does with the constructor: `new WebSocket(url)` (JSON protocol). */
export type WebSocketConstructor = new (url: string, protocols?: string | string[]) => WebSocket;

/**
 * Functions, not methods: they are closures, safe to pass around unbound
 * (e.g. to useSyncExternalStore).
 */
export interface RealtimeConnection {
  /** The SDK client, for features that subscribe to channels. */
  readonly client: Centrifuge;
  readonly getState: () => ConnectionState;
  /** Registers a listener called after every state change; returns its removal. */
  readonly subscribe: (listener: () => void) => () => void;
  readonly connect: () => void;
  readonly disconnect: () => void;
}

export function createRealtimeConnection(options: RealtimeConnectionOptions): RealtimeConnection {
  const now = options.now ?? Date.now;
  const client = new ObservableCentrifuge(options.endpoint, {
    minReconnectDelay: MIN_RECONNECT_DELAY_MS,
    maxReconnectDelay: MAX_RECONNECT_DELAY_MS,
    ...(options.websocket === undefined ? {} : { websocket: options.websocket }),
  });

  let state = initialConnectionState;
  const listeners = new Set<() => void>();

  function dispatch(event: ConnectionEvent): void {
    const next = reduceConnection(state, event);
    if (next === state) {
      return;
    }
    state = next;
    for (const listener of [...listeners]) {
      listener();
    }
  }

  client.on('connecting', (ctx) => {
    dispatch({ type: 'connecting', code: ctx.code, reason: ctx.reason });
  });
  client.on('connected', () => {
    dispatch({ type: 'connected', at: now() });
  });
  client.on('disconnected', (ctx) => {
    dispatch({ type: 'disconnected', code: ctx.code, reason: ctx.reason });
  });
  client.reconnectObserver = {
    onReconnectScheduled(delayMs) {
      dispatch({ type: 'reconnect-scheduled', delayMs, at: now() });
    },
    onAttemptStarted() {
      dispatch({ type: 'attempt-started' });
    },
  };

  return {
    client,
    getState: () => state,
    subscribe(listener) {
      listeners.add(listener);
      return () => {
        listeners.delete(listener);
      };
    },
    connect() {
      client.connect();
    },
    disconnect() {
      client.disconnect();
    },
  };
}
