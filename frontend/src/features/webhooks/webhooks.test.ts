import { describe, expect, it } from 'vitest';

import { navigationFor } from '../../components/AppShell';
import type { Team } from '../auth/model';
import {
  attemptSummary,
  attemptsPath,
  canManageWebhooks,
  decodeAttemptPage,
  decodeEndpointWithSecret,
  decodeIncoming,
  describeTypes,
  EMPTY_FORM,
  endpointState,
  formBody,
  formOf,
  formProblem,
  formatDuration,
  formatSpan,
  prettyPayload,
  toggleType,
  type Attempt,
  type Endpoint,
} from './model';

const endpoint: Endpoint = {
  id: 3,
  team_id: 1,
  url: 'https://hooks.example.com/in',
  description: 'chat',
  event_types: ['issue.opened'],
  enabled: true,
  disabled_reason: null,
  disabled_at: null,
  failing_since: null,
  previous_secret_expires_at: null,
  created_at: '2026-11-26T09:00:00Z',
  updated_at: '2026-11-26T09:00:00Z',
};

const attempt: Attempt = {
  id: 9,
  message_id: 4,
  msg_id: 'msg_1',
  event_type: 'issue.opened',
  attempt: 2,
  attempted_at: '2026-11-26T09:00:05Z',
  succeeded: false,
  status_code: 302,
  duration_ms: 35,
  response_excerpt: '',
  error: 'redirect to http://169.254.169.254/ not followed',
};

describe('the endpoint form', () => {
  it('asks for a usable URL before sending', () => {
    expect(formProblem(EMPTY_FORM)).toMatch(/Enter the URL/);
    expect(formProblem({ ...EMPTY_FORM, url: 'not a url' })).toMatch(/not a valid URL/);
    expect(formProblem({ ...EMPTY_FORM, url: 'ftp://example.com/' })).toMatch(/https:\/\//);
    expect(formProblem({ ...EMPTY_FORM, url: 'https://u:p@example.com/' })).toMatch(/credentials/);
    expect(formProblem({ ...EMPTY_FORM, url: 'https://example.com/#x' })).toMatch(/fragment/);
    expect(formProblem({ ...EMPTY_FORM, url: 'https://example.com/', description: 'x'.repeat(501) })).toMatch(
      /500/,
    );
    expect(formProblem({ ...EMPTY_FORM, url: ' https://hooks.example.com/in ' })).toBeNull();
  });

  it('sends trimmed values and sorted event types, and round-trips an endpoint', () => {
    const body = formBody({ url: ' https://a.example/ ', description: ' d ', eventTypes: ['b.x', 'a.y'], enabled: false });
    expect(body).toEqual({ url: 'https://a.example/', description: 'd', event_types: ['a.y', 'b.x'], enabled: false });
    expect(formBody(formOf(endpoint))).toEqual({
      url: endpoint.url,
      description: 'chat',
      event_types: ['issue.opened'],
      enabled: true,
    });
  });

  it('toggles event types, none meaning all', () => {
    expect(toggleType([], 'issue.opened')).toEqual(['issue.opened']);
    expect(toggleType(['pull_request.merged', 'issue.opened'], 'issue.opened')).toEqual(['pull_request.merged']);
    expect(describeTypes([])).toBe('All events');
    expect(describeTypes(['a', 'b', 'c', 'd'])).toBe('a, b and 2 more');
  });
});

describe('endpoint state and permissions', () => {
  it('reads active, failing and disabled', () => {
    expect(endpointState(endpoint)).toBe('active');
    expect(endpointState({ ...endpoint, failing_since: '2026-11-26T08:00:00Z' })).toBe('failing');
    expect(endpointState({ ...endpoint, enabled: false, failing_since: '2026-11-26T08:00:00Z' })).toBe('disabled');
  });

  it('lets owners and admins manage webhooks, and shows them the page in the navigation', () => {
    expect(canManageWebhooks('owner') && canManageWebhooks('admin')).toBe(true);
    expect(canManageWebhooks('member') || canManageWebhooks('viewer')).toBe(false);
    const team: Team = { id: 5, slug: 'acme', name: 'Acme', github_org: null, role: 'admin' };
    expect(navigationFor(team).map((item) => item.to)).toContain('/teams/5/webhooks');
    expect(navigationFor({ ...team, role: 'member' }).map((item) => item.to)).not.toContain('/teams/5/webhooks');
  });
});

describe('the delivery log', () => {
  it('builds the attempts query from the filters and the page', () => {
    expect(attemptsPath(1, 3, { status: 'all', eventType: '' }, null)).toBe(
      '/api/teams/1/webhooks/endpoints/3/attempts?limit=50',
    );
    expect(attemptsPath(1, 3, { status: 'failed', eventType: 'issue.opened' }, 40)).toBe(
      '/api/teams/1/webhooks/endpoints/3/attempts?status=failed&event_type=issue.opened&before=40&limit=50',
    );
  });

  it('summarises attempts, durations and the schedule', () => {
    expect(attemptSummary(attempt)).toBe('302 · 35 ms · redirect to http://169.254.169.254/ not followed');
    expect(attemptSummary({ ...attempt, status_code: null, duration_ms: 10_000, error: 'timed out after 10 s' })).toBe(
      'no answer · 10.0 s · timed out after 10 s',
    );
    expect(attemptSummary({ ...attempt, status_code: 200, succeeded: true, error: null, duration_ms: 1234 })).toBe(
      '200 · 1.23 s',
    );
    expect(formatDuration(999)).toBe('999 ms');
    expect(formatSpan(0)).toBe('immediately');
    expect(formatSpan(305)).toBe('5 min 5 s');
    expect(formatSpan(99_305)).toBe('1 d 3 h 35 min 5 s');
  });

  it('pretty-prints a JSON payload and leaves anything else as it is', () => {
    expect(prettyPayload('{"type":"webhook.test"}')).toBe('{\n  "type": "webhook.test"\n}');
    expect(prettyPayload('not json')).toBe('not json');
  });

  it('decodes the server’s answers and refuses malformed ones', () => {
    const page = decodeAttemptPage({ items: [attempt], next_before: null });
    expect(page.items[0]?.error).toMatch(/not followed/);
    expect(() => decodeAttemptPage({ items: [{ ...attempt, succeeded: 'no' }], next_before: null })).toThrow(
      /succeeded/,
    );
    expect(decodeEndpointWithSecret({ ...endpoint, secret: 'whsec_x' }).secret).toBe('whsec_x');
    expect(() => decodeEndpointWithSecret(endpoint)).toThrow(/secret/);
    expect(decodeIncoming(null)).toBeNull();
    expect(decodeIncoming({ url: 'http://x/api/hooks/in/t', created_at: '2026-11-26T09:00:00Z' })?.url).toMatch(
      /hooks\/in/,
    );
  });
});
