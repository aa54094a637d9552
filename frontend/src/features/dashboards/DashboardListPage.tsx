import { useQuery } from '@tanstack/react-query';
import { useState, type SyntheticEvent } from 'react';
import { Link, useNavigate } from 'react-router-dom';

import { errorMessage } from '../../api';
import { ErrorNotice, Loading } from '../../components/PageState';
import { useDocumentTitle } from '../../components/useDocumentTitle';
import { useNow } from '../../components/useNow';
import { can } from '../auth/model';
import { useSignedIn } from '../auth/RequireUser';
import { formatAgo } from '../metrics/format';
import type { DashboardSummary } from './model';
import { dashboardListQuery, templatesQuery, useCreateDashboard } from './queries';
import './dashboards.css';

/**
 * `/dashboards`: mine, shared with me, my teams'; and a new one from a
 * template. Test ids: `dashboard-section` (`data-section`), `dashboard-row`
 * (`data-id`, `data-title`), `dashboard-link`, `new-dashboard-title`,
 * `new-dashboard-team`, `new-dashboard-template`, `new-dashboard-submit`.
 */
export function DashboardListPage() {
  useDocumentTitle('Dashboards');
  const me = useSignedIn();
  const list = useQuery(dashboardListQuery);
  const now = useNow();
  return (
    <section className="page" data-testid="dashboard-list">
      <div className="page__header">
        <h1>Dashboards</h1>
        <p className="lead">Widgets on your teams&rsquo; live metrics, edited together.</p>
      </div>
      <NewDashboard teams={me.teams.filter((team) => can(team.role, 'follow'))} />
      {list.isPending && <Loading label="Loading the dashboards…" />}
      {list.isError && <ErrorNotice error={list.error} onRetry={() => void list.refetch()} />}
      {list.data !== undefined && (
        <>
          <Section id="mine" title="Mine" items={list.data.mine} now={now} empty="You have not made a dashboard yet." />
          <Section
            id="shared"
            title="Shared with me"
            items={list.data.shared}
            now={now}
            empty="Nothing is shared with you."
          />
          <Section
            id="team"
            title="My teams’"
            items={list.data.team}
            now={now}
            empty="Your teams have no other dashboards."
          />
        </>
      )}
    </section>
  );
}

function Section({
  id,
  title,
  items,
  now,
  empty,
}: {
  readonly id: string;
  readonly title: string;
  readonly items: readonly DashboardSummary[];
  readonly now: number;
  readonly empty: string;
}) {
  return (
    <section className="page__section" data-testid="dashboard-section" data-section={id}>
      <h2>{title}</h2>
      {items.length === 0 ? (
        <p className="muted small">{empty}</p>
      ) : (
        <ul className="dashboard-cards">
          {items.map((item) => (
            <li
              key={item.id}
              className="card dashboard-card"
              data-testid="dashboard-row"
              data-id={item.id}
              data-title={item.title}
            >
              <Link to={`/dashboards/${item.id}`} className="dashboard-card__title" data-testid="dashboard-link">
                {item.title}
              </Link>
              {item.description !== '' && <p className="small">{item.description}</p>}
              <p className="muted small">
                {item.team?.name ?? `team ${item.team_id}`} · {item.widget_count} widget
                {item.widget_count === 1 ? '' : 's'} · {item.role}
                {item.updated_at !== null && ` · changed ${formatAgo(item.updated_at, now)}`}
                {item.updated_by !== null && ` by ${item.updated_by.login}`}
              </p>
            </li>
          ))}
        </ul>
      )}
    </section>
  );
}

function NewDashboard({ teams }: { readonly teams: readonly { readonly id: number; readonly name: string }[] }) {
  const templates = useQuery(templatesQuery);
  const create = useCreateDashboard();
  const navigate = useNavigate();
  const [title, setTitle] = useState('');
  const [teamId, setTeamId] = useState<number | null>(teams[0]?.id ?? null);
  const [template, setTemplate] = useState<string>('');
  if (teams.length === 0) {
    return null;
  }
  const submit = (event: SyntheticEvent) => {
    event.preventDefault();
    const chosen = templates.data?.templates.find((candidate) => candidate.id === template);
    const name = title.trim() === '' ? (chosen?.title ?? 'Untitled dashboard') : title.trim();
    const team = teamId ?? teams[0]?.id;
    if (team === undefined) {
      return;
    }
    create.mutate(
      { teamId: team, title: name, template: template === '' ? null : template },
      {
        onSuccess: (snapshot) => {
          void navigate(`/dashboards/${snapshot.id}`);
        },
      },
    );
  };
  return (
    <form className="card form dashboard-new" onSubmit={submit}>
      <h2>New dashboard</h2>
      <div className="dashboard-new__fields">
        <label className="field">
          <span className="field__label">Title</span>
          <input
            className="input"
            value={title}
            maxLength={200}
            onChange={(event) => {
              setTitle(event.target.value);
            }}
            placeholder="The template's name"
            data-testid="new-dashboard-title"
          />
        </label>
        {teams.length > 1 && (
          <label className="field">
            <span className="field__label">Team</span>
            <select
              className="select"
              value={teamId ?? ''}
              onChange={(event) => {
                setTeamId(Number(event.target.value));
              }}
              data-testid="new-dashboard-team"
            >
              {teams.map((team) => (
                <option key={team.id} value={team.id}>
                  {team.name}
                </option>
              ))}
            </select>
          </label>
        )}
        <label className="field">
          <span className="field__label">Start from</span>
          <select
            className="select"
            value={template}
            onChange={(event) => {
              setTemplate(event.target.value);
            }}
            data-testid="new-dashboard-template"
          >
            <option value="">An empty dashboard</option>
            {templates.data?.templates.map((candidate) => (
              <option key={candidate.id} value={candidate.id}>
                {candidate.title}
              </option>
            ))}
          </select>
        </label>
        <button
          type="submit"
          className="button button--primary"
          disabled={create.isPending}
          data-testid="new-dashboard-submit"
        >
          Create
        </button>
      </div>
      {create.isError && <p className="notice notice--error">{errorMessage(create.error)}</p>}
    </form>
  );
}
