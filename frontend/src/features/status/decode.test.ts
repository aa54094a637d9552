import { describe, expect, it } from 'vitest';

import { checkLabel, decodeReadiness, decodeVersion } from './decode';

describe('decodeReadiness', () => {
  it('decodes the documented shape, keeping the order of the checks', () => {
    const readiness = decodeReadiness({
      status: 'unavailable',
      checks: {
        database: { ok: true, backend: 'sqlite' },
        redis: { ok: false, backend: 'redis', error: 'connection refused' },
      },
    });
    expect(readiness).toEqual({
      status: 'unavailable',
      ready: false,
      checks: [
        { name: 'database', ok: true, backend: 'sqlite', error: null },
        { name: 'redis', ok: false, backend: 'redis', error: 'connection refused' },
      ],
    });
  });

  it('is ready only when the status is "ok"', () => {
    expect(decodeReadiness({ status: 'ok', checks: {} }).ready).toBe(true);
    expect(decodeReadiness({ status: 'starting', checks: {} }).ready).toBe(false);
  });

  it('tolerates missing checks and extra fields', () => {
    expect(decodeReadiness({ status: 'ok' }).checks).toEqual([]);
    expect(decodeReadiness({ status: 'ok', checks: { db: { ok: true, latency_ms: 3 } }, extra: 1 }).checks).toEqual([
      { name: 'db', ok: true, backend: null, error: null },
    ]);
  });

  it('rejects malformed bodies', () => {
    expect(() => decodeReadiness(null)).toThrow(TypeError);
    expect(() => decodeReadiness({ checks: {} })).toThrow(/status/);
    expect(() => decodeReadiness({ status: 'ok', checks: [] })).toThrow(/checks/);
    expect(() => decodeReadiness({ status: 'ok', checks: { db: { ok: 'yes' } } })).toThrow(/db/);
  });
});

describe('decodeVersion', () => {
  it('reads the version string', () => {
    expect(decodeVersion({ version: '0.1.0' })).toEqual({ version: '0.1.0' });
  });

  it('rejects anything else', () => {
    expect(() => decodeVersion({ version: 1 })).toThrow(TypeError);
    expect(() => decodeVersion('0.1.0')).toThrow(TypeError);
  });
});

describe('checkLabel', () => {
  it('turns check keys into labels', () => {
    expect(checkLabel('database')).toBe('Database');
    expect(checkLabel('github_api')).toBe('Github api');
  });
});
