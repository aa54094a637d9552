import { useQuery } from '@tanstack/react-query';
import { useState, type SyntheticEvent } from 'react';

import { errorMessage } from '../../../api';
import { ErrorNotice, Loading } from '../../../components/PageState';
import type { Team } from '../../auth/model';
import type { DashboardRole } from '../model';
import { grantsQuery, linksQuery, useGrantMutations, useLinkMutations } from '../queries';

const ROLES: readonly DashboardRole[] = ['viewer', 'editor', 'owner'];

/**
 * Who may see and edit the dashboard (grants to people and teams, with roles)
 * and its read-only links (optional expiry, revocable). Owners change them;
 * others only see the grants. Test ids: `share-panel`, `grant-row`
 * (`data-subject`, `data-role`), `grant-login`, `grant-team`, `grant-role`,
 * `grant-add`, `grant-remove`, `link-create`, `link-expiry`, `link-url`,
 * `link-row` (`data-link-id`), `link-revoke`.
 */
export function SharePanel({
  dashboardId,
  isOwner,
  teams,
  onClose,
}: {
  readonly dashboardId: number;
  readonly isOwner: boolean;
  readonly teams: readonly Team[];
  readonly onClose: () => void;
}) {
  const grants = useQuery(grantsQuery(dashboardId));
  const links = useQuery({ ...linksQuery(dashboardId), enabled: isOwner });
  const grant = useGrantMutations(dashboardId);
  const link = useLinkMutations(dashboardId);
  const [subjectKind, setSubjectKind] = useState<'user' | 'team'>('user');
  const [login, setLogin] = useState('');
  const [teamId, setTeamId] = useState<number | null>(teams[0]?.id ?? null);
  const [role, setRole] = useState<DashboardRole>('viewer');
  const [expiry, setExpiry] = useState('');

  const addGrant = (event: SyntheticEvent) => {
    event.preventDefault();
    if (subjectKind === 'user' && login.trim() !== '') {
      grant.put.mutate(
        { subject: { login: login.trim() }, role },
        {
          onSuccess: () => {
            setLogin('');
          },
        },
      );
    } else if (subjectKind === 'team' && teamId !== null) {
      grant.put.mutate({ subject: { team_id: teamId }, role });
    }
  };
  const createLink = (event: SyntheticEvent) => {
    event.preventDefault();
    link.create.mutate(expiry === '' ? null : new Date(expiry).toISOString());
  };

  return (
    <aside className="side-panel" data-testid="share-panel" aria-label="Sharing">
      <div className="side-panel__header">
        <h2>Share</h2>
        <button
          type="button"
          className="button button--small button--quiet"
          onClick={onClose}
          data-testid="panel-close"
        >
          Close
        </button>
      </div>
      <div className="side-panel__body">
        <h3>People and teams</h3>
        {grants.isPending && <Loading />}
        {grants.isError && <ErrorNotice error={grants.error} />}
        {grants.data?.grants.length === 0 && <p className="muted small">Only the team&rsquo;s members see it.</p>}
        <ul className="share-list">
          {grants.data?.grants.map((item) => {
            const subject = item.subject === 'user' ? (item.user?.login ?? '?') : `team ${item.team?.name ?? '?'}`;
            const key = item.subject === 'user' ? `user-${item.user?.id ?? 0}` : `team-${item.team?.id ?? 0}`;
            const target =
              item.subject === 'user' ? { login: item.user?.login ?? '' } : { team_id: item.team?.id ?? 0 };
            return (
              <li
                key={key}
                className="share-list__row"
                data-testid="grant-row"
                data-subject={subject}
                data-role={item.role}
              >
                <span>{subject}</span>
                {isOwner ? (
                  <select
                    className="select select--compact"
                    value={item.role}
                    onChange={(event) => {
                      grant.put.mutate({ subject: target, role: event.target.value as DashboardRole });
                    }}
                    aria-label={`Role of ${subject}`}
                  >
                    {ROLES.map((option) => (
                      <option key={option}>{option}</option>
                    ))}
                  </select>
                ) : (
                  <span className="chip">{item.role}</span>
                )}
                {isOwner && (
                  <button
                    type="button"
                    className="button button--small button--quiet"
                    data-testid="grant-remove"
                    onClick={() => {
                      grant.remove.mutate(
                        item.subject === 'user' ? { user_id: item.user?.id ?? 0 } : { team_id: item.team?.id ?? 0 },
                      );
                    }}
                  >
                    Remove
                  </button>
                )}
              </li>
            );
          })}
        </ul>
        {isOwner && (
          <form className="share-form" onSubmit={addGrant}>
            <select
              className="select select--compact"
              value={subjectKind}
              onChange={(event) => {
                setSubjectKind(event.target.value === 'team' ? 'team' : 'user');
              }}
              aria-label="Share with"
            >
              <option value="user">a person</option>
              <option value="team">a team</option>
            </select>
            {subjectKind === 'user' ? (
              <input
                className="input"
                placeholder="GitHub login"
                value={login}
                onChange={(event) => {
                  setLogin(event.target.value);
                }}
                data-testid="grant-login"
              />
            ) : (
              <select
                className="select"
                value={teamId ?? ''}
                onChange={(event) => {
                  setTeamId(Number(event.target.value));
                }}
                data-testid="grant-team"
              >
                {teams.map((team) => (
                  <option key={team.id} value={team.id}>
                    {team.name}
                  </option>
                ))}
              </select>
            )}
            <select
              className="select select--compact"
              value={role}
              onChange={(event) => {
                setRole(event.target.value as DashboardRole);
              }}
              data-testid="grant-role"
              aria-label="Role"
            >
              {ROLES.map((option) => (
                <option key={option}>{option}</option>
              ))}
            </select>
            <button
              type="submit"
              className="button button--small button--primary"
              data-testid="grant-add"
              disabled={grant.put.isPending}
            >
              Share
            </button>
          </form>
        )}
        {grant.put.isError && <p className="notice notice--error">{errorMessage(grant.put.error)}</p>}

        {isOwner && (
          <>
            <h3>Read-only links</h3>
            <p className="muted small">
              Anyone with a link sees the dashboard without signing in, until it expires or is revoked.
            </p>
            <form className="share-form" onSubmit={createLink}>
              <label className="small">
                Expires{' '}
                <input
                  className="input"
                  type="datetime-local"
                  value={expiry}
                  onChange={(event) => {
                    setExpiry(event.target.value);
                  }}
                  data-testid="link-expiry"
                />
              </label>
              <button
                type="submit"
                className="button button--small button--primary"
                data-testid="link-create"
                disabled={link.create.isPending}
              >
                Create link
              </button>
            </form>
            {link.create.isError && <p className="notice notice--error">{errorMessage(link.create.error)}</p>}
            {link.create.data !== undefined && (
              <p className="notice notice--info small">
                New link (shown once):{' '}
                <a href={link.create.data.url} data-testid="link-url" target="_blank" rel="noreferrer">
                  {link.create.data.url}
                </a>
              </p>
            )}
            <ul className="share-list">
              {links.data?.links.map((item) => (
                <li key={item.id} className="share-list__row" data-testid="link-row" data-link-id={item.id}>
                  <span className="small">
                    created {new Date(item.created_at).toLocaleString()}
                    {item.expires_at === null
                      ? ', no expiry'
                      : `, expires ${new Date(item.expires_at).toLocaleString()}`}
                  </span>
                  <button
                    type="button"
                    className="button button--small button--quiet"
                    onClick={() => {
                      link.revoke.mutate(item.id);
                    }}
                    data-testid="link-revoke"
                  >
                    Revoke
                  </button>
                </li>
              ))}
            </ul>
          </>
        )}
      </div>
    </aside>
  );
}
