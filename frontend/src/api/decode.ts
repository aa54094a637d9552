/**
 * Small composable decoders: `unknown` JSON in, typed values out, with the
 * path of the first mismatch in the error ("$.ci.all_runs.runs: expected a
 * number"). Extra fields are ignored, so the server may add some.
 *
 * Declare the interface first and type the reader with it
 * (`const team: Reader<Team> = object({...})`): the compiler then checks that
 * the reader produces exactly what the interface promises.
 */
import { isRecord, type Decoder } from './client';

export type Reader<T> = (value: unknown, path: string) => T;

export class DecodeError extends TypeError {
  override readonly name = 'DecodeError';
}

function fail(path: string, expected: string): never {
  throw new DecodeError(`${path}: expected ${expected}`);
}

export const str: Reader<string> = (value, path) => (typeof value === 'string' ? value : fail(path, 'a string'));

export const num: Reader<number> = (value, path) =>
  typeof value === 'number' && Number.isFinite(value) ? value : fail(path, 'a number');

export const bool: Reader<boolean> = (value, path) => (typeof value === 'boolean' ? value : fail(path, 'a boolean'));

/** `null`, or a missing field, reads as null. */
export function nullable<T>(reader: Reader<T>): Reader<T | null> {
  return (value, path) => (value === null || value === undefined ? null : reader(value, path));
}

/** A missing field reads as `fallback`. */
export function withDefault<T>(reader: Reader<T>, fallback: T): Reader<T> {
  return (value, path) => (value === undefined ? fallback : reader(value, path));
}

export function arrayOf<T>(reader: Reader<T>): Reader<readonly T[]> {
  return (value, path) => {
    if (!Array.isArray(value)) {
      return fail(path, 'an array');
    }
    return value.map((item: unknown, index) => reader(item, `${path}[${index}]`));
  };
}

/** A JSON object used as a map, e.g. `{"Python": 123}`. */
export function recordOf<T>(reader: Reader<T>): Reader<Readonly<Record<string, T>>> {
  return (value, path) => {
    if (!isRecord(value)) {
      return fail(path, 'an object');
    }
    const result: Record<string, T> = {};
    for (const [key, item] of Object.entries(value)) {
      result[key] = reader(item, `${path}.${key}`);
    }
    return result;
  };
}

type Shape = Record<string, Reader<unknown>>;
type Decoded<S extends Shape> = { readonly [K in keyof S]: S[K] extends Reader<infer T> ? T : never };

export function object<S extends Shape>(shape: S): Reader<Decoded<S>> {
  return (value, path) => {
    if (!isRecord(value)) {
      return fail(path, 'an object');
    }
    const result: Record<string, unknown> = {};
    for (const [key, reader] of Object.entries(shape)) {
      result[key] = reader(value[key], `${path}.${key}`);
    }
    return result as Decoded<S>;
  };
}

/** One of the listed strings. */
export function oneOf<const T extends string>(...values: readonly T[]): Reader<T> {
  return (value, path) =>
    typeof value === 'string' && (values as readonly string[]).includes(value)
      ? (value as T)
      : fail(path, `one of ${values.join(', ')}`);
}

/** A {@link Decoder} for the API client, reporting paths from `$`. */
export function decoder<T>(reader: Reader<T>): Decoder<T> {
  return (value) => reader(value, '$');
}
