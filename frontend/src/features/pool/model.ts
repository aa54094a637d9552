/** The pool page's data (`GET /api/teams/:id/pool`), decoded, and the small computations it shows. */
import { arrayOf, decoder, nullable, num, object, recordOf, str, withDefault, type Reader } from '../../api';

export interface BucketQuota {
  readonly limit: number | null;
  readonly remaining: number | null;
  readonly reset: number | null;
  readonly in_flight: number;
}

export interface PoolCredential {
  readonly id: number;
  readonly kind: string;
  readonly label: string;
  readonly status: string;
  readonly added_by: number | null;
  readonly app_id: number | null;
  readonly installation_id: number | null;
  readonly accounts: readonly string[];
  readonly repositories: readonly string[];
  readonly created_at: string;
  readonly revoked_at: string | null;
  readonly cooldown_until: number | null;
  readonly buckets: Readonly<Record<string, BucketQuota>>;
}

export interface UsageRow {
  readonly value: string;
  readonly label: string;
  readonly requests: number;
  readonly paid: number;
}

export interface PoolOverview {
  readonly now: number;
  readonly credentials: readonly PoolCredential[];
  readonly totals: { readonly limit: number; readonly remaining: number; readonly next_reset: number | null };
  readonly usage: Readonly<Record<string, readonly UsageRow[]>>;
  readonly series: readonly { readonly slot: number; readonly paid: number }[];
  readonly savings: Readonly<Record<string, number>>;
  readonly not_modified_rate: number | null;
  readonly forecast: { readonly per_minute: number; readonly dry_at: number | null };
}

const bucket: Reader<BucketQuota> = object({
  limit: nullable(num),
  remaining: nullable(num),
  reset: nullable(num),
  in_flight: withDefault(num, 0),
});

const credential: Reader<PoolCredential> = object({
  id: num,
  kind: str,
  label: str,
  status: str,
  added_by: nullable(num),
  app_id: nullable(num),
  installation_id: nullable(num),
  accounts: arrayOf(str),
  repositories: arrayOf(str),
  created_at: str,
  revoked_at: nullable(str),
  cooldown_until: nullable(num),
  buckets: recordOf(bucket),
});

const usageRow: Reader<UsageRow> = object({ value: str, label: str, requests: num, paid: num });

const overview: Reader<PoolOverview> = object({
  now: num,
  credentials: arrayOf(credential),
  totals: object({ limit: num, remaining: num, next_reset: nullable(num) }),
  usage: recordOf(arrayOf(usageRow)),
  series: arrayOf(object({ slot: num, paid: num })),
  savings: recordOf(num),
  not_modified_rate: nullable(num),
  forecast: object({ per_minute: num, dry_at: nullable(num) }),
});

export const decodeOverview = decoder(overview);

/** Share of a quota left, 0..1; null when the quota is not known yet. */
export function shareLeft(quota: BucketQuota | undefined): number | null {
  if (quota?.limit === null || quota?.limit === undefined || quota.limit <= 0 || quota.remaining === null) {
    return null;
  }
  return Math.max(0, Math.min(1, quota.remaining / quota.limit));
}

/** "in 12 min", "in 1 h 5 min", "now": how far `epochSeconds` is from `now` (both seconds). */
export function formatIn(epochSeconds: number | null, now: number): string {
  if (epochSeconds === null) {
    return '—';
  }
  const minutes = Math.round((epochSeconds - now) / 60);
  if (minutes <= 0) {
    return 'now';
  }
  if (minutes < 60) {
    return `in ${minutes} min`;
  }
  const hours = Math.floor(minutes / 60);
  const rest = minutes % 60;
  return rest === 0 ? `in ${hours} h` : `in ${hours} h ${rest} min`;
}

/** The forecast in words. */
export function describeForecast(data: PoolOverview): string {
  if (data.totals.limit === 0) {
    return 'No shared credential yet: requests use members’ own tokens.';
  }
  if (data.forecast.dry_at === null) {
    return data.forecast.per_minute > 0
      ? 'At the current rate the quota lasts until it resets.'
      : 'No quota is being spent.';
  }
  return `At ${data.forecast.per_minute.toFixed(1)} requests a minute the pool runs dry ${formatIn(
    data.forecast.dry_at,
    data.now,
  )}.`;
}

/** Rows sorted by paid requests, most first; at most `limit`. */
export function topUsage(rows: readonly UsageRow[] | undefined, limit = 10): readonly UsageRow[] {
  return [...(rows ?? [])].sort((a, b) => b.paid - a.paid || b.requests - a.requests).slice(0, limit);
}

export type NewCredential =
  | {
      readonly kind: 'service';
      readonly label: string;
      readonly token: string;
      readonly accounts: readonly string[];
      readonly repositories: readonly string[];
    }
  | {
      readonly kind: 'app';
      readonly label: string;
      readonly app_id: number;
      readonly installation_id: number;
      readonly private_key: string;
      readonly accounts: readonly string[];
      readonly repositories: readonly string[];
    };

/** "acme, acme-labs " → ["acme", "acme-labs"]. */
export function splitNames(text: string): readonly string[] {
  return text
    .split(/[\s,]+/)
    .map((name) => name.trim())
    .filter((name) => name.length > 0);
}
