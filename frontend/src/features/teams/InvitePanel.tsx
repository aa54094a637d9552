import { useId, useRef, useState } from 'react';

import { ErrorNotice } from '../../components/PageState';
import type { Role, Team } from '../auth/model';
import { useCreateInvitation } from './queries';

const roleHelp: Record<Role, string> = {
  viewer: 'sees the dashboards',
  member: 'also follows and syncs repositories',
  admin: 'also invites people and manages the team',
  owner: 'everything, including inviting owners',
};

/** Create an invitation link and copy it. Owners and admins only (the page checks). */
export function InvitePanel({ team }: { readonly team: Team }) {
  const invite = useCreateInvitation(team.id);
  const [role, setRole] = useState<Role>('member');
  const [copied, setCopied] = useState<boolean | null>(null);
  const urlRef = useRef<HTMLInputElement>(null);
  const roleId = useId();
  const roles: Role[] = team.role === 'owner' ? ['viewer', 'member', 'admin', 'owner'] : ['viewer', 'member', 'admin'];

  const copy = async (url: string) => {
    try {
      await navigator.clipboard.writeText(url);
      setCopied(true);
    } catch {
      // No clipboard access (insecure context, denied): select it for Ctrl+C.
      urlRef.current?.select();
      setCopied(false);
    }
  };

  return (
    <div className="card invite" data-testid="invite-panel">
      <h2>Invite a teammate</h2>
      <p className="muted small">
        Anyone signed in who opens the link joins <strong>{team.name}</strong>. A link works once.
      </p>
      <div className="invite__row">
        <label htmlFor={roleId}>Role</label>
        <select
          id={roleId}
          className="select"
          value={role}
          data-testid="invite-role"
          onChange={(event) => {
            setRole(event.target.value as Role);
          }}
        >
          {roles.map((value) => (
            <option key={value} value={value}>
              {value} — {roleHelp[value]}
            </option>
          ))}
        </select>
        <button
          type="button"
          className="button"
          data-testid="invite-create"
          disabled={invite.isPending}
          onClick={() => {
            setCopied(null);
            invite.mutate(role);
          }}
        >
          {invite.isPending ? 'Creating…' : 'Create invitation link'}
        </button>
      </div>
      {invite.isError && <ErrorNotice error={invite.error} prefix="Could not create the link" />}
      {invite.data !== undefined && (
        <div className="invite__row">
          <input
            ref={urlRef}
            className="input input--mono"
            readOnly
            value={invite.data.url}
            aria-label="Invitation link"
            data-testid="invite-url"
            onFocus={(event) => {
              event.target.select();
            }}
          />
          <button
            type="button"
            className="button button--primary"
            data-testid="invite-copy"
            onClick={() => void copy(invite.data.url)}
          >
            {copied === true ? 'Copied' : 'Copy link'}
          </button>
        </div>
      )}
      {invite.data !== undefined && copied === false && (
        <p className="muted small">Copying is not allowed here: the link is selected, press Ctrl+C (⌘C).</p>
      )}
      {invite.data !== undefined && (
        <p className="muted small" aria-live="polite">
          Joins as <strong>{invite.data.role}</strong>.
        </p>
      )}
    </div>
  );
}
