import { describe, expect, it } from 'vitest';

import {
  NONE,
  durationUnit,
  formatAgo,
  formatBytes,
  formatDuration,
  formatNumber,
  formatPercent,
  inUnit,
  plural,
} from './format';

describe('formatDuration', () => {
  it('picks seconds, minutes, hours (under a day) or days', () => {
    expect(formatDuration(0)).toBe('0 s');
    expect(formatDuration(42.4)).toBe('42 s');
    expect(formatDuration(60)).toBe('1 min');
    expect(formatDuration(3599)).toBe('60 min');
    expect(formatDuration(3600)).toBe('1 h');
    expect(formatDuration(8520)).toBe('2.4 h');
    expect(formatDuration(12 * 3600)).toBe('12 h');
    expect(formatDuration(86_400)).toBe('1 d');
    expect(formatDuration(271_440)).toBe('3.1 d');
    expect(formatDuration(30 * 86_400)).toBe('30 d');
  });

  it('shows undefined durations as a dash, never as zero', () => {
    expect(formatDuration(null)).toBe(NONE);
    expect(formatDuration(undefined)).toBe(NONE);
    expect(formatDuration(Number.NaN)).toBe(NONE);
  });

  it('clamps negative values (clock skew) to zero', () => {
    expect(formatDuration(-5)).toBe('0 s');
  });
});

describe('axis units', () => {
  it('uses minutes under 2 h, hours under 3 d, days above', () => {
    expect(durationUnit(0)).toBe('min');
    expect(durationUnit(7199)).toBe('min');
    expect(durationUnit(7200)).toBe('h');
    expect(durationUnit(3 * 86_400 - 1)).toBe('h');
    expect(durationUnit(3 * 86_400)).toBe('d');
  });

  it('converts with two decimals', () => {
    expect(inUnit(5400, 'h')).toBe(1.5);
    expect(inUnit(100, 'min')).toBe(1.67);
    expect(inUnit(271_440, 'd')).toBe(3.14);
  });
});

describe('formatPercent', () => {
  it('rounds to whole percents, with a decimal near 0 and 100 where rounding misleads', () => {
    expect(formatPercent(0.5)).toBe('50%');
    expect(formatPercent(0.8275)).toBe('83%');
    expect(formatPercent(1)).toBe('100%');
    expect(formatPercent(0)).toBe('0%');
    expect(formatPercent(0.995)).toBe('99.5%');
    expect(formatPercent(0.9999)).toBe('99.9%');
    expect(formatPercent(0.05)).toBe('5.0%');
    expect(formatPercent(null)).toBe(NONE);
  });
});

describe('formatNumber, plural, formatBytes', () => {
  it('formats counts and ratios', () => {
    expect(formatNumber(1234)).toBe('1,234');
    expect(formatNumber(2.3333)).toBe('2.3');
    expect(formatNumber(0.2333, 2)).toBe('0.23');
    expect(formatNumber(null)).toBe(NONE);
    expect(plural(1, 'release')).toBe('1 release');
    expect(plural(0, 'release')).toBe('0 releases');
    expect(plural(2, 'person', 'people')).toBe('2 people');
  });

  it('formats bytes in SI units', () => {
    expect(formatBytes(512)).toBe('512 B');
    expect(formatBytes(551_589)).toBe('552 KB');
    expect(formatBytes(2_100_000)).toBe('2.1 MB');
  });
});

describe('formatAgo', () => {
  const now = Date.parse('2026-11-26T12:00:00Z');

  it('says how long ago', () => {
    expect(formatAgo('2026-11-26T11:59:30Z', now)).toBe('just now');
    expect(formatAgo('2026-11-26T11:55:00Z', now)).toBe('5 min ago');
    expect(formatAgo('2026-11-26T09:00:00Z', now)).toBe('3 h ago');
    expect(formatAgo('2026-11-23T12:00:00Z', now)).toBe('3 d ago');
  });

  it('says never for no date', () => {
    expect(formatAgo(null, now)).toBe('never');
    expect(formatAgo('not a date', now)).toBe('never');
  });
});
