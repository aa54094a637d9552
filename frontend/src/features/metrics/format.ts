/** How numbers read on the dashboards. Null (undefined metric) reads as an em dash, never as 0. */

export const NONE = '—';

const MINUTE = 60;
const HOUR = 60 * MINUTE;
const DAY = 24 * HOUR;

function oneDecimal(value: number): string {
  // 2.0 → "2", 2.46 → "2.5"; ≥ 10 without decimals.
  return value >= 10 ? String(Math.round(value)) : String(Math.round(value * 10) / 10);
}

/**
 * A duration in seconds, in the unit that reads best: "45 s", "12 min",
 * "5.2 h" (under a day), "3.4 d".
 */
export function formatDuration(seconds: number | null | undefined): string {
  if (seconds === null || seconds === undefined || !Number.isFinite(seconds)) {
    return NONE;
  }
  const s = Math.max(0, seconds);
  if (s < MINUTE) {
    return `${Math.round(s)} s`;
  }
  if (s < HOUR) {
    return `${Math.round(s / MINUTE)} min`;
  }
  if (s < DAY) {
    return `${oneDecimal(s / HOUR)} h`;
  }
  return `${oneDecimal(s / DAY)} d`;
}

export type DurationUnit = 'min' | 'h' | 'd';

const unitSeconds: Record<DurationUnit, number> = { min: MINUTE, h: HOUR, d: DAY };
const unitNames: Record<DurationUnit, string> = { min: 'minutes', h: 'hours', d: 'days' };

/** The axis unit for durations up to `maxSeconds`: minutes under 2 h, hours under 3 d, else days. */
export function durationUnit(maxSeconds: number): DurationUnit {
  if (maxSeconds < 2 * HOUR) {
    return 'min';
  }
  return maxSeconds < 3 * DAY ? 'h' : 'd';
}

export function inUnit(seconds: number, unit: DurationUnit): number {
  return Math.round((seconds / unitSeconds[unit]) * 100) / 100;
}

export function unitName(unit: DurationUnit): string {
  return unitNames[unit];
}

/** A 0–1 rate as "83%" (one decimal under 10% and over 99%, where rounding would mislead). */
export function formatPercent(rate: number | null | undefined): string {
  if (rate === null || rate === undefined || !Number.isFinite(rate)) {
    return NONE;
  }
  const percent = rate * 100;
  if ((percent > 0 && percent < 10) || (percent > 99 && percent < 100)) {
    return `${(Math.floor(percent * 10) / 10).toFixed(1)}%`;
  }
  return `${Math.round(percent)}%`;
}

/** A count or ratio: integers as is (with thousands separators), others with one or two decimals. */
export function formatNumber(value: number | null | undefined, decimals = 1): string {
  if (value === null || value === undefined || !Number.isFinite(value)) {
    return NONE;
  }
  if (Number.isInteger(value)) {
    return value.toLocaleString('en-US');
  }
  return value.toLocaleString('en-US', { maximumFractionDigits: decimals, minimumFractionDigits: 0 });
}

/** "1 release", "3 releases": `count` and the noun, plural unless 1. */
export function plural(count: number, singular: string, pluralForm = `${singular}s`): string {
  return `${formatNumber(count)} ${count === 1 ? singular : pluralForm}`;
}

/** Bytes as "12 KB", "3.4 MB". */
export function formatBytes(bytes: number): string {
  if (bytes < 1000) {
    return `${bytes} B`;
  }
  const units = ['KB', 'MB', 'GB', 'TB'];
  let value = bytes;
  let unit = 'B';
  for (const next of units) {
    if (value < 1000) {
      break;
    }
    value /= 1000;
    unit = next;
  }
  return `${oneDecimal(value)} ${unit}`;
}

/**
 * How long ago `iso` was, relative to `now` (epoch ms): "just now",
 * "5 min ago", "3 h ago", "2 d ago"; null or unparsable reads "never".
 */
export function formatAgo(iso: string | null, now: number): string {
  if (iso === null) {
    return 'never';
  }
  const then = Date.parse(iso);
  if (Number.isNaN(then)) {
    return 'never';
  }
  const seconds = (now - then) / 1000;
  if (seconds < 45) {
    return 'just now';
  }
  return `${formatDuration(seconds)} ago`;
}
