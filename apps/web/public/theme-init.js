/* global window, document */
// Runs before first paint. Keep the storage key and values in sync with src/features/theme/theme.ts
// (a test checks both agree).
(function () {
  var root = document.documentElement;
  var preference = 'system';
  try {
    var stored = window.localStorage.getItem('flightdeck.theme');
    if (stored === 'light' || stored === 'dark' || stored === 'system') preference = stored;
  } catch {
    // Storage can be unavailable (privacy modes); fall back to the system preference.
  }
  var dark =
    preference === 'dark' ||
    (preference === 'system' &&
      window.matchMedia &&
      window.matchMedia('(prefers-color-scheme: dark)').matches);
  root.dataset.theme = dark ? 'dark' : 'light';
  root.dataset.themePreference = preference;
  root.style.colorScheme = dark ? 'dark' : 'light';
})();
