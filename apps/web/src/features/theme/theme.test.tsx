import themeInitScript from '../../../public/theme-init.js?raw';
import { render, screen } from '@testing-library/react';
import userEvent from '@testing-library/user-event';
import { describe, expect, it, vi } from 'vitest';
import { THEME_STORAGE_KEY, readThemePreference, setThemePreference } from './theme';
import { ThemeSwitch } from './theme-switch';

function stubSystemDark(dark: boolean) {
  vi.stubGlobal(
    'matchMedia',
    vi.fn((query: string) => ({
      matches: dark && query === '(prefers-color-scheme: dark)',
      media: query,
      addEventListener: vi.fn(),
      removeEventListener: vi.fn(),
    })),
  );
}

function runThemeInit() {
  // Evaluated the way the browser runs it: a classic script before the app bundle.
  // eslint-disable-next-line @typescript-eslint/no-implied-eval -- running the real shipped script is the point
  const script = new Function(themeInitScript) as () => void;
  script();
}

describe('theme', () => {
  it('persists the chosen theme and applies it to <html>', () => {
    setThemePreference('dark');
    expect(window.localStorage.getItem(THEME_STORAGE_KEY)).toBe('dark');
    expect(document.documentElement.dataset.theme).toBe('dark');
    expect(document.documentElement.style.colorScheme).toBe('dark');
    expect(readThemePreference()).toBe('dark');
  });

  it('switches from the top bar control and remembers it for the next visit', async () => {
    stubSystemDark(false);
    const { unmount } = render(<ThemeSwitch />);
    expect(screen.getByRole('radio', { name: 'System theme' })).toBeChecked();
    await userEvent.click(screen.getByRole('radio', { name: 'Dark theme' }));
    expect(screen.getByRole('radio', { name: 'Dark theme' })).toBeChecked();
    expect(document.documentElement.dataset.theme).toBe('dark');
    unmount();

    // A fresh page load: the pre-paint script reads the same key.
    delete document.documentElement.dataset.theme;
    runThemeInit();
    expect(document.documentElement.dataset.theme).toBe('dark');
  });

  it('applies the saved theme before the app loads and follows the system by default', () => {
    stubSystemDark(true);
    runThemeInit();
    expect(document.documentElement.dataset.theme).toBe('dark');
    expect(document.documentElement.dataset.themePreference).toBe('system');

    window.localStorage.setItem(THEME_STORAGE_KEY, 'light');
    runThemeInit();
    expect(document.documentElement.dataset.theme).toBe('light');
  });

  it('ignores garbage in storage', () => {
    window.localStorage.setItem(THEME_STORAGE_KEY, 'neon');
    expect(readThemePreference()).toBe('system');
    stubSystemDark(false);
    runThemeInit();
    expect(document.documentElement.dataset.theme).toBe('light');
  });

  it('keeps the pre-paint script on the same storage key as the app', () => {
    expect(themeInitScript).toContain(`'${THEME_STORAGE_KEY}'`);
  });
});
