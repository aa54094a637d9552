import { useQuery } from '@tanstack/react-query';

import { ApiError } from '../../api';
import { useDocumentTitle } from '../../components/useDocumentTitle';
import { checkLabel, type ReadinessCheck } from './decode';
import { STATUS_REFETCH_MS, readinessQuery, versionQuery } from './queries';

export function StatusPage() {
  useDocumentTitle('System status');
  const readiness = useQuery(readinessQuery);
  const version = useQuery(versionQuery);

  return (
    <section className="page" aria-labelledby="status-title">
      <div className="page__header">
        <h1 id="status-title">System status</h1>
        <p className="muted">
          What the HubDeck server reports about itself. Refreshed every {STATUS_REFETCH_MS / 1000} s.
        </p>
      </div>

      <div className="card">
        <div className="status-summary">
          {readiness.data ? (
            <span
              className={`badge ${readiness.data.ready ? 'badge--ok' : 'badge--bad'}`}
              data-testid="readiness-overall"
              data-status={readiness.data.status}
            >
              {readiness.data.ready ? 'Ready' : 'Unavailable'}
            </span>
          ) : (
            <span className="badge" data-testid="readiness-overall" data-status="unknown">
              {readiness.isPending ? 'Checking…' : 'Unknown'}
            </span>
          )}
          <span className="muted" data-testid="server-version">
            {version.data
              ? `Server version ${version.data.version}`
              : version.isError
                ? 'Server version unavailable'
                : 'Server version…'}
          </span>
        </div>

        {readiness.isError && (
          <p className="notice notice--error" role="alert">
            {readiness.data ? 'The last refresh failed: ' : 'Could not load the status: '}
            {errorText(readiness.error)}
          </p>
        )}

        {readiness.data && <CheckList checks={readiness.data.checks} />}

        <p className="muted small">
          {readiness.dataUpdatedAt > 0
            ? `Last checked at ${new Date(readiness.dataUpdatedAt).toLocaleTimeString()}`
            : 'Not checked yet'}
          {readiness.isFetching ? ' · checking…' : ''}
        </p>
      </div>
    </section>
  );
}

function CheckList({ checks }: { readonly checks: readonly ReadinessCheck[] }) {
  if (checks.length === 0) {
    return <p className="muted">The server reported no checks.</p>;
  }
  return (
    <ul className="checks">
      {checks.map((check) => (
        <li
          key={check.name}
          className="check"
          data-testid={`check-${check.name}`}
          data-ok={String(check.ok)}
        >
          <span className={`dot ${check.ok ? 'dot--ok' : 'dot--bad'}`} aria-hidden="true" />
          <span className="check__name">{checkLabel(check.name)}</span>
          {check.backend !== null && <span className="check__backend">{check.backend}</span>}
          <span className={`check__state ${check.ok ? 'text-ok' : 'text-bad'}`}>
            {check.ok ? 'OK' : 'Failing'}
          </span>
          {check.error !== null && <span className="check__error">{check.error}</span>}
        </li>
      ))}
    </ul>
  );
}

function errorText(error: Error): string {
  if (error instanceof ApiError) {
    return error.status > 0 ? `${error.message} (${error.code})` : error.message;
  }
  return error.message;
}
