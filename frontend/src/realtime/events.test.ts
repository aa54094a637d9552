import { describe, expect, it } from 'vitest';

import { decodeLiveEvent } from './events';

describe('decodeLiveEvent', () => {
  it('reads the envelope and the event', () => {
    expect(
      decodeLiveEvent({
        type: 'pull_request.merged',
        ts: 1_764_000_000_000,
        data: {
          id: 'e1',
          type: 'pull_request.merged',
          occurred_at: '2026-11-26T10:00:00Z',
          team_id: null,
          repository_id: 3,
          subject: 'acme/api#42',
          actor: 'alice',
          data: { repository: 'acme/api', number: 42 },
        },
      }),
    ).toEqual({
      id: 'e1',
      type: 'pull_request.merged',
      occurredAt: '2026-11-26T10:00:00Z',
      teamId: null,
      repositoryId: 3,
      subject: 'acme/api#42',
      actor: 'alice',
      data: { repository: 'acme/api', number: 42 },
      publishedAt: 1_764_000_000_000,
    });
  });

  it('is lenient about optional fields, taking the type from the envelope if need be', () => {
    expect(decodeLiveEvent({ type: 'commit.pushed', data: { id: 'e2' } })).toMatchObject({
      id: 'e2',
      type: 'commit.pushed',
      actor: null,
      repositoryId: null,
      data: {},
      publishedAt: null,
    });
  });

  it('reads nothing without an id or a type', () => {
    expect(decodeLiveEvent(null)).toBeNull();
    expect(decodeLiveEvent({ type: 'x' })).toBeNull();
    expect(decodeLiveEvent({ type: 'x', data: { type: 'x' } })).toBeNull();
    expect(decodeLiveEvent({ data: { id: 'e3' } })).toBeNull();
  });
});
