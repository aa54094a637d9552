export type { RealtimeConnection } from './connection';
export type { ConnectionState } from './connectionState';
export type { ChannelHandlers, ChannelState, EventMeta } from './channels';
export type { LiveEvent } from './events';
export type { PresenceClient, PresentUser } from './presence';
export type { ResyncReason } from './stream';
export { createCoalescer, type Coalescer } from './coalesce';
export {
  useBrowserOnline,
  useChannel,
  useChannelState,
  useConnectionState,
  useLatency,
  useOfflineBanner,
  usePresence,
  useRealtimeConnection,
  useRealtimeSession,
  useSecondsUntil,
} from './hooks';
export { describeConnection, type IndicatorView, type IndicatorState } from './indicator';
export { formatLatency } from './latency';
export { getRealtimeConnection } from './realtime';
export { RealtimeProvider } from './RealtimeProvider';
