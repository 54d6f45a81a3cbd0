import '@testing-library/jest-dom/vitest';
import { cleanup, configure } from '@testing-library/react';
import { afterEach, vi } from 'vitest';
import { setCsrfToken } from '../config/api';
import { resetLiveStatusForTests } from '../features/live/live-status';
import { clearToasts } from '../features/notifications/toast-store';
import { resetThemeStateForTests } from '../features/theme/theme';

// Lazily loaded pages and dialogs can take more than the default second on a busy two-core CI
// machine; waiting longer costs nothing when they are quick.
configure({ asyncUtilTimeout: 5_000 });

afterEach(() => {
  cleanup();
  clearToasts();
  resetLiveStatusForTests();
  setCsrfToken(null);
  resetThemeStateForTests();
  window.localStorage.clear();
  delete document.documentElement.dataset.theme;
  delete document.documentElement.dataset.themePreference;
  vi.unstubAllGlobals();
});
