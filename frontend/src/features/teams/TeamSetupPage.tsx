import { useId, useState, type SubmitEvent } from 'react';
import { Link, useNavigate } from 'react-router-dom';

import { ApiError, errorMessage } from '../../api';
import { useDocumentTitle } from '../../components/useDocumentTitle';
import { useSignedIn } from '../auth/RequireUser';
import { rememberTeam } from './currentTeam';
import { useCreateTeam } from './queries';

/** What the server's refusal means for the person typing the name. */
export function teamCreateErrorText(error: unknown, name: string): string {
  if (error instanceof ApiError) {
    if (error.status === 409) {
      return `A team named “${name.trim()}” already exists. Choose another name, or ask one of its owners for an invitation link.`;
    }
    if (error.status === 422) {
      return `This name cannot be used: ${error.message}.`;
    }
  }
  return `The team could not be created: ${errorMessage(error)}`;
}

/** `/teams/new`, also where a user without a team lands. */
export function TeamSetupPage() {
  useDocumentTitle('Create a team');
  const me = useSignedIn();
  const navigate = useNavigate();
  const create = useCreateTeam();
  const [name, setName] = useState('');
  const inputId = useId();
  const errorId = useId();
  const firstTeam = me.teams.length === 0;

  const submit = (event: SubmitEvent<HTMLFormElement>) => {
    event.preventDefault();
    if (name.trim() === '' || create.isPending) {
      return;
    }
    create.mutate(name.trim(), {
      onSuccess: (team) => {
        rememberTeam(team.id);
        void navigate(`/teams/${team.id}/repositories/add`);
      },
    });
  };

  return (
    <section className="page page--narrow" aria-labelledby="team-new-title">
      <div className="page__header">
        <h1 id="team-new-title">{firstTeam ? `Welcome, ${me.user.name ?? me.user.login}` : 'Create a team'}</h1>
        <p className="lead">
          {firstTeam
            ? 'You are not in a team yet. Create one to follow your repositories, then invite your teammates.'
            : 'A team follows a set of repositories and shares their dashboards.'}
        </p>
      </div>
      <form className="card form" onSubmit={submit} noValidate>
        <label htmlFor={inputId} className="form__label">
          Team name
        </label>
        <input
          id={inputId}
          className="input"
          data-testid="team-name-input"
          value={name}
          maxLength={100}
          autoComplete="off"
          placeholder="e.g. Platform"
          aria-invalid={create.isError}
          aria-describedby={create.isError ? errorId : undefined}
          onChange={(event) => {
            setName(event.target.value);
            if (create.isError) {
              create.reset();
            }
          }}
        />
        {create.isError && (
          <p id={errorId} className="form__error" role="alert" data-testid="team-create-error">
            {teamCreateErrorText(create.error, name)}
          </p>
        )}
        <div className="form__actions">
          <button
            type="submit"
            className="button button--primary"
            data-testid="team-create-submit"
            disabled={name.trim() === '' || create.isPending}
          >
            {create.isPending ? 'Creating…' : 'Create team'}
          </button>
          {!firstTeam && <Link to="/">Cancel</Link>}
        </div>
        <p className="muted small">
          Joining an existing team instead? Ask one of its owners for an invitation link and open it.
        </p>
      </form>
    </section>
  );
}
