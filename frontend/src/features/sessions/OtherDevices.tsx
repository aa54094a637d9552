import { Link } from 'react-router-dom';

import { activeElsewhere, deviceLabel } from './model';
import { useSessions } from './queries';

/** Header indicator: how many other devices of the user are live now, and which. */
export function OtherDevices() {
  const sessions = useSessions();
  const others = activeElsewhere(sessions.data?.sessions ?? []);
  if (others.length === 0) {
    return null;
  }
  const names = others.map(deviceLabel).join(', ');
  const label = others.length === 1 ? 'Active on 1 other device' : `Active on ${others.length} other devices`;
  return (
    <Link
      to="/settings/devices"
      className="badge"
      data-testid="other-devices"
      data-count={others.length}
      title={`${label}: ${names}`}
      aria-label={`${label}: ${names}`}
    >
      +{others.length} device{others.length === 1 ? '' : 's'}
    </Link>
  );
}
