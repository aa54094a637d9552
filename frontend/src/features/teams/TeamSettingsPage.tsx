import { useQuery } from '@tanstack/react-query';
import { useNavigate } from 'react-router-dom';

import { EmptyState, ErrorNotice, Loading } from '../../components/PageState';
import { useDocumentTitle } from '../../components/useDocumentTitle';
import type { Role } from '../auth/model';
import { useSignedIn } from '../auth/RequireUser';
import { InvitePanel } from './InvitePanel';
import {
  assignableRoles,
  auditCsvUrl,
  auditQuery,
  canManage,
  canRemove,
  membersQuery,
  useChangeRole,
  useRemoveMember,
  type AuditEntry,
  type Member,
} from './members';
import { useTeam } from './TeamLayout';

/** `/teams/:teamId/settings`: members and roles, invitations, the audit log (managers). */
export function TeamSettingsPage() {
  const team = useTeam();
  const me = useSignedIn();
  useDocumentTitle(`${team.name} · Team`);
  const members = useQuery(membersQuery(team.id));
  const manager = canManage(team.role);

  return (
    <section className="page" data-testid="team-settings">
      <div className="page__header">
        <h1>{team.name}</h1>
        <p className="lead">
          Members and their roles. Your role: <strong data-testid="my-role">{team.role}</strong>.
        </p>
      </div>
      {members.isPending && <Loading label="Loading the members…" />}
      {members.isError && (
        <ErrorNotice error={members.error} prefix="Could not load the members" onRetry={() => void members.refetch()} />
      )}
      {members.data !== undefined && (
        <MemberTable teamId={team.id} members={members.data} actorRole={team.role} myId={me.user.id} />
      )}
      {manager && (
        <div className="page__section">
          <InvitePanel team={team} />
        </div>
      )}
      {manager && <AuditLog teamId={team.id} />}
    </section>
  );
}

function MemberTable({
  teamId,
  members,
  actorRole,
  myId,
}: {
  readonly teamId: number;
  readonly members: readonly Member[];
  readonly actorRole: Role;
  readonly myId: number;
}) {
  const changeRole = useChangeRole(teamId);
  const remove = useRemoveMember(teamId);
  const navigate = useNavigate();
  const owners = members.filter((member) => member.role === 'owner').length;

  return (
    <div className="card">
      <h2>Members</h2>
      {changeRole.isError && <ErrorNotice error={changeRole.error} prefix="Could not change the role" />}
      {remove.isError && <ErrorNotice error={remove.error} prefix="Could not remove the member" />}
      <table className="table" data-testid="members-table">
        <thead>
          <tr>
            <th scope="col">Member</th>
            <th scope="col">Role</th>
            <th scope="col">
              <span className="visually-hidden">Actions</span>
            </th>
          </tr>
        </thead>
        <tbody>
          {members.map((member) => {
            const self = member.user_id === myId;
            const roles = assignableRoles(actorRole, member.role, owners);
            return (
              <tr key={member.user_id} data-testid={`member-${member.login}`}>
                <td>
                  {member.name ?? member.login} <span className="muted">@{member.login}</span>
                  {self && <span className="muted"> (you)</span>}
                </td>
                <td>
                  {roles.length > 0 ? (
                    <select
                      className="select"
                      aria-label={`Role of ${member.login}`}
                      value={member.role}
                      disabled={changeRole.isPending}
                      data-testid={`role-${member.login}`}
                      onChange={(event) => {
                        changeRole.mutate({ userId: member.user_id, role: event.target.value as Role });
                      }}
                    >
                      {roles.map((role) => (
                        <option key={role} value={role}>
                          {role}
                        </option>
                      ))}
                    </select>
                  ) : (
                    member.role
                  )}
                </td>
                <td>
                  {canRemove(actorRole, member.role, owners, self) && (
                    <button
                      type="button"
                      className="button button--ghost"
                      disabled={remove.isPending}
                      data-testid={`remove-${member.login}`}
                      onClick={() => {
                        const question = self
                          ? 'Leave this team? You lose access to its pages at once.'
                          : `Remove ${member.login} from the team? They lose access at once.`;
                        if (window.confirm(question)) {
                          remove.mutate(member.user_id, {
                            onSuccess: () => {
                              if (self) {
                                void navigate('/');
                              }
                            },
                          });
                        }
                      }}
                    >
                      {self ? 'Leave' : 'Remove'}
                    </button>
                  )}
                </td>
              </tr>
            );
          })}
        </tbody>
      </table>
    </div>
  );
}

const AUDIT_LABELS: Record<string, string> = {
  'team.member_joined': 'joined',
  'team.role_changed': 'role changed',
  'team.member_removed': 'removed',
  'team.invited': 'invited',
  'dashboard.shared': 'shared a dashboard',
  'dashboard.unshared': 'withdrew a dashboard share',
  'webhook_endpoint.created': 'added a webhook endpoint',
  'webhook_endpoint.updated': 'changed a webhook endpoint',
  'webhook_endpoint.deleted': 'removed a webhook endpoint',
  'webhook_endpoint.secret_rotated': 'rotated a webhook secret',
  'webhook_endpoint.disabled': 'webhook endpoint disabled',
  'pool.credential_added': 'added a pool credential',
  'pool.credential_removed': 'removed a pool credential',
  'pool.credential_revoked': 'pool credential refused by GitHub',
  'session.revoked': 'signed devices out',
};

function describeAudit(entry: AuditEntry): string {
  const label = AUDIT_LABELS[entry.type] ?? entry.type;
  const to = entry.data['to'];
  return typeof to === 'string' ? `${label} → ${to}` : label;
}

function AuditLog({ teamId }: { readonly teamId: number }) {
  const audit = useQuery(auditQuery(teamId));
  return (
    <div className="card page__section" data-testid="audit-log">
      <h2>Audit log</h2>
      <p className="muted small">
        Who changed roles, membership, sharing, webhooks and credentials. Entries cannot be edited.{' '}
        <a href={auditCsvUrl(teamId)} download data-testid="audit-csv">
          Export as CSV
        </a>
      </p>
      {audit.isPending && <Loading label="Loading the audit log…" />}
      {audit.isError && <ErrorNotice error={audit.error} prefix="Could not load the audit log" />}
      {audit.data?.items.length === 0 && (
        <EmptyState title="Nothing recorded yet." testId="audit-empty">
          Role changes and removals appear here.
        </EmptyState>
      )}
      {audit.data !== undefined && audit.data.items.length > 0 && (
        <table className="table table--compact">
          <thead>
            <tr>
              <th scope="col">When</th>
              <th scope="col">Who</th>
              <th scope="col">What</th>
              <th scope="col">Whom</th>
            </tr>
          </thead>
          <tbody>
            {audit.data.items.map((entry) => (
              <tr key={entry.id}>
                <td>{new Date(entry.occurred_at).toLocaleString()}</td>
                <td>{entry.actor ?? '—'}</td>
                <td>{describeAudit(entry)}</td>
                <td>{entry.subject}</td>
              </tr>
            ))}
          </tbody>
        </table>
      )}
    </div>
  );
}
