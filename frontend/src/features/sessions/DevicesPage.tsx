import { errorMessage } from '../../api';
import { useDocumentTitle } from '../../components/useDocumentTitle';
import { deviceLabel, type DeviceSession } from './model';
import { useRevokeOthers, useRevokeSession, useSessions } from './queries';

/** Where the user is signed in: this device marked; revoke one, or sign out all others. */
export function DevicesPage() {
  useDocumentTitle('Devices');
  const sessions = useSessions();
  const revoke = useRevokeSession();
  const revokeOthers = useRevokeOthers();
  const list = sessions.data?.sessions ?? [];
  const others = list.filter((s) => !s.current);
  return (
    <section className="page page--wide-form" aria-labelledby="devices-title">
      <div className="page__header">
        <h1 id="devices-title">Devices</h1>
        <p className="lead">Where you are signed in. Signing a device out takes effect at once.</p>
      </div>
      {sessions.isError && <p role="alert">{errorMessage(sessions.error)}</p>}
      {sessions.isPending && <p className="muted">Loading…</p>}
      <div className="card page__section">
        <table className="table" data-testid="devices">
          <thead>
            <tr>
              <th scope="col">Device</th>
              <th scope="col">Type</th>
              <th scope="col">Address</th>
              <th scope="col">Last seen</th>
              <th scope="col">
                <span className="visually-hidden">Actions</span>
              </th>
            </tr>
          </thead>
          <tbody>
            {list.map((session) => (
              <DeviceRow
                key={session.id}
                session={session}
                busy={revoke.isPending && revoke.variables === session.id}
                onRevoke={() => {
                  revoke.mutate(session.id);
                }}
              />
            ))}
          </tbody>
        </table>
        {revoke.isError && <p role="alert">{errorMessage(revoke.error)}</p>}
        <button
          type="button"
          className="button"
          data-testid="revoke-others"
          disabled={others.length === 0 || revokeOthers.isPending}
          onClick={() => {
            revokeOthers.mutate();
          }}
        >
          Sign out all other devices
        </button>
        {revokeOthers.isError && <p role="alert">{errorMessage(revokeOthers.error)}</p>}
      </div>
    </section>
  );
}

function DeviceRow({ session, busy, onRevoke }: { session: DeviceSession; busy: boolean; onRevoke: () => void }) {
  return (
    <tr data-testid="device" data-current={session.current} data-session={session.id}>
      <td>
        {deviceLabel(session)}
        {session.current && <span className="badge"> This device</span>}
        {!session.current && session.connections > 0 && <span className="badge"> Active now</span>}
      </td>
      <td>{session.device_type}</td>
      <td>{session.ip ?? 'unknown'}</td>
      <td>
        <time dateTime={session.last_seen_at}>{new Date(session.last_seen_at).toLocaleString()}</time>
      </td>
      <td>
        {!session.current && (
          <button
            type="button"
            className="button button--small button--quiet"
            data-testid="revoke-device"
            disabled={busy}
            onClick={onRevoke}
          >
            Sign out
          </button>
        )}
      </td>
    </tr>
  );
}
