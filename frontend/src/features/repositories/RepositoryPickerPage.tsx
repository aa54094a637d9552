import { useQuery } from '@tanstack/react-query';
import { useId, useState, type SubmitEvent } from 'react';
import { Link } from 'react-router-dom';

import { errorMessage } from '../../api';
import { EmptyState, ErrorNotice, Loading } from '../../components/PageState';
import { useDocumentTitle } from '../../components/useDocumentTitle';
import { useNow } from '../../components/useNow';
import type { Team } from '../auth/model';
import { can } from '../auth/model';
import { useTeamLive } from '../live/hooks';
import { formatAgo, formatNumber } from '../metrics/format';
import { useTeam } from '../teams/TeamLayout';
import { matchesWords, type Candidate, type Repository } from './model';
import { candidatesQuery, repositoriesQuery, useFollow } from './queries';

/** `/teams/:teamId/repositories/add`: the repositories the user sees on GitHub, to follow or unfollow. */
export function RepositoryPickerPage() {
  const team = useTeam();
  useDocumentTitle(`Add repositories · ${team.name}`);
  const candidates = useQuery(candidatesQuery(team.id));
  const repositories = useQuery(repositoriesQuery(team.id, useTeamLive(team.id)));
  const [query, setQuery] = useState('');
  const [hideFollowed, setHideFollowed] = useState(false);
  const searchId = useId();
  const allowed = can(team.role, 'follow');

  const list = candidates.data ?? [];
  const shown = list
    .filter(
      (candidate) =>
        matchesWords(query, [candidate.full_name, candidate.description, candidate.language]) &&
        (!hideFollowed || !candidate.followed),
    )
    .sort((a, b) => a.full_name.localeCompare(b.full_name));
  const followedCount = list.filter((candidate) => candidate.followed).length;

  return (
    <section className="page" aria-labelledby="picker-title">
      <div className="page__header page__header--row">
        <div>
          <h1 id="picker-title">Add repositories</h1>
          <p className="muted">
            Repositories you can see on GitHub. {team.name} follows {followedCount}
            {candidates.data === undefined ? '' : ` of these ${list.length}`}; following one starts its sync.
          </p>
        </div>
        <Link className="button" to={`/teams/${team.id}/repositories`} data-testid="picker-done">
          Done
        </Link>
      </div>

      {!allowed && (
        <p className="notice notice--info">
          Your role in {team.name} ({team.role}) may look but not follow or unfollow repositories.
        </p>
      )}

      {candidates.isPending && <Loading label="Asking GitHub for your repositories…" />}
      {candidates.isError && (
        <ErrorNotice
          error={candidates.error}
          prefix="Could not list your GitHub repositories"
          onRetry={() => void candidates.refetch()}
        />
      )}

      {candidates.data !== undefined && (
        <>
          <div className="toolbar" role="search">
            <label htmlFor={searchId} className="visually-hidden">
              Search repositories
            </label>
            <input
              id={searchId}
              type="search"
              className="input toolbar__search"
              placeholder="Search name, description, language…"
              value={query}
              data-testid="candidate-search"
              onChange={(event) => {
                setQuery(event.target.value);
              }}
            />
            <label className="check-label">
              <input
                type="checkbox"
                checked={hideFollowed}
                onChange={(event) => {
                  setHideFollowed(event.target.checked);
                }}
              />
              Hide followed
            </label>
          </div>
          {list.length === 0 ? (
            <EmptyState title="GitHub lists no repository for you.">
              HubDeck shows the repositories your GitHub account can read. Follow one by name below.
            </EmptyState>
          ) : shown.length === 0 ? (
            <EmptyState title="No repository matches." />
          ) : (
            <ul className="candidate-list card">
              {shown.map((candidate) => (
                <CandidateRow
                  key={candidate.github_id}
                  candidate={candidate}
                  team={team}
                  followedAs={repositories.data?.find((r) => r.github_id === candidate.github_id)}
                  repositoriesLoaded={repositories.data !== undefined}
                  allowed={allowed}
                />
              ))}
            </ul>
          )}
        </>
      )}

      {allowed && <FollowByName team={team} />}
    </section>
  );
}

function CandidateRow({
  candidate,
  team,
  followedAs,
  repositoriesLoaded,
  allowed,
}: {
  readonly candidate: Candidate;
  readonly team: Team;
  readonly followedAs: Repository | undefined;
  readonly repositoriesLoaded: boolean;
  readonly allowed: boolean;
}) {
  const follow = useFollow(team.id);
  const now = useNow();
  const followed = candidate.followed;
  // Unfollowing needs the followed repository's id, from the team's list.
  const blocked = !allowed || (followed && followedAs === undefined && !follow.isPending) || !repositoriesLoaded;
  return (
    <li
      className="candidate"
      data-testid="candidate-row"
      data-full-name={candidate.full_name}
      data-followed={String(followed)}
    >
      <div className="candidate__main">
        <div className="repo-row__title">
          {followedAs !== undefined ? (
            <Link to={`/teams/${team.id}/repositories/${followedAs.id}`} className="repo-row__name">
              {candidate.full_name}
            </Link>
          ) : (
            <span className="repo-row__name">{candidate.full_name}</span>
          )}
          {candidate.private && <span className="chip">private</span>}
        </div>
        {candidate.description !== null && <p className="repo-row__description muted">{candidate.description}</p>}
        <p className="repo-row__facts muted small">
          {candidate.language !== null && <span>{candidate.language}</span>}
          <span>★ {formatNumber(candidate.stars)}</span>
          <span>pushed {formatAgo(candidate.pushed_at, now)}</span>
        </p>
        {follow.isError && (
          <p className="form__error" role="alert" data-testid="follow-error">
            Could not {follow.variables.follow ? 'follow' : 'unfollow'} {candidate.full_name}: {errorMessage(follow.error)}
          </p>
        )}
      </div>
      <button
        type="button"
        className={`button ${followed ? 'button--following' : 'button--primary'}`}
        data-testid="follow-button"
        data-followed={String(followed)}
        aria-pressed={followed}
        disabled={blocked || follow.isPending}
        onClick={() => {
          follow.mutate({
            fullName: candidate.full_name,
            githubId: candidate.github_id,
            follow: !followed,
            ...(followedAs === undefined ? {} : { repositoryId: followedAs.id }),
          });
        }}
      >
        {follow.isPending ? (followed ? 'Following…' : 'Unfollowing…') : followed ? 'Unfollow' : 'Follow'}
      </button>
    </li>
  );
}

/** Follow any repository by `owner/name`, e.g. a public one of another organisation. */
function FollowByName({ team }: { readonly team: Team }) {
  const follow = useFollow(team.id);
  const [name, setName] = useState('');
  const inputId = useId();
  const valid = /^[\w.-]+\/[\w.-]+$/.test(name.trim());
  const submit = (event: SubmitEvent<HTMLFormElement>) => {
    event.preventDefault();
    if (!valid) {
      return;
    }
    follow.mutate(
      { fullName: name.trim(), follow: true },
      {
        onSuccess: () => {
          setName('');
        },
      },
    );
  };
  return (
    <form className="card form follow-by-name" onSubmit={submit}>
      <label htmlFor={inputId} className="form__label">
        Follow by name
      </label>
      <div className="invite__row">
        <input
          id={inputId}
          className="input input--mono"
          placeholder="owner/name"
          value={name}
          data-testid="follow-by-name-input"
          onChange={(event) => {
            setName(event.target.value);
            follow.reset();
          }}
        />
        <button
          type="submit"
          className="button"
          disabled={!valid || follow.isPending}
          data-testid="follow-by-name-submit"
        >
          {follow.isPending ? 'Following…' : 'Follow'}
        </button>
      </div>
      {follow.isError && (
        <p className="form__error" role="alert">
          {errorMessage(follow.error)}
        </p>
      )}
      {follow.isSuccess && follow.data !== null && (
        <p className="muted small" role="status">
          Following{' '}
          <Link to={`/teams/${team.id}/repositories/${follow.data.id}`}>{follow.data.full_name}</Link>; its first sync
          has started.
        </p>
      )}
    </form>
  );
}
