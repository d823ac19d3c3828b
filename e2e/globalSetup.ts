import { displayForPort, startXvfb } from './driver/index.js';
import { BASE_PORT, selectedEngines } from './engines.js';

/**
 * Starts Xvfb for WebKit's MiniBrowser (it has no headless mode) on a display derived from the
 * suite's port, so parallel checkouts with their own ports never share one; stops it at the end.
 * Workers read the display from E2E_DISPLAY.
 */
// eslint-disable-next-line no-restricted-syntax -- Playwright loads globalSetup as a default export
export default async function globalSetup() {
  if (!selectedEngines().includes('webkit')) return;
  const xvfb = await startXvfb(process.env.E2E_DISPLAY ?? displayForPort(BASE_PORT));
  process.env.E2E_DISPLAY = xvfb.display;
  return () => xvfb.stop();
}
