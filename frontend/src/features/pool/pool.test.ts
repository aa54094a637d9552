import { describe, expect, it } from 'vitest';

import { decodeOverview, describeForecast, formatIn, shareLeft, splitNames, topUsage } from './model';

const sample = {
  team_id: 1,
  now: 1_000_000,
  credentials: [
    {
      id: 3,
      kind: 'app',
      label: 'HubDeck app',
      status: 'active',
      added_by: 1,
      app_id: 42,
      installation_id: 7,
      accounts: ['acme'],
      repositories: [],
      created_at: '2026-11-26T03:00:00+00:00',
      revoked_at: null,
      cooldown_until: null,
      buckets: { core: { limit: 5000, remaining: 400, reset: 1_000_600, in_flight: 2 } },
    },
  ],
  totals: { limit: 5000, remaining: 400, next_reset: 1_000_600 },
  usage: { member: [{ value: '1', label: 'alice', requests: 10, paid: 4 }] },
  series: [{ slot: 999_900, paid: 4 }],
  savings: { coalesced: 2, not_modified: 6 },
  not_modified_rate: 0.6,
  forecast: { per_minute: 10, dry_at: 1_002_400 },
};

describe('pool model', () => {
  it('decodes the overview and never expects a secret', () => {
    const data = decodeOverview(sample);
    expect(data.credentials[0]?.buckets['core']?.remaining).toBe(400);
    expect(JSON.stringify(data)).not.toContain('private_key');
  });

  it('rejects a malformed overview', () => {
    expect(() => decodeOverview({ ...sample, totals: { limit: 'many' } })).toThrow('$.totals.limit');
  });

  it('computes the share left and the time to a reset', () => {
    expect(shareLeft({ limit: 5000, remaining: 500, reset: null, in_flight: 0 })).toBe(0.1);
    expect(shareLeft({ limit: null, remaining: null, reset: null, in_flight: 0 })).toBeNull();
    expect(formatIn(1_000_600, 1_000_000)).toBe('in 10 min');
    expect(formatIn(1_004_000, 1_000_000)).toBe('in 1 h 7 min');
    expect(formatIn(999_000, 1_000_000)).toBe('now');
    expect(formatIn(null, 1_000_000)).toBe('—');
  });

  it('says when the pool runs dry, or that it lasts', () => {
    const data = decodeOverview(sample);
    expect(describeForecast(data)).toBe('At 10.0 requests a minute the pool runs dry in 40 min.');
    expect(describeForecast({ ...data, forecast: { per_minute: 0, dry_at: null } })).toBe('No quota is being spent.');
    expect(describeForecast({ ...data, totals: { limit: 0, remaining: 0, next_reset: null } })).toContain(
      'No shared credential',
    );
  });

  it('orders usage by paid requests and splits names', () => {
    const rows = [
      { value: 'a', label: 'a', requests: 9, paid: 1 },
      { value: 'b', label: 'b', requests: 3, paid: 3 },
    ];
    expect(topUsage(rows).map((row) => row.value)).toEqual(['b', 'a']);
    expect(splitNames(' acme, acme-labs  other ')).toEqual(['acme', 'acme-labs', 'other']);
  });
});
