import { useQueryClient } from '@tanstack/react-query';
import { useCallback, useState } from 'react';
import { useNavigate } from 'react-router-dom';

import { useChannel, type ChannelState } from '../../realtime';
import { userChannel } from '../live/channelNames';
import { queryRefresherFor, resync } from '../live/refresher';
import { compareVersions, findNotification, SeenNotifications, type ListData } from './cache';
import { linkTarget } from './decisions';
import { decodeNotificationEvent, type NotificationEvent } from './events';
import type { Notification } from './model';
import { LIVE_TARGETS, applyLiveEvent, listsKey, useMarkRead } from './queries';

/** A new notification, or a new occurrence of one, as it arrives live. */
export type NewsHandler = (event: Extract<NotificationEvent, { type: 'created' | 'updated' }>, news: boolean) => void;

/**
 * Keeps the notification caches in step with `user:{id}` while signed in:
 * events change the lists and the count at once; a resync (first subscribe,
 * a reconnect that could not recover) refetches them. `onNews` hears of each
 * created or updated one, with whether it is news (not seen in that state before:
 * from a recovery overlapping a refetch, say).
 */
export function useLiveNotifications(userId: number | null, onNews: NewsHandler): ChannelState {
  const queryClient = useQueryClient();
  const refresher = queryRefresherFor(queryClient);
  const [seen] = useState(() => new SeenNotifications());
  return useChannel(userId === null ? null : userChannel(userId), {
    onPublication: (data) => {
      const event = decodeNotificationEvent(data);
      if (event === null) {
        return;
      }
      if (event.type === 'read' || event.type === 'archived') {
        applyLiveEvent(queryClient, event);
        return;
      }
      // Before applying it: a refetch may have brought this state already.
      const known = queryClient
        .getQueriesData<ListData>({ queryKey: listsKey })
        .some(([, list]) => {
          const cached = findNotification(list, event.notification.id);
          return cached !== undefined && compareVersions(cached, event.notification) >= 0;
        });
      const news = seen.accept(event.notification) && !known;
      applyLiveEvent(queryClient, event);
      onNews(event, news);
    },
    onResync: (reason, at) => {
      resync(refresher, LIVE_TARGETS, reason, at);
    },
    onSubscribed: () => {
      refresher.retryFailed(LIVE_TARGETS);
    },
  });
}

/** Opens a notification: marks it read (if it is not) and goes to its link. */
export function useOpenNotification(): (notification: Notification) => void {
  const navigate = useNavigate();
  const markRead = useMarkRead();
  const { mutate } = markRead;
  return useCallback(
    (notification: Notification) => {
      if (notification.read_at === null) {
        mutate([notification.id]);
      }
      const target = linkTarget(notification.link, window.location.origin);
      if (target?.kind === 'internal') {
        void navigate(target.path);
      } else if (target?.kind === 'external') {
        window.location.assign(target.url);
      }
    },
    [mutate, navigate],
  );
}
