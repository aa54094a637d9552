import { Outlet, useLocation } from 'react-router-dom';

import { isUnauthenticated } from '../../api';
import { ErrorNotice, Loading } from '../../components/PageState';
import type { Me } from './model';
import { useMe, useMeData } from './queries';
import { SignInPage } from './SignInPage';

/** Layout route of the pages that need a user: without a session they show the sign-in page. */
export function RequireUser() {
  const me = useMe();
  const location = useLocation();
  if (me.isPending) {
    return <Loading label="Checking your session…" />;
  }
  if (me.isError && (isUnauthenticated(me.error) || me.data === undefined)) {
    if (isUnauthenticated(me.error)) {
      return <SignInPage next={location.pathname + location.search} />;
    }
    return (
      <section className="page">
        <ErrorNotice error={me.error} prefix="Could not check your session" onRetry={() => void me.refetch()} />
      </section>
    );
  }
  return <Outlet />;
}

/** The signed-in user and teams, inside {@link RequireUser}. */
export function useSignedIn(): Me {
  const me = useMeData();
  if (me === undefined) {
    throw new Error('useSignedIn must be used inside <RequireUser>');
  }
  return me;
}
