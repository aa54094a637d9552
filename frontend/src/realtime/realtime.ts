import { createRealtimeConnection, type RealtimeConnection } from './connection';
import { websocketUrl } from './endpoint';

let instance: RealtimeConnection | null = null;

/**
 * The tab's real-time connection, created on first use. It does not connect
 * by itself: the app calls `connect()` once at start-up.
 */
export function getRealtimeConnection(): RealtimeConnection {
  instance ??= createRealtimeConnection({ endpoint: websocketUrl(window.location) });
  return instance;
}
