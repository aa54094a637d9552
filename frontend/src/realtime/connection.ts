/**
 * The one place that owns a Centrifuge client. The app creates a single
 * connection per tab (see `realtime.ts`); tests create their own with a fake
 * WebSocket.
 */
import type { Centrifuge } from 'centrifuge';

import { ChannelManager, connectedUser } from './channels';
import {
  initialConnectionState,
  reduceConnection,
  type ConnectionEvent,
  type ConnectionState,
} from './connectionState';
import { createLatencyProbe, LATENCY_PROBE_MS, type LatencyProbe } from './latency';
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
  /** Milliseconds between latency probes (the `ping` RPC); null: no probes. */
  readonly latencyProbeMs?: number | null;
  /** How long a channel stays subscribed after its last user let go. */
  readonly channelLingerMs?: number;
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
  /** Closes the connection and opens a new one (the session cookie travels on the handshake). */
  readonly reconnect: () => void;
  /** Channel subscriptions shared by the page's components. */
  readonly channels: ChannelManager;
  /** Round-trip latency of the connection, measured with the `ping` RPC. */
  readonly latency: LatencyProbe;
  /**
   * The user id the server gave the current (or last) connection, null when
   * anonymous, undefined before the first connection.
   */
  readonly getUser: () => string | null | undefined;
  /** Epoch ms since when the connection is not established, null while it is. */
  readonly getDownSince: () => number | null;
}

export function createRealtimeConnection(options: RealtimeConnectionOptions): RealtimeConnection {
  const now = options.now ?? Date.now;
  const client = new ObservableCentrifuge(options.endpoint, {
    minReconnectDelay: MIN_RECONNECT_DELAY_MS,
    maxReconnectDelay: MAX_RECONNECT_DELAY_MS,
    ...(options.websocket === undefined ? {} : { websocket: options.websocket }),
  });

  let state = initialConnectionState;
  let user: string | null | undefined = undefined;
  let downSince: number | null = now();
  const listeners = new Set<() => void>();
  const channels = new ChannelManager(client, {
    now,
    ...(options.channelLingerMs === undefined ? {} : { lingerMs: options.channelLingerMs }),
  });
  const latency = createLatencyProbe({
    client,
    intervalMs: options.latencyProbeMs ?? LATENCY_PROBE_MS,
  });
  const probing = options.latencyProbeMs !== null;

  function dispatch(event: ConnectionEvent): void {
    const next = reduceConnection(state, event);
    if (next === state) {
      return;
    }
    if (next.phase === 'connected') {
      downSince = null;
    } else {
      downSince ??= now();
    }
    if (next.phase === 'connected' && state.phase !== 'connected' && probing) {
      latency.start();
    } else if (next.phase !== 'connected') {
      latency.stop();
    }
    state = next;
    for (const listener of [...listeners]) {
      listener();
    }
  }

  client.on('connecting', (ctx) => {
    dispatch({ type: 'connecting', code: ctx.code, reason: ctx.reason });
  });
  client.on('connected', (ctx) => {
    user = connectedUser(ctx.data);
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
    reconnect() {
      client.disconnect();
      client.connect();
    },
    channels,
    latency,
    getUser: () => user,
    getDownSince: () => downSince,
  };
}
