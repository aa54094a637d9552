import { ErrorNotice, Loading } from '../../components/PageState';
import { useIncoming, useRemoveIncoming, useSetupIncoming } from './queries';
import { SecretReveal } from './SecretReveal';

const EXAMPLE = `{"type": "annotation", "text": "Deployed v2.3.0", "at": "2026-11-26T09:30:12Z", "tags": ["deploy"]}
{"type": "metric", "name": "error_rate", "value": 0.25}`;

/** The team's incoming webhook: its URL, a new secret, turning it off. */
export function IncomingPanel({ teamId }: { readonly teamId: number }) {
  const incoming = useIncoming(teamId);
  const setup = useSetupIncoming(teamId);
  const remove = useRemoveIncoming(teamId);
  const hook = incoming.data;
  return (
    <div className="card page__section" data-testid="incoming-panel">
      <h2>Incoming webhook</h2>
      <p className="muted small">
        Other systems post annotations and custom metric points onto this team&rsquo;s dashboards, signed with
        this webhook&rsquo;s secret (Standard Webhooks: <code>webhook-id</code>, <code>webhook-timestamp</code>,{' '}
        <code>webhook-signature</code>).
      </p>
      {incoming.isPending && <Loading />}
      {incoming.isError && <ErrorNotice error={incoming.error} />}
      {hook !== undefined && hook !== null && (
        <p>
          URL: <code data-testid="incoming-url">{hook.url}</code>
        </p>
      )}
      {setup.data !== undefined && <SecretReveal secret={setup.data.secret} label="Incoming webhook secret." />}
      <div className="form__actions">
        <button
          type="button"
          className="button"
          disabled={setup.isPending}
          data-testid="incoming-setup"
          onClick={() => {
            if (hook === null || hook === undefined || window.confirm('The current URL and secret stop working. Go on?')) {
              setup.mutate();
            }
          }}
        >
          {hook === null || hook === undefined ? 'Set up' : 'New URL and secret'}
        </button>
        {hook !== null && hook !== undefined && (
          <button
            type="button"
            className="button button--quiet"
            disabled={remove.isPending}
            onClick={() => {
              remove.mutate();
            }}
          >
            Turn off
          </button>
        )}
      </div>
      {setup.isError && <ErrorNotice error={setup.error} />}
      <details>
        <summary className="small">What to post</summary>
        <pre className="small">{EXAMPLE}</pre>
      </details>
    </div>
  );
}
