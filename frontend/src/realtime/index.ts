export type { RealtimeConnection } from './connection';
export type { ConnectionState } from './connectionState';
export { useConnectionState, useRealtimeConnection, useSecondsUntil } from './hooks';
export { describeConnection, type IndicatorView, type IndicatorState } from './indicator';
export { getRealtimeConnection } from './realtime';
export { RealtimeProvider } from './RealtimeProvider';
