import { useQuery, useQueryClient } from '@tanstack/react-query';
import { useId, useState, type SubmitEvent } from 'react';

import { errorMessage } from '../../api';
import { EmptyState, ErrorNotice, Loading } from '../../components/PageState';
import { useDocumentTitle } from '../../components/useDocumentTitle';
import { useChannel } from '../../realtime';
import { can } from '../auth/model';
import { useTeam } from '../teams/TeamLayout';
import {
  describeForecast,
  formatIn,
  shareLeft,
  splitNames,
  topUsage,
  type NewCredential,
  type PoolCredential,
  type PoolOverview,
  type UsageRow,
} from './model';
import { poolKey, poolQuery, useAddCredential, useRemoveCredential } from './queries';

/** `/teams/:teamId/pool`: the team's GitHub quota, who spends it, and its credentials. */
export function PoolPage() {
  const team = useTeam();
  useDocumentTitle(`GitHub quota · ${team.name}`);
  const pool = useQuery(poolQuery(team.id));
  const client = useQueryClient();
  // Every publication on pool:{team} means the figures moved: fetch them again.
  useChannel(`pool:${team.id}`, {
    onPublication: () => {
      void client.invalidateQueries({ queryKey: poolKey(team.id) });
    },
  });
  const manages = can(team.role, 'manage');

  return (
    <section className="page" aria-labelledby="pool-title" data-testid="pool-page">
      <div className="page__header">
        <h1 id="pool-title">GitHub quota</h1>
        <p className="lead">
          Requests to GitHub share the team’s credentials fairly; members’ own tokens only serve their own
          requests.
        </p>
      </div>
      {pool.isPending && <Loading label="Loading the quota…" />}
      {pool.isError && <ErrorNotice error={pool.error} onRetry={() => void pool.refetch()} />}
      {pool.data !== undefined && <PoolFigures data={pool.data} teamId={team.id} manages={manages} />}
      {manages && <AddCredential teamId={team.id} />}
    </section>
  );
}

function PoolFigures({
  data,
  teamId,
  manages,
}: {
  readonly data: PoolOverview;
  readonly teamId: number;
  readonly manages: boolean;
}) {
  const saved = (data.savings['coalesced'] ?? 0) + (data.savings['not_modified'] ?? 0);
  return (
    <>
      <div className="panel-grid">
        <div className="panel" data-testid="pool-totals">
          <div className="panel__header">
            <h2>Shared quota</h2>
          </div>
          <p>
            <strong>{data.totals.remaining.toLocaleString()}</strong> of {data.totals.limit.toLocaleString()} requests
            left; next reset {formatIn(data.totals.next_reset, data.now)}.
          </p>
          <p data-testid="pool-forecast">{describeForecast(data)}</p>
          <p className="muted small">
            Saved: {saved.toLocaleString()} requests ({data.savings['not_modified'] ?? 0} free 304s,{' '}
            {data.savings['coalesced'] ?? 0} coalesced)
            {data.not_modified_rate === null ? '' : `; 304 rate ${Math.round(data.not_modified_rate * 100)} %`}.
          </p>
        </div>
      </div>
      <CredentialTable credentials={data.credentials} now={data.now} teamId={teamId} manages={manages} />
      <div className="panel-grid">
        <UsageTable title="By member" rows={data.usage['member']} />
        <UsageTable title="By repository" rows={data.usage['repository']} />
        <UsageTable title="By purpose" rows={data.usage['purpose']} />
      </div>
    </>
  );
}

function CredentialTable({
  credentials,
  now,
  teamId,
  manages,
}: {
  readonly credentials: readonly PoolCredential[];
  readonly now: number;
  readonly teamId: number;
  readonly manages: boolean;
}) {
  const remove = useRemoveCredential(teamId);
  if (credentials.length === 0) {
    return (
      <EmptyState title="No shared credential" testId="pool-empty">
        Add a GitHub App installation (preferred) or a machine account’s token to give the team a quota of its own.
      </EmptyState>
    );
  }
  return (
    <div className="table-scroll">
      <h2>Credentials</h2>
      <table className="table" data-testid="pool-credentials">
        <thead>
          <tr>
            <th scope="col">Credential</th>
            <th scope="col">Status</th>
            <th scope="col" className="num">
              Core left
            </th>
            <th scope="col">Resets</th>
            <th scope="col">Reach</th>
            {manages && <th scope="col">Actions</th>}
          </tr>
        </thead>
        <tbody>
          {credentials.map((credential) => {
            const core = credential.buckets['core'];
            const share = shareLeft(core);
            return (
              <tr key={credential.id} data-testid="pool-credential">
                <th scope="row">
                  {credential.label}{' '}
                  <span className="muted small">{credential.kind === 'app' ? 'GitHub App' : 'service token'}</span>
                </th>
                <td>
                  {credential.status}
                  {credential.cooldown_until !== null && ` (resting ${formatIn(credential.cooldown_until, now)})`}
                </td>
                <td className="num">
                  {core?.remaining ?? '—'} / {core?.limit ?? '—'}
                  {share !== null && <meter min={0} max={1} low={0.1} optimum={1} value={share} />}
                </td>
                <td>{formatIn(core?.reset ?? null, now)}</td>
                <td className="small">
                  {[...credential.accounts, ...credential.repositories].join(', ') || 'public repositories'}
                </td>
                {manages && (
                  <td>
                    <button
                      type="button"
                      className="button button--small"
                      disabled={remove.isPending}
                      onClick={() => { remove.mutate(credential.id); }}
                    >
                      Remove
                    </button>
                  </td>
                )}
              </tr>
            );
          })}
        </tbody>
      </table>
    </div>
  );
}

function UsageTable({ title, rows }: { readonly title: string; readonly rows: readonly UsageRow[] | undefined }) {
  const top = topUsage(rows);
  return (
    <div className="panel">
      <div className="panel__header">
        <h2>{title}</h2>
      </div>
      {top.length === 0 ? (
        <p className="muted small">No requests in the last hours.</p>
      ) : (
        <table className="table table--compact">
          <thead>
            <tr>
              <th scope="col">{title.replace('By ', '')}</th>
              <th scope="col" className="num">
                Requests
              </th>
              <th scope="col" className="num">
                Paid
              </th>
            </tr>
          </thead>
          <tbody>
            {top.map((row) => (
              <tr key={row.value}>
                <th scope="row">{row.label}</th>
                <td className="num">{row.requests}</td>
                <td className="num">{row.paid}</td>
              </tr>
            ))}
          </tbody>
        </table>
      )}
    </div>
  );
}

function AddCredential({ teamId }: { readonly teamId: number }) {
  const add = useAddCredential(teamId);
  const [kind, setKind] = useState<'service' | 'app'>('app');
  const [label, setLabel] = useState('');
  const [secret, setSecret] = useState('');
  const [appId, setAppId] = useState('');
  const [installationId, setInstallationId] = useState('');
  const [accounts, setAccounts] = useState('');
  const ids = useId();

  function submit(event: SubmitEvent<HTMLFormElement>) {
    event.preventDefault();
    const reach = { accounts: splitNames(accounts), repositories: [] as readonly string[] };
    const body: NewCredential =
      kind === 'service'
        ? { kind, label, token: secret, ...reach }
        : {
            kind,
            label,
            app_id: Number(appId),
            installation_id: Number(installationId),
            private_key: secret,
            ...reach,
          };
    add.mutate(body, {
      onSuccess: () => {
        // The secret is not kept in the page once it was handed over.
        setSecret('');
        setLabel('');
      },
    });
  }

  return (
    <form className="card form" onSubmit={submit} data-testid="pool-add">
      <h2>Add a credential</h2>
      <label className="form__label" htmlFor={`${ids}-kind`}>
        Kind
      </label>
      <select
        id={`${ids}-kind`}
        className="select"
        value={kind}
        onChange={(event) => { setKind(event.target.value === 'service' ? 'service' : 'app'); }}
      >
        <option value="app">GitHub App installation</option>
        <option value="service">Machine account token</option>
      </select>
      <label className="form__label" htmlFor={`${ids}-label`}>
        Name
      </label>
      <input
        id={`${ids}-label`}
        className="input"
        required
        value={label}
        onChange={(event) => { setLabel(event.target.value); }}
      />
      {kind === 'app' && (
        <>
          <label className="form__label" htmlFor={`${ids}-app`}>
            App id
          </label>
          <input
            id={`${ids}-app`}
            className="input"
            inputMode="numeric"
            required
            value={appId}
            onChange={(event) => { setAppId(event.target.value); }}
          />
          <label className="form__label" htmlFor={`${ids}-installation`}>
            Installation id
          </label>
          <input
            id={`${ids}-installation`}
            className="input"
            inputMode="numeric"
            required
            value={installationId}
            onChange={(event) => { setInstallationId(event.target.value); }}
          />
        </>
      )}
      <label className="form__label" htmlFor={`${ids}-secret`}>
        {kind === 'app' ? 'Private key (PEM)' : 'Token'}
      </label>
      <textarea
        id={`${ids}-secret`}
        className="input"
        required
        autoComplete="off"
        spellCheck={false}
        rows={kind === 'app' ? 6 : 1}
        value={secret}
        onChange={(event) => { setSecret(event.target.value); }}
      />
      <label className="form__label" htmlFor={`${ids}-accounts`}>
        Organizations whose private repositories it sees
      </label>
      <input
        id={`${ids}-accounts`}
        className="input"
        placeholder="acme"
        value={accounts}
        onChange={(event) => { setAccounts(event.target.value); }}
      />
      {add.isError && <p className="form__error">{errorMessage(add.error)}</p>}
      <div className="form__actions">
        <button type="submit" className="button button--primary" disabled={add.isPending}>
          Add
        </button>
      </div>
    </form>
  );
}
