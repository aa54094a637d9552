import { describe, expect, it } from 'vitest';

import { THEME_STORAGE_KEY, initialTheme, parseTheme, toggleTheme } from './theme';
import { detectInitialTheme, rememberTheme, type ThemeEnvironment } from './themeStore';

describe('initialTheme', () => {
  it('prefers the stored choice over the OS preference', () => {
    expect(initialTheme('light', true)).toBe('light');
    expect(initialTheme('dark', false)).toBe('dark');
  });

  it('falls back to prefers-color-scheme without a (valid) stored choice', () => {
    expect(initialTheme(null, true)).toBe('dark');
    expect(initialTheme(null, false)).toBe('light');
    expect(initialTheme('purple', true)).toBe('dark');
    expect(initialTheme('', false)).toBe('light');
  });
});

describe('parseTheme / toggleTheme', () => {
  it('accepts only the two themes', () => {
    expect(parseTheme('dark')).toBe('dark');
    expect(parseTheme('Dark')).toBeNull();
    expect(parseTheme(undefined)).toBeNull();
  });

  it('toggles between them', () => {
    expect(toggleTheme('dark')).toBe('light');
    expect(toggleTheme('light')).toBe('dark');
  });
});

function memoryStorage(initial: Record<string, string> = {}): Storage {
  const data = new Map(Object.entries(initial));
  return {
    get length() {
      return data.size;
    },
    clear: () => {
      data.clear();
    },
    getItem: (key) => data.get(key) ?? null,
    key: (index) => [...data.keys()][index] ?? null,
    removeItem: (key) => {
      data.delete(key);
    },
    setItem: (key, value) => {
      data.set(key, value);
    },
  };
}

function environment(storage: Storage, prefersDark: boolean): ThemeEnvironment {
  return {
    localStorage: storage,
    matchMedia: (query: string) => {
      expect(query).toBe('(prefers-color-scheme: dark)');
      return { matches: prefersDark } as MediaQueryList;
    },
  };
}

describe('theme in the browser', () => {
  it(`reads the choice from localStorage "${THEME_STORAGE_KEY}"`, () => {
    expect(detectInitialTheme(environment(memoryStorage({ 'hubdeck.theme': 'light' }), true))).toBe('light');
    expect(detectInitialTheme(environment(memoryStorage(), true))).toBe('dark');
  });

  it('falls back to the OS preference when storage is blocked', () => {
    const blocked = memoryStorage();
    blocked.getItem = () => {
      throw new DOMException('denied', 'SecurityError');
    };
    expect(detectInitialTheme(environment(blocked, false))).toBe('light');
  });

  it('remembers the choice, and survives storage that refuses writes', () => {
    const storage = memoryStorage();
    rememberTheme('dark', { localStorage: storage });
    expect(storage.getItem('hubdeck.theme')).toBe('dark');

    storage.setItem = () => {
      throw new DOMException('full', 'QuotaExceededError');
    };
    expect(() => {
      rememberTheme('light', { localStorage: storage });
    }).not.toThrow();
  });
});
