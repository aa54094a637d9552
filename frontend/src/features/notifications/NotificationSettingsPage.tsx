import { useQuery } from '@tanstack/react-query';
import { useState } from 'react';
import { Link } from 'react-router-dom';

import { ErrorNotice, Loading } from '../../components/PageState';
import { useDocumentTitle } from '../../components/useDocumentTitle';
import type { Team } from '../auth/model';
import { useSignedIn } from '../auth/RequireUser';
import { BrowserNotificationsControl } from './BrowserNotificationsControl';
import {
  ALWAYS_DELIVERED,
  CHANNEL_LABELS,
  channelsFor,
  DIGEST_FREQUENCIES,
  DIGEST_FREQUENCY_LABELS,
  DIGEST_KIND,
  kindLabel,
  preferenceKinds,
  WEEKDAYS,
  type Preferences,
  type PreferencesUpdate,
} from './model';
import { NOTIFICATIONS_PATH } from './NotificationBell';
import {
  channelOf,
  digestRingsBrowser,
  draftOf,
  isDirty,
  localTimeZone,
  withChannel,
  withDefaults,
  withDigest,
  withMutedTeam,
} from './preferences';
import { preferencesQuery, useSavePreferences } from './queries';

/** `/settings/notifications`: where each kind of notification goes, muted teams, browser notifications. */
export function NotificationSettingsPage() {
  useDocumentTitle('Notification settings');
  const me = useSignedIn();
  const preferences = useQuery(preferencesQuery);

  return (
    <section className="page page--wide-form" aria-labelledby="notification-settings-title">
      <div className="page__header">
        <p className="breadcrumbs muted small">
          <Link to={NOTIFICATIONS_PATH}>Notifications</Link> / Settings
        </p>
        <h1 id="notification-settings-title">Notification settings</h1>
        <p className="lead">Choose what reaches you, and how.</p>
      </div>

      <div className="card page__section">
        <h2>Browser notifications</h2>
        <BrowserNotificationsControl detailed />
      </div>

      {preferences.isPending && <Loading label="Loading your preferences…" />}
      {preferences.isError && (
        <ErrorNotice
          error={preferences.error}
          prefix="Could not load your preferences"
          onRetry={() => void preferences.refetch()}
        />
      )}
      {preferences.data !== undefined && <PreferencesForm preferences={preferences.data} teams={me.teams} />}
    </section>
  );
}

function PreferencesForm({ preferences, teams }: { readonly preferences: Preferences; readonly teams: readonly Team[] }) {
  // The user's edits, over what the server last answered (null: none).
  const [edited, setEdited] = useState<PreferencesUpdate | null>(null);
  const draft = edited ?? draftOf(preferences);
  const save = useSavePreferences();
  const dirty = isDirty(draft, preferences);
  const change = (next: PreferencesUpdate) => {
    save.reset();
    setEdited(next);
  };

  return (
    <form
      className="card page__section prefs"
      data-testid="preferences-form"
      onSubmit={(event) => {
        event.preventDefault();
        save.mutate(draft, {
          onSuccess: () => {
            setEdited(null);
          },
        });
      }}
    >
      <h2>Kinds of notification</h2>
      <p className="muted small">
        &ldquo;In HubDeck&rdquo;: the list and the bell&rsquo;s count. &ldquo;And the browser&rdquo;: also a
        notification from the browser while HubDeck is open in a tab you are not looking at.
      </p>
      <table className="table prefs__table">
        <thead>
          <tr>
            <th scope="col">Kind</th>
            <th scope="col">Where</th>
            <th scope="col">Default</th>
          </tr>
        </thead>
        <tbody>
          {preferenceKinds(preferences).map((kind) => {
            const current = channelOf(draft, preferences, kind);
            const fallback = preferences.defaults[kind];
            return (
              <tr key={kind} data-testid="preference-row" data-kind={kind}>
                <th scope="row">
                  {kindLabel(kind)}
                  {ALWAYS_DELIVERED.includes(kind) && (
                    <span className="muted small prefs__note">Cannot be turned off or muted</span>
                  )}
                </th>
                <td>
                  <select
                    className="select select--compact"
                    aria-label={`Where ${kindLabel(kind)} notifications go`}
                    data-testid="preference-channel"
                    data-kind={kind}
                    value={current}
                    onChange={(event) => {
                      const value = channelsFor(kind).find((channel) => channel === event.target.value);
                      if (value !== undefined) {
                        change(withChannel(draft, kind, value));
                      }
                    }}
                  >
                    {channelsFor(kind).map((channel) => (
                      <option key={channel} value={channel}>
                        {CHANNEL_LABELS[channel]}
                      </option>
                    ))}
                  </select>
                </td>
                <td className="muted small" data-testid="preference-default" data-default={fallback ?? ''}>
                  {fallback === undefined ? '—' : CHANNEL_LABELS[fallback]}
                  {fallback !== undefined && fallback !== current && <span className="chip">changed</span>}
                </td>
              </tr>
            );
          })}
        </tbody>
      </table>

      <DigestFieldset draft={draft} preferences={preferences} onChange={change} />

      <h2>Muted teams</h2>
      {teams.length === 0 ? (
        <p className="muted small">You are in no team.</p>
      ) : (
        <>
          <p className="muted small">
            Nothing reaches you through a muted team; what concerns you through another team still does.
          </p>
          <ul className="prefs__teams">
            {teams.map((team) => (
              <li key={team.id}>
                <label className="check-label">
                  <input
                    type="checkbox"
                    data-testid="mute-team"
                    data-team-id={team.id}
                    checked={draft.muted_teams.includes(team.id)}
                    onChange={(event) => {
                      change(withMutedTeam(draft, team.id, event.target.checked));
                    }}
                  />
                  Mute {team.name}
                </label>
              </li>
            ))}
          </ul>
        </>
      )}

      <div className="form__actions">
        <button
          type="submit"
          className="button button--primary"
          data-testid="preferences-save"
          disabled={!dirty || save.isPending}
        >
          {save.isPending ? 'Saving…' : 'Save'}
        </button>
        <button
          type="button"
          className="button"
          data-testid="preferences-reset"
          onClick={() => {
            change(withDefaults(draft, preferences));
          }}
        >
          Use the defaults
        </button>
        {save.isSuccess && !dirty && (
          <span className="text-ok small" data-testid="preferences-saved" role="status">
            Saved.
          </span>
        )}
      </div>
      {save.isError && <ErrorNotice error={save.error} prefix="Could not save" />}
    </form>
  );
}

const HOURS = Array.from({ length: 24 }, (_, hour) => hour);

function hourLabel(hour: number): string {
  return `${String(hour).padStart(2, '0')}:00`;
}

/** The digest's schedule, and whether it also rings the browser. */
function DigestFieldset({
  draft,
  preferences,
  onChange,
}: {
  readonly draft: PreferencesUpdate;
  readonly preferences: Preferences;
  readonly onChange: (next: PreferencesUpdate) => void;
}) {
  const digest = draft.digest;
  const off = digest.frequency === 'off';
  return (
    <fieldset className="prefs__digest" data-testid="digest-settings">
      <legend>
        <h2>Digest</h2>
      </legend>
      <p className="muted small">
        One notification summing up what you have not read yet: how many by kind and by repository, and the most
        important ones. None when everything is read.
      </p>
      <div className="prefs__digest-fields">
        <label className="prefs__field">
          <span>How often</span>
          <select
            className="select select--compact"
            data-testid="digest-frequency"
            value={digest.frequency}
            onChange={(event) => {
              const frequency = DIGEST_FREQUENCIES.find((value) => value === event.target.value);
              if (frequency !== undefined) {
                onChange(withDigest(draft, { frequency }, localTimeZone()));
              }
            }}
          >
            {DIGEST_FREQUENCIES.map((frequency) => (
              <option key={frequency} value={frequency}>
                {DIGEST_FREQUENCY_LABELS[frequency]}
              </option>
            ))}
          </select>
        </label>
        {digest.frequency === 'weekly' && (
          <label className="prefs__field">
            <span>On</span>
            <select
              className="select select--compact"
              data-testid="digest-weekday"
              value={digest.weekday}
              onChange={(event) => {
                onChange(withDigest(draft, { weekday: Number(event.target.value) }, localTimeZone()));
              }}
            >
              {WEEKDAYS.map((name, weekday) => (
                <option key={name} value={weekday}>
                  {name}
                </option>
              ))}
            </select>
          </label>
        )}
        <label className="prefs__field">
          <span>At</span>
          <select
            className="select select--compact"
            data-testid="digest-hour"
            value={digest.hour}
            disabled={off}
            onChange={(event) => {
              onChange(withDigest(draft, { hour: Number(event.target.value) }, localTimeZone()));
            }}
          >
            {HOURS.map((hour) => (
              <option key={hour} value={hour}>
                {hourLabel(hour)}
              </option>
            ))}
          </select>
        </label>
      </div>
      {!off && (
        <p className="muted small" data-testid="digest-zone">
          Time zone: {digest.time_zone ?? 'UTC'}
        </p>
      )}
      <label className="check-label">
        <input
          type="checkbox"
          data-testid="digest-browser"
          disabled={off}
          checked={digestRingsBrowser(draft, preferences)}
          onChange={(event) => {
            onChange(withChannel(draft, DIGEST_KIND, event.target.checked ? 'browser' : 'in_app'));
          }}
        />
        Also as a browser notification
      </label>
    </fieldset>
  );
}
