import { existsSync, mkdirSync } from 'node:fs';
import path from 'node:path';
import { browserAvailability, launchChromium, type LaunchedBrowser } from '@flightdeck/test-kit';
import { afterAll, beforeAll } from 'vitest';
import { startTestApp, type TestApp } from '../support/test-app.js';

const repoRoot = path.resolve(import.meta.dirname, '../../../..');
const webDist = path.join(repoRoot, 'apps/web/dist');

export const screenshots = path.join(repoRoot, 'test-results/screenshots');
export const browserAvailable = browserAvailability().available;

// The whole app serving the built web app, and a Chromium to drive it, for one describe block.
export function useBrowserJourney(env: Record<string, string> = {}): {
  app: TestApp;
  chromium: LaunchedBrowser;
} {
  const context = {} as { app: TestApp; chromium: LaunchedBrowser };
  beforeAll(async () => {
    if (!existsSync(path.join(webDist, 'index.html'))) {
      throw new Error(
        'The web app is not built: run `pnpm build` (pnpm check does) before the browser journeys',
      );
    }
    mkdirSync(screenshots, { recursive: true });
    context.app = await startTestApp({ env: { FLIGHTDECK_WEB_DIST: webDist, ...env } });
    context.chromium = await launchChromium();
  });
  afterAll(async () => {
    await context.chromium?.close();
    await context.app?.close();
  });
  return context;
}
