import { useState } from 'react';
import { Link } from 'react-router-dom';

import { EmptyState, ErrorNotice, Loading } from '../../components/PageState';
import { useDocumentTitle } from '../../components/useDocumentTitle';
import { useTeam } from '../teams/TeamLayout';
import { EndpointEditor } from './EndpointEditor';
import { IncomingPanel } from './IncomingPanel';
import { canManageWebhooks, describeTypes, EMPTY_FORM, endpointState, type EndpointWithSecret } from './model';
import { useCreateEndpoint, useEndpoints } from './queries';
import { SecretReveal } from './SecretReveal';

const STATE_BADGE = { active: 'badge--ok', failing: 'badge--warn', disabled: 'badge--bad' } as const;

/** `/teams/:teamId/webhooks`: the endpoints, a new one, and the incoming webhook. */
export function WebhooksPage() {
  const team = useTeam();
  useDocumentTitle(`Webhooks · ${team.name}`);
  if (!canManageWebhooks(team.role)) {
    return (
      <section className="page">
        <div className="page__header">
          <h1>Webhooks</h1>
          <p className="lead">Only the team&rsquo;s owners and admins manage its webhooks.</p>
        </div>
      </section>
    );
  }
  return <ManageWebhooks teamId={team.id} teamName={team.name} />;
}

function ManageWebhooks({ teamId, teamName }: { readonly teamId: number; readonly teamName: string }) {
  const endpoints = useEndpoints(teamId);
  const create = useCreateEndpoint(teamId);
  const [adding, setAdding] = useState(false);
  const [created, setCreated] = useState<EndpointWithSecret | null>(null);
  return (
    <section className="page page--wide-form" aria-labelledby="webhooks-title">
      <div className="page__header page__header--row">
        <div>
          <h1 id="webhooks-title">Webhooks</h1>
          <p className="lead">
            Send {teamName}&rsquo;s events to your tools, signed (Standard Webhooks) and retried for about a day.
          </p>
        </div>
        {!adding && (
          <button
            type="button"
            className="button button--primary"
            data-testid="endpoint-add"
            onClick={() => {
              setAdding(true);
              setCreated(null);
            }}
          >
            Add endpoint
          </button>
        )}
      </div>
      {created !== null && (
        <div className="page__section">
          <SecretReveal secret={created.secret} label={`Signing secret of ${created.url}.`} />
        </div>
      )}
      {adding && (
        <div className="card page__section">
          <h2>New endpoint</h2>
          <EndpointEditor
            initial={EMPTY_FORM}
            submitLabel="Create endpoint"
            pending={create.isPending}
            onCancel={() => {
              setAdding(false);
            }}
            onSubmit={(form) => {
              create.mutate(form, {
                onSuccess: (endpoint) => {
                  setCreated(endpoint);
                  setAdding(false);
                },
              });
            }}
          />
          {create.isError && <ErrorNotice error={create.error} prefix="Could not create the endpoint" />}
        </div>
      )}
      <div className="card page__section">
        <h2>Endpoints</h2>
        {endpoints.isPending && <Loading />}
        {endpoints.isError && <ErrorNotice error={endpoints.error} onRetry={() => void endpoints.refetch()} />}
        {endpoints.data?.length === 0 && (
          <EmptyState title="No endpoints yet">Add one to send this team&rsquo;s events to another tool.</EmptyState>
        )}
        {endpoints.data !== undefined && endpoints.data.length > 0 && (
          <table className="table" data-testid="endpoint-list">
            <thead>
              <tr>
                <th>URL</th>
                <th>Events</th>
                <th>State</th>
              </tr>
            </thead>
            <tbody>
              {endpoints.data.map((endpoint) => {
                const state = endpointState(endpoint);
                return (
                  <tr key={endpoint.id}>
                    <td>
                      <Link to={`/teams/${String(teamId)}/webhooks/${String(endpoint.id)}`}>
                        <code>{endpoint.url}</code>
                      </Link>
                      {endpoint.description !== '' && <div className="muted small">{endpoint.description}</div>}
                    </td>
                    <td className="small">{describeTypes(endpoint.event_types)}</td>
                    <td>
                      <span className={`badge badge--small ${STATE_BADGE[state]}`}>{state}</span>
                    </td>
                  </tr>
                );
              })}
            </tbody>
          </table>
        )}
      </div>
      <IncomingPanel teamId={teamId} />
    </section>
  );
}
