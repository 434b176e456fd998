/** Debian's Chromium, driven by playwright-core: the real browser of the browser tests (never a DOM imitation). */
import { chromium } from 'playwright-core';
import type { Browser } from 'playwright-core';

/** Where Debian's `chromium` package puts the browser; `.ci/run` installs it when it is missing. */
export const CHROMIUM_PATH = process.env.CHROMIUM_PATH ?? '/usr/bin/chromium';

export function launchChromium(): Promise<Browser> {
  return chromium.launch({
    executablePath: CHROMIUM_PATH,
    headless: true,
    args: ['--no-sandbox', '--disable-gpu', '--disable-dev-shm-usage', '--disable-background-networking'],
  });
}

/** Polls `read` until it returns the same value `stableMs` apart, or the deadline passes. */
export async function untilStable<T>(read: () => T | Promise<T>, stableMs = 1500, deadlineMs = 60_000): Promise<T> {
  const end = Date.now() + deadlineMs;
  let last = await read();
  let since = Date.now();
  while (Date.now() < end) {
    await new Promise((resolve) => setTimeout(resolve, 100));
    const now = await read();
    if (JSON.stringify(now) !== JSON.stringify(last)) {
      last = now;
      since = Date.now();
    } else if (Date.now() - since >= stableMs) return now;
  }
  return last;
}
