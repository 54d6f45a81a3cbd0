import { existsSync } from 'node:fs';
import { chromium, type Browser } from 'playwright-core';

export type { Page } from 'playwright-core';

// Debian's Chromium: Playwright cannot download its own browsers on these machines.
export const CHROMIUM_PATH = process.env.CHROMIUM_PATH ?? '/usr/bin/chromium';

// Without the background-networking flags Chromium keeps dialling out, which this network refuses.
const CHROMIUM_ARGS = [
  '--no-sandbox',
  '--disable-gpu',
  '--disable-quic',
  '--no-first-run',
  '--disable-background-networking',
  '--disable-component-update',
  '--disable-sync',
];

// Browser journeys skip where no Chromium is installed, except where FLIGHTDECK_REQUIRE_BROWSER is set (CI),
// where a missing browser is a failure.
export function browserAvailability(): { available: boolean; reason: string } {
  if (existsSync(CHROMIUM_PATH)) return { available: true, reason: '' };
  const reason = `no Chromium at ${CHROMIUM_PATH} (apt-get install chromium, or set CHROMIUM_PATH)`;
  if (process.env.FLIGHTDECK_REQUIRE_BROWSER) throw new Error(`Browser journeys are required but ${reason}`);
  process.stderr.write(`Skipping browser journeys: ${reason}\n`);
  return { available: false, reason };
}

export interface LaunchedBrowser {
  readonly browser: Browser;
  close(): Promise<void>;
}

// Playwright gives every launch a fresh temporary profile of its own.
export async function launchChromium(): Promise<LaunchedBrowser> {
  const browser = await chromium.launch({
    executablePath: CHROMIUM_PATH,
    headless: true,
    args: CHROMIUM_ARGS,
  });
  return { browser, close: () => browser.close() };
}
