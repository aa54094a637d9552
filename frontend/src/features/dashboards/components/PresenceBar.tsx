import type { PresentUser } from '../../../realtime';
import { viewerInitials, viewerLabel, viewersOf } from '../../live/viewers';
import { userColor } from '../people';

/**
 * Who is looking at the dashboard, with how many devices (tabs) each. Test
 * ids: `presence` (`data-count`), `presence-user` (`data-user`, `data-login`,
 * `data-devices`, `data-self`).
 */
export function PresenceBar({
  present,
  self,
}: {
  readonly present: readonly PresentUser[];
  readonly self: number | null;
}) {
  const viewers = viewersOf(present, null);
  return (
    <div className="presence" data-testid="presence" data-count={viewers.length} aria-label="Who is here">
      {viewers.map((viewer) => {
        const isSelf = self !== null && viewer.id === String(self);
        const label = `${isSelf ? 'You' : viewerLabel(viewer)}${viewer.tabs > 1 ? ` on ${viewer.tabs} devices` : ''}`;
        return (
          <span
            key={viewer.id}
            className="presence__user"
            data-testid="presence-user"
            data-user={viewer.id}
            data-login={viewer.login ?? ''}
            data-devices={viewer.tabs}
            data-self={isSelf}
            title={label}
            style={{ borderColor: userColor(Number(viewer.id)) }}
          >
            {viewer.avatarUrl === null ? (
              <span
                className="presence__initials"
                style={{ background: userColor(Number(viewer.id)) }}
                aria-hidden="true"
              >
                {viewerInitials(viewer)}
              </span>
            ) : (
              <img className="presence__avatar" src={viewer.avatarUrl} alt="" width="28" height="28" />
            )}
            <span className="presence__name">{isSelf ? 'you' : viewerLabel(viewer)}</span>
            {viewer.tabs > 1 && (
              <span className="presence__devices" aria-label={`${viewer.tabs} devices`}>
                ×{viewer.tabs}
              </span>
            )}
          </span>
        );
      })}
    </div>
  );
}
