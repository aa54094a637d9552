import { useEffect, useRef } from 'react';
import { Link, Navigate, useParams } from 'react-router-dom';

import { ErrorNotice, Loading } from '../../components/PageState';
import { useDocumentTitle } from '../../components/useDocumentTitle';
import { rememberTeam } from './currentTeam';
import { useAcceptInvitation } from './queries';

/** `/join/:token`: accepts the invitation (the user is signed in by now), then opens the team. */
export function JoinPage() {
  useDocumentTitle('Join a team');
  const { token = '' } = useParams();
  const accept = useAcceptInvitation();
  const { mutate } = accept;
  // Once per token, also under StrictMode's double effects: an invitation works once.
  const sent = useRef<string | null>(null);

  useEffect(() => {
    if (sent.current !== token) {
      sent.current = token;
      mutate(token, {
        onSuccess: (team) => {
          rememberTeam(team.id);
        },
      });
    }
  }, [token, mutate]);

  if (accept.isSuccess) {
    return <Navigate to={`/teams/${accept.data.id}/repositories`} replace />;
  }
  return (
    <section className="page page--narrow" aria-labelledby="join-title" data-testid="join-page">
      <div className="page__header">
        <h1 id="join-title">Join a team</h1>
      </div>
      {accept.isError ? (
        <>
          <ErrorNotice error={accept.error} prefix="The invitation could not be accepted" />
          <p>
            Ask the person who invited you for a new link, or <Link to="/">go to your teams</Link>.
          </p>
        </>
      ) : (
        <Loading label="Accepting the invitation…" />
      )}
    </section>
  );
}
