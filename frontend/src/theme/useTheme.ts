import { useCallback, useState } from 'react';

import { toggleTheme, type Theme } from './theme';
import { applyTheme, rememberTheme } from './themeStore';

/**
 * The current theme, as applied on <html> (main.tsx applies the initial one
 * before the first render), and a toggle that applies and remembers it.
 */
export function useTheme(): { theme: Theme; toggle: () => void } {
  const [theme, setTheme] = useState<Theme>(() =>
    document.documentElement.dataset['theme'] === 'dark' ? 'dark' : 'light',
  );
  const toggle = useCallback(() => {
    const next = toggleTheme(theme);
    applyTheme(next);
    rememberTheme(next);
    setTheme(next);
  }, [theme]);
  return { theme, toggle };
}
