import { formatAgo } from '../metrics/format';

export type SyncState = 'syncing' | 'queued' | 'synced';

/** "Syncing…" until the first sync finished, then when it last did; `data-state` for tests. */
export function SyncStatus({
  syncedAt,
  state,
  now,
}: {
  readonly syncedAt: string | null;
  readonly state: SyncState;
  readonly now: number;
}) {
  const text =
    state === 'syncing' ? 'syncing…' : state === 'queued' ? 'sync requested…' : `synced ${formatAgo(syncedAt, now)}`;
  return (
    <span
      className={`sync sync--${state}`}
      data-testid="sync-status"
      data-state={state}
      title={syncedAt === null ? 'The first sync has not finished yet.' : `Last synced at ${new Date(syncedAt).toLocaleString()}`}
    >
      {state !== 'synced' && <span className="spinner spinner--small" aria-hidden="true" />}
      {text}
    </span>
  );
}
