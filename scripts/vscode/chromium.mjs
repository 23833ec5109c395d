// Headless Chromium (Debian's /usr/bin/chromium, driven by playwright-core) for the workbench.
// Never `npx playwright install`: these machines cannot download a browser.
import { chromium } from 'playwright-core';
import { findRuntime } from './runtime.mjs';

/** Flags that keep the browser off the network and out of the way of the test. */
export const CHROMIUM_ARGS = ['--no-sandbox', '--disable-gpu', '--disable-quic', '--no-first-run',
  '--disable-background-networking', '--disable-component-update', '--disable-sync'];

/** @returns {Promise<import('playwright-core').Browser>} */
export function launchChromium() {
  return chromium.launch({ executablePath: findRuntime().chromium, headless: true, args: CHROMIUM_ARGS });
}

/**
 * Starts the code-server and the browser side by side (~1 s less on two cores) and, when one
 * of them fails, stops the other before rethrowing.
 * @template S
 * @param {() => Promise<S & { stop(): Promise<void> }>} startServer
 * @returns {Promise<{ server: S & { stop(): Promise<void> }, browser: import('playwright-core').Browser }>}
 */
export async function startServerAndBrowser(startServer) {
  const [s, b] = await Promise.allSettled([startServer(), launchChromium()]);
  if (s.status === 'fulfilled' && b.status === 'fulfilled') return { server: s.value, browser: b.value };
  if (s.status === 'fulfilled') await s.value.stop();
  if (b.status === 'fulfilled') await b.value.close().catch(() => {});
  throw s.status === 'rejected' ? s.reason : b.reason;
}
