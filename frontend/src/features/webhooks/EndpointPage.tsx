import { useState } from 'react';
import { Link, useNavigate, useParams } from 'react-router-dom';

import { ErrorNotice, Loading } from '../../components/PageState';
import { useDocumentTitle } from '../../components/useDocumentTitle';
import { parseId } from '../teams/currentTeam';
import { useTeam } from '../teams/TeamLayout';
import { DeliveryLog } from './DeliveryLog';
import { EndpointEditor } from './EndpointEditor';
import { canManageWebhooks, endpointState, formBody, formOf, type EndpointWithSecret } from './model';
import { useDeleteEndpoint, useEndpoint, useRotateSecret, useSendTest, useUpdateEndpoint } from './queries';
import { SecretReveal } from './SecretReveal';

/** `/teams/:teamId/webhooks/:endpointId`: edit, rotate the secret, test, and the delivery log. */
export function EndpointPage() {
  const team = useTeam();
  const { endpointId } = useParams();
  const id = parseId(endpointId);
  useDocumentTitle(`Webhook endpoint · ${team.name}`);
  if (id === null || !canManageWebhooks(team.role)) {
    return (
      <section className="page">
        <h1>Webhook endpoint</h1>
        <p className="lead">This endpoint does not exist, or only the team&rsquo;s owners and admins see it.</p>
      </section>
    );
  }
  return <Endpoint teamId={team.id} endpointId={id} />;
}

function Endpoint({ teamId, endpointId }: { readonly teamId: number; readonly endpointId: number }) {
  const endpoint = useEndpoint(teamId, endpointId);
  const update = useUpdateEndpoint(teamId, endpointId);
  const remove = useDeleteEndpoint(teamId, endpointId);
  const rotate = useRotateSecret(teamId, endpointId);
  const test = useSendTest(teamId, endpointId);
  const navigate = useNavigate();
  const [editing, setEditing] = useState(false);
  const [overlap, setOverlap] = useState(24);
  const [rotated, setRotated] = useState<EndpointWithSecret | null>(null);
  const back = `/teams/${String(teamId)}/webhooks`;

  if (endpoint.isPending) {
    return <Loading />;
  }
  if (endpoint.isError) {
    return (
      <section className="page">
        <ErrorNotice error={endpoint.error} onRetry={() => void endpoint.refetch()} />
      </section>
    );
  }
  const current = endpoint.data;
  const state = endpointState(current);
  return (
    <section className="page page--wide-form" aria-labelledby="endpoint-title">
      <div className="page__header">
        <p className="breadcrumbs muted small">
          <Link to={back}>Webhooks</Link> / endpoint
        </p>
        <h1 id="endpoint-title">
          <code>{current.url}</code>
        </h1>
        <p className="lead" data-testid="endpoint-state">
          {state === 'active' && 'Active.'}
          {state === 'failing' && `Failing since ${new Date(current.failing_since ?? '').toLocaleString()}.`}
          {state === 'disabled' && `Disabled: ${current.disabled_reason ?? 'by hand'}`}
        </p>
        <div className="page__actions">
          <button
            type="button"
            className="button"
            disabled={update.isPending}
            data-testid="endpoint-toggle"
            onClick={() => {
              update.mutate({ enabled: !current.enabled });
            }}
          >
            {current.enabled ? 'Disable' : 'Enable (replays what it kept)'}
          </button>
          <button
            type="button"
            className="button"
            disabled={test.isPending || !current.enabled}
            data-testid="endpoint-test"
            onClick={() => {
              test.mutate();
            }}
          >
            Send test event
          </button>
          <button
            type="button"
            className="button"
            onClick={() => {
              setEditing(!editing);
            }}
          >
            {editing ? 'Close editor' : 'Edit'}
          </button>
          <button
            type="button"
            className="button button--quiet"
            disabled={remove.isPending}
            onClick={() => {
              if (window.confirm('Delete this endpoint and its delivery log?')) {
                remove.mutate(undefined, { onSuccess: () => void navigate(back) });
              }
            }}
          >
            Delete
          </button>
        </div>
        {test.isSuccess && <p className="text-ok small">Test event queued.</p>}
        {[update, test, remove].map((m, index) =>
          m.isError ? <ErrorNotice key={index} error={m.error} /> : null,
        )}
      </div>
      {editing && (
        <div className="card page__section">
          <EndpointEditor
            initial={formOf(current)}
            submitLabel="Save"
            pending={update.isPending}
            onSubmit={(form) => {
              update.mutate(formBody(form), {
                onSuccess: () => {
                  setEditing(false);
                },
              });
            }}
          />
        </div>
      )}
      <div className="card page__section" data-testid="secret-rotation">
        <h2>Signing secret</h2>
        <p className="muted small">
          A new secret signs every delivery from now on; the current one keeps signing beside it for the overlap, so
          receivers can switch without missing a delivery.
          {current.previous_secret_expires_at !== null &&
            ` The previous secret signs until ${new Date(current.previous_secret_expires_at).toLocaleString()}.`}
        </p>
        <div className="invite__row">
          <label>
            Overlap (hours){' '}
            <input
              className="input"
              type="number"
              min={0}
              max={168}
              value={overlap}
              onChange={(event) => {
                setOverlap(Math.min(168, Math.max(0, Number(event.target.value))));
              }}
            />
          </label>
          <button
            type="button"
            className="button"
            disabled={rotate.isPending}
            data-testid="secret-rotate"
            onClick={() => {
              rotate.mutate(overlap, { onSuccess: setRotated });
            }}
          >
            Rotate secret
          </button>
        </div>
        {rotated !== null && <SecretReveal secret={rotated.secret} label="The new signing secret." />}
        {rotate.isError && <ErrorNotice error={rotate.error} />}
      </div>
      <DeliveryLog teamId={teamId} endpointId={endpointId} enabled={current.enabled} />
    </section>
  );
}
