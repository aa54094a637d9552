import { useQueryClient } from '@tanstack/react-query';
import { useEffect, useRef } from 'react';
import { useLocation } from 'react-router-dom';

import { useChannel, useConnectionState } from '../../realtime';
import { THEME_CHOSEN_EVENT, adoptTheme } from '../../theme/themeStore';
import { userChannel } from '../live/channelNames';
import { rememberTeam } from '../teams/currentTeam';
import { preferencesKey } from '../notifications/queries';
import { dashboardOf, decodeAccountEvent, isRevocation, teamOfDashboard, type DeviceSession } from './model';
import { SESSIONS_KEY, savePreferences } from './queries';
import { markRevoked } from './revoked';

/**
 * What follows the user across devices while signed in: the theme chosen on any of them,
 * the device list, and the end of this device's session when another one revokes it
 * (pushed on `user:{id}`, and the server closes the socket with 3503 "session revoked").
 */
export function useAcrossDevices(userId: number | null): void {
  const queryClient = useQueryClient();
  const state = useConnectionState();
  const { pathname } = useLocation();
  const lastSaved = useRef<string | null>(null);

  useChannel(userId === null ? null : userChannel(userId), {
    onPublication: (data) => {
      const event = decodeAccountEvent(data);
      if (event === null) {
        return;
      }
      if (event.type === 'preferences:updated') {
        if (event.preferences.theme !== null) {
          adoptTheme(event.preferences.theme);
        }
        // The next visit to `/` on this device opens where the user last was on any device.
        const team = teamOfDashboard(event.preferences.last_dashboard);
        if (team !== null) {
          rememberTeam(team);
        }
        lastSaved.current = event.preferences.last_dashboard;
        return;
      }
      if (event.type === 'notification_preferences:updated') {
        void queryClient.invalidateQueries({ queryKey: preferencesKey });
        return;
      }
      const cached = queryClient.getQueryData<{ sessions: readonly DeviceSession[] }>(SESSIONS_KEY);
      const current = cached?.sessions.find((s) => s.current);
      if (event.type === 'session:revoked' && current !== undefined && event.sessions.includes(current.id)) {
        markRevoked();
      }
      void queryClient.invalidateQueries({ queryKey: SESSIONS_KEY });
    },
  });

  useEffect(() => {
    const dashboard = dashboardOf(pathname);
    if (userId === null || dashboard === null || dashboard === lastSaved.current) {
      return;
    }
    lastSaved.current = dashboard;
    savePreferences({ last_dashboard: dashboard }).catch(() => {
      // Only the other devices' "where was I" is affected.
    });
  }, [userId, pathname]);

  useEffect(() => {
    if (state.phase === 'disconnected' && isRevocation(state.code, state.reason)) {
      markRevoked();
    }
  }, [state]);

  useEffect(() => {
    if (userId === null) {
      return;
    }
    const onChosen = (event: Event) => {
      const detail: unknown = event instanceof CustomEvent ? event.detail : null;
      if (detail === 'dark' || detail === 'light') {
        savePreferences({ theme: detail }).catch(() => {
          // Kept on this device; the others follow at the next change.
        });
      }
    };
    window.addEventListener(THEME_CHOSEN_EVENT, onChosen);
    return () => {
      window.removeEventListener(THEME_CHOSEN_EVENT, onChosen);
    };
  }, [userId]);
}
