import { describe, expect, it } from 'vitest';

import { arrayOf, bool, decoder, nullable, num, object, oneOf, recordOf, str, withDefault, type Reader } from './decode';

interface Item {
  readonly name: string;
  readonly size: number | null;
  readonly tags: readonly string[];
}

const readItem: Reader<Item> = object({ name: str, size: nullable(num), tags: withDefault(arrayOf(str), []) });

describe('decoders', () => {
  it('read the declared fields and ignore extra ones', () => {
    expect(decoder(readItem)({ name: 'a', size: 3, tags: ['x'], extra: true })).toEqual({
      name: 'a',
      size: 3,
      tags: ['x'],
    });
  });

  it('read null and missing nullable fields as null, and missing defaulted ones as the default', () => {
    expect(decoder(readItem)({ name: 'a', size: null })).toEqual({ name: 'a', size: null, tags: [] });
    expect(decoder(readItem)({ name: 'a' })).toEqual({ name: 'a', size: null, tags: [] });
  });

  it('name the path of the first mismatch', () => {
    const list = decoder(arrayOf(readItem));
    expect(() => list([{ name: 'a' }, { name: 2 }])).toThrow('$[1].name: expected a string');
    expect(() => list([{ name: 'a', tags: ['x', 1] }])).toThrow('$[0].tags[1]: expected a string');
    expect(() => list({})).toThrow('$: expected an array');
  });

  it('reject non-finite numbers and non-booleans', () => {
    expect(() => decoder(num)(Number.NaN)).toThrow(/number/);
    expect(() => decoder(num)('1')).toThrow(/number/);
    expect(() => decoder(bool)(0)).toThrow(/boolean/);
  });

  it('read maps and enumerations', () => {
    expect(decoder(recordOf(num))({ Python: 12, Go: 3 })).toEqual({ Python: 12, Go: 3 });
    expect(() => decoder(recordOf(num))({ Python: '12' })).toThrow('$.Python: expected a number');
    expect(decoder(oneOf('a', 'b'))('b')).toBe('b');
    expect(() => decoder(oneOf('a', 'b'))('c')).toThrow('expected one of a, b');
  });
});
