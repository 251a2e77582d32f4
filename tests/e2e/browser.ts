/** Debian's Chromium driven by playwright-core (no browser downloads here). */
import { chromium, type Browser } from 'playwright-core';

export const CHROMIUM_PATH = process.env.CHROMIUM_PATH ?? '/usr/bin/chromium';

export function launchChromium(): Promise<Browser> {
  return chromium.launch({
    executablePath: CHROMIUM_PATH,
    headless: true,
    args: [
      '--no-sandbox',
      '--disable-gpu',
      '--disable-quic',
      '--no-first-run',
      // This machine's network is closed: Chromium's own background traffic only adds noise.
      '--disable-background-networking',
      '--disable-component-update',
      '--disable-sync'
    ]
  });
}
