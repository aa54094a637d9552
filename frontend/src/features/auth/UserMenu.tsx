import { useState } from 'react';
import { Link, useLocation } from 'react-router-dom';

import { isUnauthenticated } from '../../api';
import { useMe, useSignOut } from './queries';
import { signInHref } from './signin';

/** The header's signed-in user (avatar, login) and Sign out; a Sign in link when signed out. */
export function UserMenu() {
  const me = useMe();
  const location = useLocation();
  const signOut = useSignOut();
  const [signingOut, setSigningOut] = useState(false);

  if (me.isError && isUnauthenticated(me.error) && location.pathname !== '/signin') {
    return (
      <a className="button button--small" href={signInHref(location.pathname + location.search)}>
        Sign in
      </a>
    );
  }
  if (me.data === undefined) {
    return null;
  }
  const { user } = me.data;
  return (
    <div className="user-menu" data-testid="user-menu" data-login={user.login}>
      {user.avatar_url !== null && (
        <img className="avatar" src={user.avatar_url} alt="" width="24" height="24" referrerPolicy="no-referrer" />
      )}
      <span className="user-menu__login" title={user.name ?? user.login}>
        {user.login}
      </span>
      <Link className="button button--small button--quiet" to="/settings/devices" data-testid="devices-link">
        Devices
      </Link>
      <button
        type="button"
        className="button button--small button--quiet"
        data-testid="signout-button"
        disabled={signingOut}
        onClick={() => {
          setSigningOut(true);
          void signOut().finally(() => {
            setSigningOut(false);
          });
        }}
      >
        {signingOut ? 'Signing out…' : 'Sign out'}
      </button>
    </div>
  );
}
