import { Navigate, useSearchParams } from 'react-router-dom';

import { isUnauthenticated } from '../../api';
import { ErrorNotice } from '../../components/PageState';
import { useDocumentTitle } from '../../components/useDocumentTitle';
import { useMe } from './queries';
import { safeNext, signInErrorText, signInHref } from './signin';

/**
 * `/signin`, and what a page that needs a user shows instead of itself when
 * nobody is signed in (then `next` is that page, to come back to it).
 */
export function SignInPage({ next }: { readonly next?: string }) {
  useDocumentTitle('Sign in');
  const [params] = useSearchParams();
  const me = useMe();
  const error = next === undefined ? params.get('error') : null;
  const target = safeNext(next ?? params.get('next'));

  // Already signed in (e.g. /signin opened from a bookmark): go on.
  if (next === undefined && error === null && me.data !== undefined && !me.isError) {
    return <Navigate to={target} replace />;
  }

  return (
    <section className="page page--center" aria-labelledby="signin-title">
      <div className="card signin">
        <img src="/favicon.svg" alt="" width="48" height="48" className="signin__logo" />
        <h1 id="signin-title">Sign in to HubDeck</h1>
        <p className="muted">
          HubDeck shows your team&rsquo;s pull requests, issues, CI and releases. It signs you in with
          your GitHub account and reads only the repositories you can see there.
        </p>
        {error !== null && (
          <p className="notice notice--error" role="alert" data-testid="signin-error" data-reason={error}>
            {signInErrorText(error)}
          </p>
        )}
        {me.isError && !isUnauthenticated(me.error) && (
          <ErrorNotice error={me.error} prefix="Could not check your session" onRetry={() => void me.refetch()} />
        )}
        <a className="button button--primary button--large" href={signInHref(target)} data-testid="signin-button">
          <GitHubMark />
          Sign in with GitHub
        </a>
        {target !== '/' && (
          <p className="muted small">
            You will come back to <code>{target}</code> afterwards.
          </p>
        )}
      </div>
    </section>
  );
}

export function GitHubMark() {
  return (
    <svg viewBox="0 0 16 16" width="18" height="18" aria-hidden="true" focusable="false">
      <path
        fill="currentColor"
        d="M8 0C3.58 0 0 3.58 0 8c0 3.54 2.29 6.53 5.47 7.59.4.07.55-.17.55-.38 0-.19-.01-.82-.01-1.49-2.01.37-2.53-.49-2.69-.94-.09-.23-.48-.94-.82-1.13-.28-.15-.68-.52-.01-.53.63-.01 1.08.58 1.23.82.72 1.21 1.87.87 2.33.66.07-.52.28-.87.51-1.07-1.78-.2-3.64-.89-3.64-3.95 0-.87.31-1.59.82-2.15-.08-.2-.36-1.02.08-2.12 0 0 .67-.21 2.2.82.64-.18 1.32-.27 2-.27.68 0 1.36.09 2 .27 1.53-1.04 2.2-.82 2.2-.82.44 1.1.16 1.92.08 2.12.51.56.82 1.27.82 2.15 0 3.07-1.87 3.75-3.65 3.95.29.25.54.73.54 1.48 0 1.07-.01 1.93-.01 2.2 0 .21.15.46.55.38A8.013 8.013 0 0016 8c0-4.42-3.58-8-8-8z"
      />
    </svg>
  );
}
