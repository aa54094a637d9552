/** Decoders for the server's status endpoints: `unknown` JSON in, typed values out. */
import { isRecord } from '../../api';

export interface ReadinessCheck {
  /** The key in `checks`, e.g. "database" or "redis". */
  readonly name: string;
  readonly ok: boolean;
  /** Which implementation backs it, e.g. "sqlite", "postgres", "redis". */
  readonly backend: string | null;
  /** Why the check failed, when it did. */
  readonly error: string | null;
}

export interface Readiness {
  /** "ok" or "unavailable" as sent by the server. */
  readonly status: string;
  readonly ready: boolean;
  /** In the order the server listed them. */
  readonly checks: readonly ReadinessCheck[];
}

export interface VersionInfo {
  readonly version: string;
}

/** `GET /readyz`: `{"status": "ok"|"unavailable", "checks": {name: {"ok", "backend"?, "error"?}}}` */
export function decodeReadiness(value: unknown): Readiness {
  if (!isRecord(value)) {
    throw new TypeError('expected an object');
  }
  const status = value['status'];
  if (typeof status !== 'string') {
    throw new TypeError('"status" must be a string');
  }
  const rawChecks = value['checks'] ?? {};
  if (!isRecord(rawChecks)) {
    throw new TypeError('"checks" must be an object');
  }
  const checks = Object.entries(rawChecks).map(([name, check]): ReadinessCheck => {
    if (!isRecord(check) || typeof check['ok'] !== 'boolean') {
      throw new TypeError(`check "${name}" must have a boolean "ok"`);
    }
    return {
      name,
      ok: check['ok'],
      backend: optionalString(check['backend']),
      error: optionalString(check['error']),
    };
  });
  return { status, ready: status === 'ok', checks };
}

/** `GET /api/version`: `{"version": "0.1.0"}` */
export function decodeVersion(value: unknown): VersionInfo {
  if (!isRecord(value) || typeof value['version'] !== 'string') {
    throw new TypeError('expected {"version": string}');
  }
  return { version: value['version'] };
}

/** "database" → "Database", "github_api" → "Github api". */
export function checkLabel(name: string): string {
  const words = name.replace(/[_-]+/g, ' ').trim();
  return words.charAt(0).toUpperCase() + words.slice(1);
}

function optionalString(value: unknown): string | null {
  return typeof value === 'string' && value !== '' ? value : null;
}
