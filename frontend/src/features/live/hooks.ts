import { useQueryClient } from '@tanstack/react-query';
import { useState } from 'react';

import {
  useChannel,
  useChannelState,
  usePresence,
  type ChannelState,
  type LiveEvent,
  type PresentUser,
} from '../../realtime';
import { repositoryChannel, teamChannel } from './channelNames';
import { pushRecent } from './describe';
import { refreshTargets, resyncTargets, type LiveScope } from './invalidation';
import { queryRefresherFor, resync } from './refresher';

/** Whether a channel delivers events now (connected and subscribed). */
export function isLive(state: ChannelState): boolean {
  return state.status === 'subscribed';
}

/**
 * Keeps the team's queries fresh from `team:{id}` while mounted (the team
 * layout): the repository list, every repository and the metrics.
 */
export function useLiveTeam(teamId: number | null): ChannelState {
  const refresher = queryRefresherFor(useQueryClient());
  const scope: LiveScope | null = teamId === null ? null : { kind: 'team', teamId };
  return useChannel(scope === null ? null : teamChannel(scope.teamId), {
    onEvent: (event) => {
      if (scope !== null) {
        refresher.refresh(refreshTargets(event, scope));
      }
    },
    onResync: (reason, at) => {
      if (scope !== null) {
        resync(refresher, resyncTargets(scope), reason, at);
      }
    },
    // Back after an outage: what failed meanwhile is fetched again.
    onSubscribed: () => {
      if (scope !== null) {
        refresher.retryFailed(resyncTargets(scope));
      }
    },
  });
}

/** Whether the team's channel delivers events now (see {@link useLiveTeam}, which subscribes it). */
export function useTeamLive(teamId: number): boolean {
  return isLive(useChannelState(teamChannel(teamId)));
}

export interface LiveRepository {
  readonly state: ChannelState;
  /** The last events, newest first (at most five). */
  readonly events: readonly LiveEvent[];
  /** Who is looking at the repository (this user included). */
  readonly present: readonly PresentUser[];
}

interface Recent {
  readonly channel: string | null;
  readonly events: readonly LiveEvent[];
}

const NO_EVENTS: readonly LiveEvent[] = [];

/**
 * The repository page's live side: subscribes `repo:{id}` with presence,
 * refreshes the repository and its metrics on its events (coalesced), keeps
 * the last events for the ticker.
 */
export function useLiveRepository(teamId: number, repositoryId: number | null): LiveRepository {
  const refresher = queryRefresherFor(useQueryClient());
  const channel = repositoryId === null ? null : repositoryChannel(repositoryId);
  const scope: LiveScope | null =
    repositoryId === null ? null : { kind: 'repository', teamId, repositoryId };
  const [recent, setRecent] = useState<Recent>({ channel: null, events: NO_EVENTS });

  const state = useChannel(
    channel,
    {
      onEvent: (event) => {
        if (scope === null) {
          return;
        }
        refresher.refresh(refreshTargets(event, scope));
        setRecent((previous) => ({
          channel,
          events: pushRecent(previous.channel === channel ? previous.events : NO_EVENTS, event),
        }));
      },
      onResync: (reason, at) => {
        if (scope !== null) {
          resync(refresher, resyncTargets(scope), reason, at);
        }
      },
      onSubscribed: () => {
        if (scope !== null) {
          refresher.retryFailed(resyncTargets(scope));
        }
      },
    },
    { joinLeave: true },
  );
  const present = usePresence(channel);
  return { state, events: recent.channel === channel ? recent.events : NO_EVENTS, present };
}
