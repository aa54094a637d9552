import { Link, Navigate } from 'react-router-dom';

import { isUnauthenticated } from '../../api';
import { ErrorNotice } from '../../components/PageState';
import { useDocumentTitle } from '../../components/useDocumentTitle';
import { useMe } from '../auth/queries';
import { GitHubMark } from '../auth/SignInPage';
import { signInHref } from '../auth/signin';
import { pickTeam, readRememberedTeam } from '../teams/currentTeam';

/**
 * `/`: signed in, it opens the current team's repositories (or the team setup
 * without a team); otherwise it says what HubDeck is and offers to sign in.
 */
export function OverviewPage() {
  useDocumentTitle(null);
  const me = useMe();

  if (me.data !== undefined && !me.isError) {
    const team = pickTeam(me.data.teams, null, readRememberedTeam());
    return <Navigate to={team === null ? '/teams/new' : `/teams/${team.id}/repositories`} replace />;
  }

  const signedOut = me.isError && isUnauthenticated(me.error);
  return (
    <section className="page" aria-labelledby="overview-title">
      <div className="page__header">
        <h1 id="overview-title">Welcome to HubDeck</h1>
        <p className="lead">A self-hosted, real-time dashboard of your team&rsquo;s work on GitHub.</p>
      </div>

      <div className="card prose">
        <p>
          Follow your team&rsquo;s repositories and see, per repository and for the whole team: pull-request cycle
          time and its stages, review depth, throughput, CI success and run times, open and stale work, commit
          activity, contributors, and releases with their lead time.
        </p>
        {me.isPending && (
          <p className="muted" role="status">
            Checking your session…
          </p>
        )}
        {signedOut && (
          <p>
            <a className="button button--primary" href={signInHref('/')} data-testid="signin-button">
              <GitHubMark />
              Sign in with GitHub
            </a>
          </p>
        )}
        {me.isError && !signedOut && (
          <ErrorNotice error={me.error} prefix="Could not check your session" onRetry={() => void me.refetch()} />
        )}
        <p className="muted small">
          <Link to="/status">System status</Link> shows the server&rsquo;s version and whether its database and other
          dependencies are reachable.
        </p>
      </div>
    </section>
  );
}
