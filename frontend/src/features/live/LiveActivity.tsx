import { formatAgo } from '../metrics/format';
import type { ChannelState, LiveEvent } from '../../realtime';
import { describeLiveEvent, eventTone } from './describe';
import { viewerInitials, viewerLabel, type Viewer } from './viewers';

/**
 * The repository page's live strip: who else is looking at it and the last
 * events, newest first. Test ids: `live-activity` (`data-state` = the
 * channel's status), `live-event` (`data-type`, `data-id`), `viewer`
 * (`data-user` = user id).
 */
export function LiveActivity({
  state,
  events,
  viewers,
  now,
}: {
  readonly state: ChannelState;
  readonly events: readonly LiveEvent[];
  readonly viewers: readonly Viewer[];
  readonly now: number;
}) {
  return (
    <section className="live card" aria-label="Live activity" data-testid="live-activity" data-state={state.status}>
      <div className="live__header">
        <h2 className="live__title">
          <span className={`live__dot live__dot--${state.status}`} aria-hidden="true" />
          Live
        </h2>
        <Viewers viewers={viewers} />
      </div>
      {state.status === 'denied' ? (
        <p className="muted small">Live updates are not available for this repository ({state.reason || 'permission denied'}).</p>
      ) : events.length === 0 ? (
        <p className="muted small">{idleText(state)}</p>
      ) : (
        <ol className="live__events" aria-live="polite">
          {events.map((event) => (
            <li key={event.id} className="live__event" data-testid="live-event" data-type={event.type} data-id={event.id}>
              <span className={`live__tone live__tone--${eventTone(event.type)}`} aria-hidden="true" />
              <span className="live__text">{describeLiveEvent(event)}</span>
              <time className="live__time muted small" dateTime={event.occurredAt}>
                {formatAgo(event.occurredAt === '' ? null : event.occurredAt, now)}
              </time>
            </li>
          ))}
        </ol>
      )}
    </section>
  );
}

function Viewers({ viewers }: { readonly viewers: readonly Viewer[] }) {
  if (viewers.length === 0) {
    return <span className="muted small" data-testid="viewers" data-count="0">Only you are here</span>;
  }
  return (
    <span className="viewers" data-testid="viewers" data-count={viewers.length}>
      <span className="muted small">Also here:</span>
      <span className="viewers__list">
        {viewers.map((viewer) => {
          const label = viewerLabel(viewer);
          const title = viewer.tabs > 1 ? `${label} (${viewer.tabs} tabs)` : label;
          return (
            <span key={viewer.id} className="viewer" data-testid="viewer" data-user={viewer.id} title={title}>
              {viewer.avatarUrl === null ? (
                <span className="viewer__initials" aria-hidden="true">
                  {viewerInitials(viewer)}
                </span>
              ) : (
                <img className="avatar" src={viewer.avatarUrl} alt="" width="24" height="24" referrerPolicy="no-referrer" />
              )}
              <span className="viewer__login">{label}</span>
            </span>
          );
        })}
      </span>
    </span>
  );
}

function idleText(state: ChannelState): string {
  switch (state.status) {
    case 'subscribed':
      return 'Waiting for activity…';
    case 'failed':
      return 'Live updates are not available right now: reload the page to see the latest.';
    default:
      return 'Live updates resume when the connection is back.';
  }
}
