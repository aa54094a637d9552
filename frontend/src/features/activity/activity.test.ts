import { describe, expect, it } from 'vitest';

import { describeLiveEvent } from '../live/describe';
import { activityPath, filterById } from './activity';

describe('the activity feed', () => {
  it('asks for a page of the chosen families, before the last item seen', () => {
    expect(activityPath(3, [], null)).toBe('/api/teams/3/activity?limit=30');
    expect(activityPath(3, filterById('ci').types, '2026-11-26T10:00:00+00:00')).toBe(
      '/api/teams/3/activity?limit=30&type=workflow_run&type=release&before=2026-11-26T10%3A00%3A00%2B00%3A00',
    );
    expect(filterById('nonsense').id).toBe('all');
    expect(filterById(null).id).toBe('all');
  });

  it('describes HubDeck’s own events', () => {
    const base = {
      id: 'e',
      occurredAt: '2026-11-26T10:00:00Z',
      teamId: 1,
      repositoryId: null,
      actor: 'alice',
      publishedAt: null,
    };
    expect(
      describeLiveEvent({ ...base, type: 'dashboard.edited', subject: 'Flow', data: { summary: 'moved “CI”' } }),
    ).toBe('alice edited “Flow”: moved “CI”');
    expect(describeLiveEvent({ ...base, type: 'team.member_removed', subject: 'bob', data: { left: true } })).toBe(
      'bob left the team',
    );
    expect(describeLiveEvent({ ...base, type: 'team.role_changed', subject: 'bob', data: { to: 'admin' } })).toBe(
      'alice made bob admin',
    );
    expect(describeLiveEvent({ ...base, type: 'annotation.created', subject: 'x', data: { text: 'Deploy' } })).toBe(
      'Marked: Deploy',
    );
  });
});
