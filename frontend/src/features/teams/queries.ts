import { useMutation, useQueryClient } from '@tanstack/react-query';

import { decoder, object, oneOf, sendJson, str, type Reader } from '../../api';
import { ME_QUERY_KEY } from '../../queryClient';
import { decodeTeam, type Me, type Role, type Team } from '../auth/model';

export interface Invitation {
  readonly token: string;
  readonly url: string;
  readonly role: Role;
}

const readInvitation: Reader<Invitation> = object({
  token: str,
  url: str,
  role: oneOf('owner', 'admin', 'member', 'viewer'),
});
const decodeInvitation = decoder(readInvitation);

/** Adds or replaces `team` in the cached `/api/me`, so the pages know it at once. */
export function withTeam(me: Me | undefined, team: Team): Me | undefined {
  if (me === undefined) {
    return undefined;
  }
  const others = me.teams.filter((existing) => existing.id !== team.id);
  return { ...me, teams: [...others, team] };
}

function useTeamJoined() {
  const queryClient = useQueryClient();
  return (team: Team) => {
    queryClient.setQueryData<Me>(ME_QUERY_KEY, (me) => withTeam(me, team));
    void queryClient.invalidateQueries({ queryKey: ME_QUERY_KEY });
  };
}

/** `POST /api/teams`. Errors: 409 the name (its slug) is taken, 422 invalid. */
export function useCreateTeam() {
  const joined = useTeamJoined();
  return useMutation({
    mutationFn: (name: string) => sendJson('POST', '/api/teams', { name, github_org: null }, decodeTeam),
    onSuccess: joined,
  });
}

/** `POST /api/invitations/{token}/accept`. */
export function useAcceptInvitation() {
  const joined = useTeamJoined();
  return useMutation({
    mutationFn: (token: string) =>
      sendJson('POST', `/api/invitations/${encodeURIComponent(token)}/accept`, undefined, decodeTeam),
    onSuccess: joined,
  });
}

/** `POST /api/teams/{id}/invitations`. */
export function useCreateInvitation(teamId: number) {
  return useMutation({
    mutationFn: (role: Role) => sendJson('POST', `/api/teams/${teamId}/invitations`, { role }, decodeInvitation),
  });
}
