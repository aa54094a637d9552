/**
 * A team's members, their roles, and the audit log: queries, and the rules the
 * settings page follows to offer only what the server would allow (the server
 * checks again: see core/teams.py).
 */
import { queryOptions, useMutation, useQueryClient } from '@tanstack/react-query';

import { arrayOf, decoder, getJson, nullable, num, object, oneOf, recordOf, send, sendJson, str } from '../../api';
import { ME_QUERY_KEY } from '../../queryClient';
import type { Role } from '../auth/model';

export const ROLES: readonly Role[] = ['owner', 'admin', 'member', 'viewer'];

const readRole = oneOf('owner', 'admin', 'member', 'viewer');

const readMember = object({
  user_id: num,
  login: str,
  name: nullable(str),
  avatar_url: nullable(str),
  role: readRole,
});
export type Member = ReturnType<typeof readMember>;
const decodeMembers = decoder(arrayOf(readMember));
const decodeMember = decoder(readMember);

const readAuditEntry = object({
  id: str,
  type: str,
  occurred_at: str,
  actor: nullable(str),
  subject: str,
  data: recordOf((value: unknown) => value),
});
export type AuditEntry = ReturnType<typeof readAuditEntry>;
const decodeAuditPage = decoder(object({ items: arrayOf(readAuditEntry), next_before: nullable(str) }));

export const membersKey = (teamId: number) => ['teams', teamId, 'members'] as const;
export const auditKeyPrefix = (teamId: number) => ['teams', teamId, 'audit'] as const;

export function membersQuery(teamId: number) {
  return queryOptions({
    queryKey: membersKey(teamId),
    queryFn: ({ signal }) => getJson(`/api/teams/${teamId}/members`, decodeMembers, { signal }),
  });
}

export function auditQuery(teamId: number) {
  return queryOptions({
    queryKey: [...auditKeyPrefix(teamId), 'latest'],
    queryFn: ({ signal }) => getJson(`/api/teams/${teamId}/audit?limit=100`, decodeAuditPage, { signal }),
  });
}

export const auditCsvUrl = (teamId: number) => `/api/teams/${teamId}/audit?format=csv&limit=500`;

/** Whether `role` manages the team (roles, removals, the audit log). */
export function canManage(role: Role): boolean {
  return role === 'owner' || role === 'admin';
}

/**
 * The roles `actor` may give a member who is now `target`: none without
 * managing the team; only an owner touches owners; the last owner keeps the role.
 */
export function assignableRoles(actor: Role, target: Role, owners: number): readonly Role[] {
  if (!canManage(actor)) {
    return [];
  }
  if (target === 'owner' && (actor !== 'owner' || owners <= 1)) {
    return [];
  }
  return actor === 'owner' ? ROLES : ROLES.filter((role) => role !== 'owner');
}

/** Whether `actor` may remove `target` (or leave, when it is themselves). */
export function canRemove(actor: Role, target: Role, owners: number, self: boolean): boolean {
  if (target === 'owner' && owners <= 1) {
    return false;
  }
  if (self) {
    return true;
  }
  return canManage(actor) && (target !== 'owner' || actor === 'owner');
}

export function useChangeRole(teamId: number) {
  const queryClient = useQueryClient();
  return useMutation({
    mutationFn: ({ userId, role }: { userId: number; role: Role }) =>
      sendJson('PATCH', `/api/teams/${teamId}/members/${userId}`, { role }, decodeMember),
    onSettled: () => queryClient.invalidateQueries({ queryKey: membersKey(teamId) }),
  });
}

export function useRemoveMember(teamId: number) {
  const queryClient = useQueryClient();
  return useMutation({
    mutationFn: (userId: number) => send('DELETE', `/api/teams/${teamId}/members/${userId}`),
    onSettled: async () => {
      await queryClient.invalidateQueries({ queryKey: membersKey(teamId) });
      await queryClient.invalidateQueries({ queryKey: ME_QUERY_KEY });
    },
  });
}
